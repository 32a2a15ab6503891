"""Online and hybrid days on the pages: the video link only for the booked pair and organisers,
from the set time; "Online" / "In person" on the free times; the forms that set them."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse

from surgeries.models import DaySurgeon, SurgeryDay
from surgeries.services import booking_create, surgeon_online_set
from surgeries.templatetags.venue_time import venue_time
from tests.factories import DaySurgeonFactory, SlotFactory, UserFactory, VenueFactory, member
from tests.mail import mail_to

pytestmark = pytest.mark.django_db

DAY_LINK = "https://meet.example.org/day-room"
OWN_LINK = "https://video.example.org/sam-private"


def _go_online(day, *, mode=SurgeryDay.Mode.ONLINE, **fields) -> None:
    SurgeryDay.objects.filter(pk=day.pk).update(mode=mode, online_link=DAY_LINK, **fields)
    day.refresh_from_db()


@pytest.fixture
def online_booking(day, slot, learner):
    """The learner booked with Sam Surgeon on an online day; Sam set a link of their own."""
    _go_online(day)
    DaySurgeon.objects.filter(pk=slot.day_surgeon_id).update(video_link=OWN_LINK)
    return booking_create(slot_id=slot.pk, learner=learner)


def _page(client, person, url) -> str:
    client.force_login(person)
    return client.get(url).content.decode()


# --- My bookings and the day sheet ------------------------------------------------------


def test_my_bookings_shows_the_learner_the_link_once_the_time_has_come(client, online_booking, learner):
    with time_machine.travel(online_booking.slot.starts_at - timedelta(minutes=30), tick=False):
        page = _page(client, learner, reverse("surgeries:my_bookings"))

    assert f'<a href="{OWN_LINK}" rel="noopener noreferrer">Join the video call' in page


def test_my_bookings_says_when_the_link_appears_before_its_time(client, online_booking, learner):
    starts = online_booking.slot.starts_at
    with time_machine.travel(starts - timedelta(days=1), tick=False):
        page = _page(client, learner, reverse("surgeries:my_bookings"))

    shown_from = venue_time(starts - timedelta(minutes=60), "Europe/London")
    assert f"The video link appears here from {shown_from}." in " ".join(page.split())
    assert OWN_LINK not in page and DAY_LINK not in page


def test_day_sheet_shows_the_link_to_the_surgeon_and_organisers(client, online_booking, surgeon, organiser):
    url = reverse("surgeries:day_sheet", args=[online_booking.day_id])
    with time_machine.travel(online_booking.slot.starts_at - timedelta(minutes=5), tick=False):
        as_surgeon = _page(client, surgeon, url)
        as_organiser = _page(client, organiser, f"{url}?surgeon={surgeon.pk}")

    assert OWN_LINK in as_surgeon
    assert OWN_LINK in as_organiser


def test_stranger_other_learner_and_visitor_never_see_the_link(client, day, online_booking, surgeon, organisation):
    """At the session's start, when the pair see it: nobody else does, on any page."""
    other_learner = member(organisation, display_name="Other Learner")
    other_slot = SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=online_booking.slot.starts_at)
    booking_create(slot_id=other_slot.pk, learner=other_learner)
    stranger = UserFactory()
    day_page = reverse("surgeries:day_detail", args=[day.pk])
    pages = [
        day_page,
        reverse("surgeries:programme", args=[day.pk]),
        reverse("surgeries:my_bookings"),
        reverse("surgeries:day_sheet", args=[day.pk]),
        f"{reverse('surgeries:day_sheet', args=[day.pk])}?surgeon={surgeon.pk}",
    ]

    with time_machine.travel(online_booking.slot.starts_at, tick=False):
        seen = {}
        for person in (other_learner, stranger):
            client.force_login(person)
            seen[person.display_name] = [client.get(url).content.decode() for url in pages]
        client.logout()
        seen["visitor"] = [client.get(day_page).content.decode()]

    leaks = [(who, OWN_LINK in html) for who, htmls in seen.items() for html in htmls]
    assert [who for who, leaked in leaks if leaked] == []
    # The other learner's own online session has the day's link, but never Sam's.
    assert DAY_LINK in seen["Other Learner"][2]


def test_public_day_page_never_shows_the_days_link(client, day):
    _go_online(day)

    page = client.get(reverse("surgeries:day_detail", args=[day.pk])).content.decode()

    assert DAY_LINK not in page
    assert "Online, by video call." in page


def test_calendar_file_of_an_online_session_has_no_link(client, online_booking, learner):
    with time_machine.travel(online_booking.slot.starts_at - timedelta(minutes=5), tick=False):
        ics = _page(client, learner, reverse("surgeries:booking_ics", args=[online_booking.pk]))

    assert OWN_LINK not in ics and DAY_LINK not in ics
    assert "LOCATION:Online\\, by video call: the link is on My bookings" in ics


# --- the reminder email ----------------------------------------------------------------


def test_reminder_before_the_link_time_points_to_my_bookings_and_after_it_carries_the_link(
    day, slot, learner, send_due, django_capture_on_commit_callbacks
):
    # Reminders 24 and 2 hours before; the link shows from 3 hours before.
    _go_online(day, link_shown_minutes_before=180)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        booking_create(slot_id=slot.pk, learner=learner)
    mail.outbox.clear()

    send_due(slot.starts_at - timedelta(hours=24))
    send_due(slot.starts_at - timedelta(hours=2))

    early, late = (message.body for message in mail_to(learner))
    assert DAY_LINK not in early
    assert "The video link will be on My bookings from" in early and "/bookings/" in early
    assert f"Join the video call: {DAY_LINK}" in late


# --- the day page: Online / In person and the filter ------------------------------------


@pytest.fixture
def hybrid_day(day):
    """Ann meets people online, Ben in person."""
    _go_online(day, mode=SurgeryDay.Mode.HYBRID)
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person__display_name="Ann", is_online=True))
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person__display_name="Ben"))
    return day


def _names(page: str) -> list[str]:
    return [name for name in ("Ann", "Ben") if f'free-time-who">{name}<' in page]


def test_hybrid_day_page_says_online_or_in_person_for_each_free_time(client, hybrid_day):
    page = client.get(reverse("surgeries:day_detail", args=[hybrid_day.pk])).content.decode()

    assert 'free-time-who">Ann</span> <span class="free-time-mode">Online</span>' in page
    assert 'free-time-who">Ben</span> <span class="free-time-mode">In person</span>' in page
    assert '<select class="form-select" name="mode"' in page


@pytest.mark.parametrize(("mode", "expected"), [("online", ["Ann"]), ("in_person", ["Ben"]), ("", ["Ann", "Ben"])])
def test_hybrid_day_page_narrowed_by_online_or_in_person(client, hybrid_day, mode, expected):
    page = client.get(reverse("surgeries:day_detail", args=[hybrid_day.pk]), {"mode": mode}).content.decode()

    assert _names(page) == expected


def test_unknown_mode_is_ignored_with_a_note(client, hybrid_day):
    page = client.get(reverse("surgeries:day_detail", args=[hybrid_day.pk]), {"mode": "teleport"})

    assert page.status_code == 200
    assert _names(page.content.decode()) == ["Ann", "Ben"]
    assert "We did not recognise your choice of online or in person, so both are shown." in page.content.decode()


def test_in_person_day_page_shows_no_mode_and_no_filter(client, day, slot):
    page = client.get(reverse("surgeries:day_detail", args=[day.pk])).content.decode()

    assert "free-time-mode" not in page
    assert 'name="mode"' not in page


def test_marking_a_surgeon_online_shows_at_once_on_the_cached_day_page(client, hybrid_day, organiser):
    url = reverse("surgeries:day_detail", args=[hybrid_day.pk])
    assert 'free-time-who">Ben</span> <span class="free-time-mode">In person' in client.get(url).content.decode()
    ben = DaySurgeon.objects.get(day=hybrid_day, person__display_name="Ben")

    surgeon_online_set(day_surgeon=ben, by=organiser, is_online=True, video_link="")

    assert 'free-time-who">Ben</span> <span class="free-time-mode">Online' in client.get(url).content.decode()


def test_booking_form_says_the_session_is_online(client, hybrid_day, learner):
    ann_slot = hybrid_day.slots.get(surgeon__display_name="Ann")

    page = _page(client, learner, reverse("surgeries:book", args=[hybrid_day.pk, ann_slot.pk]))

    assert "<strong>Online, by video call.</strong>" in page


# --- setting it: the organiser, the surgeon, the day form -------------------------------


def _online_url(day_surgeon) -> str:
    return reverse("surgeries:surgeon_online", args=[day_surgeon.day_id, day_surgeon.pk])


@pytest.mark.parametrize(("who", "status"), [("stranger", 404), ("learner", 403), ("surgeon", 403)])
def test_surgeon_online_page_refuses_all_but_organisers(client, request, hybrid_day, who, status):
    ann = DaySurgeon.objects.get(day=hybrid_day, person__display_name="Ann")
    client.force_login(request.getfixturevalue(who))

    response = client.post(_online_url(ann), {"video_link": "https://evil.example.org"})

    assert response.status_code == status
    assert DaySurgeon.objects.get(pk=ann.pk).video_link == ""


def test_organiser_marks_a_surgeon_online_with_their_link(client, hybrid_day, organiser):
    ben = DaySurgeon.objects.get(day=hybrid_day, person__display_name="Ben")
    client.force_login(organiser)

    response = client.post(_online_url(ben), {"is_online": "on", "video_link": "video.example.org/ben"})

    ben.refresh_from_db()
    assert response.status_code == 302
    assert (ben.is_online, ben.video_link) == (True, "https://video.example.org/ben")


def test_organiser_gets_a_clear_message_for_a_link_that_is_not_https(client, hybrid_day, organiser):
    ben = DaySurgeon.objects.get(day=hybrid_day, person__display_name="Ben")
    client.force_login(organiser)

    response = client.post(_online_url(ben), {"video_link": "http://video.example.org/ben"})

    assert "The video link must be a secure web address starting with https://" in response.content.decode()
    assert DaySurgeon.objects.get(pk=ben.pk).video_link == ""


def test_surgeon_online_page_is_not_found_on_an_in_person_day_or_another_day(client, day, slot, organiser, hybrid_day):
    client.force_login(organiser)
    SurgeryDay.objects.filter(pk=day.pk).update(mode=SurgeryDay.Mode.IN_PERSON, online_link="")
    ann = DaySurgeon.objects.get(day=hybrid_day, person__display_name="Ann")

    in_person = client.get(_online_url(slot.day_surgeon))
    elsewhere = client.get(reverse("surgeries:surgeon_online", args=[hybrid_day.pk, ann.pk + 1000]))

    assert (in_person.status_code, elsewhere.status_code) == (404, 404)


def test_surgeon_marks_their_own_availability_online_on_a_hybrid_day(client, day, surgeon):
    _go_online(day, mode=SurgeryDay.Mode.HYBRID)
    DaySurgeonFactory(day=day, person=surgeon)
    client.force_login(surgeon)
    start = venue_time(day.starts_at, "Europe/London")[:5]
    end = venue_time(day.starts_at + timedelta(hours=1), "Europe/London")[:5]

    response = client.post(
        reverse("surgeries:availability", args=[day.pk]),
        {"windows": f"{start}-{end}", "max_sessions": "2", "is_online": "on", "video_link": OWN_LINK},
    )

    mine = DaySurgeon.objects.get(day=day, person=surgeon)
    assert response.status_code == 302
    assert (mine.is_online, mine.video_link) == (True, OWN_LINK)


def test_availability_form_on_an_in_person_day_asks_nothing_about_online(client, day, surgeon):
    DaySurgeonFactory(day=day, person=surgeon)

    page = _page(client, surgeon, reverse("surgeries:availability", args=[day.pk]))

    assert 'name="is_online"' not in page and 'name="video_link"' not in page


def _day_form(venue, **overrides):
    return {
        "title": "Online surgery",
        "venue": venue.pk,
        "mode": "online",
        "online_link": DAY_LINK,
        "link_shown_minutes_before": "30",
        "date": "2031-07-08",
        "starts": "10:00",
        "ends": "15:00",
        "slot_minutes": "30",
        "cancellation_cutoff_hours": "2",
        "reminders": "24, 2",
        **overrides,
    }


def test_day_form_makes_an_online_day_at_a_venue_with_no_address(client, organisation, organiser):
    venue = VenueFactory(organisation=organisation, address="", name="Online (London time)")
    client.force_login(organiser)

    response = client.post(reverse("surgeries:day_new", args=[organisation.slug]), _day_form(venue))

    day = SurgeryDay.objects.get(title="Online surgery")
    assert response.status_code == 302
    assert (day.mode, day.online_link, day.link_shown_minutes_before) == ("online", DAY_LINK, 30)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"mode": "in_person", "online_link": ""}, "This venue has no address, and people need one to come in person."),
        ({"mode": "hybrid"}, "Choose a venue with an address, or make the day online."),
        ({"online_link": "http://meet.example.org"}, "The video link must be a secure web address"),
        ({"mode": "teleport"}, "Select a valid choice. teleport is not one of the available choices."),
        ({"link_shown_minutes_before": "-5"}, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_day_form_refuses_what_does_not_fit_with_a_clear_message(client, organisation, organiser, overrides, message):
    venue = VenueFactory(organisation=organisation, address="")
    client.force_login(organiser)

    response = client.post(reverse("surgeries:day_new", args=[organisation.slug]), _day_form(venue, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SurgeryDay.objects.filter(title="Online surgery").exists()
