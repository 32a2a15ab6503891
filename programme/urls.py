from django.urls import path

from programme import views

# The programme and "My bookings" keep their names in the "surgeries" namespace and
# their paths: config/urls.py includes them with the surgeries' own.
surgery_urlpatterns = [
    path("days/<int:day_id>/programme/", views.programme, name="programme"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:booking_id>/reschedule/", views.reschedule, name="reschedule"),
    path("bookings/<int:booking_id>/calendar.ics", views.booking_ics, name="booking_ics"),
    path("bookings/calendar-address/", views.calendar_feed_reset, name="calendar_feed_reset"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
