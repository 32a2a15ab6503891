from django.urls import path

from afterday import views

app_name = "afterday"

urlpatterns = [
    path("sessions/", views.my_sessions, name="my_sessions"),
    path("sessions/next-steps.md", views.notes_download, name="notes_download"),
    path("sessions/<int:booking_id>/feedback/", views.session_feedback, name="session_feedback"),
    path("sessions/<int:booking_id>/next-steps/", views.session_note, name="session_note"),
    path("days/<int:day_id>/feedback/", views.day_feedback, name="day_feedback"),
    path("organise/days/<int:day_id>/impact/", views.day_report, name="day_report"),
    path("organise/days/<int:day_id>/impact.csv", views.day_report_csv, name="day_report_csv"),
    path("organise/<slug:slug>/impact/", views.organisation_report, name="organisation_report"),
    path("organise/<slug:slug>/impact.csv", views.organisation_report_csv, name="organisation_report_csv"),
]

# Workshop pages of after the day. They keep their names in the "workshops" namespace
# and their paths under workshops: config/urls.py includes them with the workshops' own.
workshop_urlpatterns = [
    path(
        "workshops/<int:workshop_id>/attendees/<int:registration_id>/did-not-come/",
        views.registration_no_show,
        name="registration_no_show",
    ),
    path("my-workshops/<int:registration_id>/feedback/", views.workshop_feedback, name="workshop_feedback"),
]
