from django.urls import path

from workshops.views import attend, organise

app_name = "workshops"

urlpatterns = [
    path("days/<int:day_id>/workshops/", attend.day_workshops, name="day_workshops"),
    path("days/<int:day_id>/workshops/new/", organise.workshop_new, name="workshop_new"),
    path("days/<int:day_id>/open-space/new/", organise.open_space_new, name="open_space_new"),
    path("workshops/<int:workshop_id>/", attend.workshop_detail, name="workshop_detail"),
    path("workshops/<int:workshop_id>/edit/", organise.workshop_edit, name="workshop_edit"),
    path("workshops/<int:workshop_id>/cancel/", organise.workshop_cancel, name="workshop_cancel"),
    path("workshops/<int:workshop_id>/register/", attend.register, name="register"),
    path("workshops/<int:workshop_id>/waiting-list/join/", attend.waiting_join, name="waiting_join"),
    path("workshops/<int:workshop_id>/waiting-list/leave/", attend.waiting_leave, name="waiting_leave"),
    path("workshops/<int:workshop_id>/attendees/", attend.attendee_register, name="attendee_register"),
    path(
        "workshops/<int:workshop_id>/attendees/<int:registration_id>/cancel/",
        organise.place_cancel,
        name="place_cancel",
    ),
    path("open-space/<int:open_space_id>/edit/", organise.open_space_edit, name="open_space_edit"),
    path("open-space/<int:open_space_id>/delete/", organise.open_space_delete, name="open_space_delete"),
    path("my-workshops/", attend.my_workshops, name="my_workshops"),
    path("my-workshops/<int:registration_id>/cancel/", attend.registration_cancel, name="registration_cancel"),
    path("my-workshops/<int:registration_id>/calendar.ics", attend.registration_ics, name="registration_ics"),
]
