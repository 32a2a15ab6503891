import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from outbox.models import Notification
from people.enums import AccessNeed, Visibility
from people.models import AuditEntry
from surgeries.exporters import HEADERS
from surgeries.models import DayMessage, ReminderWording
from tests.factories import DaySurgeonFactory, ProfileFactory, SlotFactory, UserFactory, booked_slot, member

pytestmark = pytest.mark.django_db

PAGES = ["day_messages", "sign_in_sheet", "desk_list", "attendees_csv", "attendees_xlsx", "reminder_wording"]


def _book(day, count, *, organisation=None):
    """`count` learners booked on the day, ten sessions per surgeon."""
    bookings = []
    for index in range(count):
        if index % 10 == 0:
            day_surgeon = DaySurgeonFactory(day=day)
        starts = day.starts_at + timedelta(minutes=30 * (index % 10))
        learner = member(organisation, display_name=f"Learner {index:02}") if organisation else UserFactory()
        bookings.append(booked_slot(slot=SlotFactory(day_surgeon=day_surgeon, starts_at=starts), learner=learner))
    return bookings


def _draft(client, day, **fields):
    data = {"group": "learners", "subject": "Room change", "body": "We are in Room 4.", **fields}
    return client.post(reverse("surgeries:day_messages", args=[day.pk]), data)


# --- who may open the pages ------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_stranger_and_other_organiser_get_not_found(client, day, stranger, other_organiser, name):
    url = reverse(f"surgeries:{name}", args=[day.pk])
    statuses = []
    for person in (stranger, other_organiser):
        client.force_login(person)
        statuses.append(client.get(url).status_code)

    assert statuses == [404, 404]


@pytest.mark.parametrize("name", PAGES)
def test_member_who_does_not_organise_is_refused(client, day, learner, name):
    client.force_login(learner)

    assert client.get(reverse(f"surgeries:{name}", args=[day.pk])).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_signed_out_visitor_is_sent_to_log_in(client, day, name):
    response = client.get(reverse(f"surgeries:{name}", args=[day.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_message_of_another_day_is_not_found(client, organisation, organiser, day):
    client.force_login(organiser)
    other_day = type(day).objects.create(
        organisation=organisation, venue=day.venue, title="Other", starts_at=day.starts_at, ends_at=day.ends_at
    )
    message = DayMessage.objects.create(day=other_day, group="learners", subject="s", body="b")

    response = client.get(reverse("surgeries:day_message_preview", args=[day.pk, message.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path", ["organise/days/abc/messages/", "organise/days/1/messages/x/", "organise/days/1/attendees.csv/"]
)
def test_malformed_addresses_are_not_found(client, organiser, path):
    client.force_login(organiser)

    assert client.get(f"/{path}").status_code == 404


def test_sending_needs_the_csrf_token(organiser, day, slot):
    booked_slot(slot=slot)
    message = DayMessage.objects.create(day=day, group="learners", subject="s", body="b")
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)

    response = client.post(reverse("surgeries:day_message_send", args=[day.pk, message.pk]), {"expected_count": 1})

    assert response.status_code == 403
    assert DayMessage.objects.get(pk=message.pk).sent_at is None


def test_stranger_cannot_send_a_message(client, stranger, day, slot):
    booked_slot(slot=slot)
    message = DayMessage.objects.create(day=day, group="learners", subject="s", body="b")
    client.force_login(stranger)

    response = client.post(reverse("surgeries:day_message_send", args=[day.pk, message.pk]), {"expected_count": 1})

    assert response.status_code == 404
    assert not Notification.objects.filter(kind="surgeries.day_message").exists()


# --- messages ------------------------------------------------------------------


def test_empty_message_is_refused_with_a_reason(client, organiser, day):
    client.force_login(organiser)

    response = _draft(client, day, body="  ")

    assert "Write the message before checking it." in response.content.decode()
    assert not DayMessage.objects.exists()


def test_preview_shows_the_count_and_a_send_button(client, organiser, day):
    _book(day, 3)
    client.force_login(organiser)

    preview = client.get(_draft(client, day)["Location"]).content.decode()

    assert "Send to 3 people" in preview
    assert "We are in Room 4." in preview
    assert not Notification.objects.filter(kind="surgeries.day_message").exists()


def test_confirming_twice_sends_once(client, organiser, day):
    _book(day, 2)
    client.force_login(organiser)
    message = DayMessage.objects.get(pk=int(_draft(client, day)["Location"].rstrip("/").rsplit("/", 1)[1]))
    url = reverse("surgeries:day_message_send", args=[day.pk, message.pk])

    first = client.post(url, {"expected_count": 2}, follow=True).content.decode()
    second = client.post(url, {"expected_count": 2}, follow=True).content.decode()

    assert "Your message is on its way to 2 people." in first
    assert "This message was sent already; it has not been sent again." in second
    assert Notification.objects.filter(kind="surgeries.day_message", subject_id=message.pk).count() == 2


def test_confirming_after_the_group_changed_asks_again(client, organiser, day):
    _book(day, 2)
    client.force_login(organiser)
    message = DayMessage.objects.create(day=day, group="learners", subject="s", body="b")

    page = client.post(
        reverse("surgeries:day_message_send", args=[day.pk, message.pk]), {"expected_count": 5}, follow=True
    ).content.decode()

    assert "it is now 2 people. Please check again." in page
    assert "Send to 2 people" in page
    assert DayMessage.objects.get(pk=message.pk).sent_at is None


def test_confirming_with_a_broken_count_sends_nothing(client, organiser, day):
    _book(day, 1)
    client.force_login(organiser)
    message = DayMessage.objects.create(day=day, group="learners", subject="s", body="b")

    response = client.post(reverse("surgeries:day_message_send", args=[day.pk, message.pk]), {"expected_count": "x"})

    assert response.status_code == 302
    assert DayMessage.objects.get(pk=message.pk).sent_at is None


def test_sent_messages_are_listed_with_their_count(client, organiser, day):
    _book(day, 2)
    client.force_login(organiser)
    message = DayMessage.objects.create(day=day, group="learners", subject="Parking news", body="b")
    client.post(reverse("surgeries:day_message_send", args=[day.pk, message.pk]), {"expected_count": 2})

    page = client.get(reverse("surgeries:day_messages", args=[day.pk])).content.decode()

    assert "Parking news" in page
    assert "Learners with a one-to-one session" in page


def test_messages_page_queries_do_not_grow_with_messages(client, organiser, day, django_assert_num_queries):
    _book(day, 1)
    client.force_login(organiser)

    def send_one():
        message = DayMessage.objects.create(day=day, group="learners", subject="s", body="b")
        client.post(reverse("surgeries:day_message_send", args=[day.pk, message.pk]), {"expected_count": 1})

    send_one()
    url = reverse("surgeries:day_messages", args=[day.pk])
    client.get(url)  # the first page after logging in or sending also tidies the session
    with django_assert_num_queries(50, exact=False) as one:
        client.get(url)
    # Read now: every request clears the connection's query log.
    queries = len(one.captured_queries)
    for _ in range(4):
        send_one()
    client.get(url)

    with django_assert_num_queries(queries):
        client.get(url)


def test_reminder_wording_page_saves_one_reminder(client, organiser, day):
    client.force_login(organiser)

    client.post(
        reverse("surgeries:reminder_wording", args=[day.pk]),
        {"kind": ReminderWording.Reminder.SESSION, "session-subject": "Your session", "session-opening": "Hello!"},
    )

    assert list(ReminderWording.objects.values_list("kind", "subject", "opening")) == [
        (ReminderWording.Reminder.SESSION, "Your session", "Hello!")
    ]


def test_reminder_wording_with_an_unknown_reminder_saves_nothing(client, organiser, day):
    client.force_login(organiser)

    response = client.post(reverse("surgeries:reminder_wording", args=[day.pk]), {"kind": "nonsense"})

    assert response.status_code == 200
    assert not ReminderWording.objects.exists()


# --- lists and sheets ----------------------------------------------------------


def _csv(client, day):
    response = client.get(reverse("surgeries:attendees_csv", args=[day.pk]))
    return response, list(csv.reader(io.StringIO(response.content.decode())))


def test_attendee_list_of_a_day_with_no_bookings_has_headers_only(client, organiser, day):
    client.force_login(organiser)

    response, rows = _csv(client, day)
    sheet = load_workbook(io.BytesIO(client.get(reverse("surgeries:attendees_xlsx", args=[day.pk])).content)).active

    assert response["Content-Disposition"] == f'attachment; filename="attendees-day-{day.pk}.csv"'
    assert rows == [HEADERS]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [HEADERS]


def test_attendee_list_leaves_out_access_needs_the_learner_keeps_to_themselves(client, organisation, organiser, day):
    (shared, private) = _book(day, 2, organisation=organisation)
    for booking, visibility in ((shared, Visibility.ORGANISERS), (private, Visibility.ONLY_ME)):
        ProfileFactory(person=booking.learner, access_needs=[AccessNeed.BSL], access_needs_visibility=visibility)
    client.force_login(organiser)

    _, rows = _csv(client, day)

    access = HEADERS.index("Access needs (if shared with organisers)")
    assert [(row[1], row[access]) for row in rows[1:]] == [
        ("Learner 00", "British Sign Language interpreter"),
        ("Learner 01", ""),
    ]
    assert list(AuditEntry.objects.filter(action=AuditEntry.Action.VIEWED).values_list("subject_id", "fields")) == [
        (shared.learner_id, ["access_needs"])
    ]


def test_attendee_spreadsheet_has_the_same_rows_as_the_csv(client, organisation, organiser, day):
    _book(day, 3, organisation=organisation)
    client.force_login(organiser)

    _, rows = _csv(client, day)
    response = client.get(reverse("surgeries:attendees_xlsx", args=[day.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active

    assert [[cell.value or "" for cell in row] for row in sheet.iter_rows()] == rows
    assert response["Cache-Control"] == "private, no-store"


def test_attendee_list_cannot_smuggle_a_formula(client, organiser, day, slot):
    booked_slot(slot=slot, learner=UserFactory(display_name="=HYPERLINK(1)"))
    client.force_login(organiser)

    _, rows = _csv(client, day)

    assert rows[1][1] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("name", ["attendees_csv", "attendees_xlsx", "sign_in_sheet", "desk_list"])
def test_lists_take_the_same_queries_for_one_and_many(client, organiser, day, name, django_assert_num_queries):
    _book(day, 1)
    client.force_login(organiser)
    url = reverse(f"surgeries:{name}", args=[day.pk])
    client.get(url)  # the first page after logging in or sending also tidies the session
    with django_assert_num_queries(50, exact=False) as one:
        client.get(url)
    # Read now: every request clears the connection's query log.
    queries = len(one.captured_queries)
    _book(day, 12)

    with django_assert_num_queries(queries):
        client.get(url)


def test_sign_in_sheet_puts_thirty_names_on_a_page(client, organiser, day):
    _book(day, 31)
    client.force_login(organiser)

    page = client.get(reverse("surgeries:sign_in_sheet", args=[day.pk])).content.decode()

    assert page.count('class="sheet-page"') == 2
    assert "Page 2 of 2" in page
    assert "31 names, 30 to a page" in page


def test_sign_in_sheet_shows_no_access_needs(client, organisation, organiser, day):
    (booking,) = _book(day, 1, organisation=organisation)
    ProfileFactory(person=booking.learner, access_needs=[AccessNeed.BSL], access_needs_visibility=Visibility.ORGANISERS)
    client.force_login(organiser)

    sheet = client.get(reverse("surgeries:sign_in_sheet", args=[day.pk])).content.decode()
    desk = client.get(reverse("surgeries:desk_list", args=[day.pk])).content.decode()

    assert "British Sign Language" not in sheet
    assert "British Sign Language" in desk


def test_empty_day_sheets_say_nobody_is_booked(client, organiser, day):
    client.force_login(organiser)

    page = client.get(reverse("surgeries:sign_in_sheet", args=[day.pk])).content.decode()

    assert "Nobody is booked yet." in page


def test_manage_page_links_to_messages_lists_and_sheets(client, organiser, day):
    client.force_login(organiser)

    page = client.get(reverse("surgeries:day_manage", args=[day.pk])).content.decode()

    for name in ("day_messages", "attendees_csv", "attendees_xlsx", "sign_in_sheet", "desk_list"):
        assert reverse(f"surgeries:{name}", args=[day.pk]) in page


def test_reminder_wording_page_offers_the_workshop_reminder(client, organiser, day):
    client.force_login(organiser)

    response = client.post(
        reverse("surgeries:reminder_wording", args=[day.pk]),
        {"kind": ReminderWording.Reminder.WORKSHOP, "workshop-subject": "Workshops today", "workshop-opening": ""},
    )

    assert response.status_code == 302
    assert list(ReminderWording.objects.values_list("kind", "subject")) == [
        (ReminderWording.Reminder.WORKSHOP, "Workshops today")
    ]
