from django.urls import path

from surgeries.views import attendees, desk, organise, public, series, surgeon

app_name = "surgeries"

urlpatterns = [
    path("days/<int:day_id>/", public.day_detail, name="day_detail"),
    path("days/<int:day_id>/slots/<int:slot_id>/book/", public.book, name="book"),
    path("days/<int:day_id>/waiting-list/join/", public.waiting_join, name="waiting_join"),
    path("days/<int:day_id>/waiting-list/leave/", public.waiting_leave, name="waiting_leave"),
    path("days/<int:day_id>/availability/", surgeon.availability, name="availability"),
    path("days/<int:day_id>/day-sheet/", surgeon.day_sheet, name="day_sheet"),
    path("days/<int:day_id>/withdraw/", surgeon.withdraw, name="surgeon_withdraw"),
    path("organise/", organise.organise_home, name="organise_home"),
    path("organise/<slug:slug>/venues/new/", organise.venue_new, name="venue_new"),
    path("organise/<slug:slug>/days/new/", organise.day_new, name="day_new"),
    path("organise/days/<int:day_id>/", organise.day_manage, name="day_manage"),
    path("organise/days/<int:day_id>/edit/", organise.day_edit, name="day_edit"),
    path("organise/days/<int:day_id>/publish/", organise.day_publish, name="day_publish"),
    path("organise/days/<int:day_id>/cancel/", organise.day_cancel, name="day_cancel"),
    path("organise/days/<int:day_id>/surgeons/", organise.surgeon_invite, name="surgeon_invite"),
    path(
        "organise/days/<int:day_id>/surgeons/<int:day_surgeon_id>/online/",
        organise.surgeon_online,
        name="surgeon_online",
    ),
    path("organise/days/<int:day_id>/desk/", desk.desk, name="desk"),
    path("organise/days/<int:day_id>/desk/walk-in/", desk.desk_walk_in, name="desk_walk_in"),
    path("organise/days/<int:day_id>/desk/book-for-someone/", desk.desk_book_for, name="desk_book_for"),
    path(
        "organise/days/<int:day_id>/desk/book-for-someone/<int:booking_id>/",
        desk.desk_booked_for,
        name="desk_booked_for",
    ),
    path("organise/days/<int:day_id>/desk/<int:booking_id>/check-in/", desk.desk_check_in, name="desk_check_in"),
    path("organise/days/<int:day_id>/desk/<int:booking_id>/no-show/", desk.desk_no_show, name="desk_no_show"),
    path("organise/days/<int:day_id>/desk/<int:booking_id>/note/", desk.desk_note, name="desk_note"),
    path("organise/days/<int:day_id>/desk/<int:booking_id>/move/", desk.desk_move, name="desk_move"),
    # Copies of a day and series of days
    path("organise/days/<int:day_id>/copy/", series.day_copy, name="day_copy"),
    path("organise/days/<int:day_id>/copied/", series.day_copied, name="day_copied"),
    path("organise/days/<int:day_id>/repeat/", series.series_new, name="series_new"),
    path("organise/series/<int:series_id>/", series.series_manage, name="series_manage"),
    path("organise/series/<int:series_id>/change/", series.series_edit, name="series_edit"),
    path("organise/series/<int:series_id>/skip/", series.series_skip, name="series_skip"),
    path("organise/series/<int:series_id>/move/", series.series_move, name="series_move"),
    path("organise/series/<int:series_id>/refresh/", series.series_refresh, name="series_refresh"),
    # Messages to the people of a day, their reminders' wording, lists and printed sheets.
    path("organise/days/<int:day_id>/messages/", attendees.day_messages, name="day_messages"),
    path(
        "organise/days/<int:day_id>/messages/<int:message_id>/",
        attendees.day_message_preview,
        name="day_message_preview",
    ),
    path(
        "organise/days/<int:day_id>/messages/<int:message_id>/send/",
        attendees.day_message_send,
        name="day_message_send",
    ),
    path("organise/days/<int:day_id>/reminders/", attendees.reminder_wording, name="reminder_wording"),
    path("organise/days/<int:day_id>/attendees.csv", attendees.attendees_csv, name="attendees_csv"),
    path("organise/days/<int:day_id>/attendees.xlsx", attendees.attendees_xlsx, name="attendees_xlsx"),
    path("organise/days/<int:day_id>/sign-in-sheet/", attendees.sign_in_sheet, name="sign_in_sheet"),
    path("organise/days/<int:day_id>/desk-list/", attendees.desk_list, name="desk_list"),
]
