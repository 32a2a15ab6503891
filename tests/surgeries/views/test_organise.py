import zoneinfo
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from surgeries.models import Booking, DaySurgeon, SurgeryDay
from surgeries.services import days_finish_ended
from tests.factories import (
    DaySurgeonFactory,
    SlotFactory,
    SurgeryDayFactory,
    VenueFactory,
    booked_slot,
    local_datetime,
    past_day,
    past_session,
)

pytestmark = pytest.mark.django_db


def _day_form(venue, **overrides):
    data = {
        "title": "Summer surgery",
        "venue": venue.pk,
        "date": "2031-07-08",
        "starts": "10:00",
        "ends": "15:00",
        "slot_minutes": "30",
        "breaks": "12:30-13:15 Lunch",
        "cancellation_cutoff_hours": "2",
        "safeguarding_contact": "Priya at the desk",
        "reminders": "24, 2",
        "mode": "in_person",
        "link_shown_minutes_before": "60",
    }
    data.update(overrides)
    return data


def test_day_new_creates_draft_in_venue_time(client, organisation, organiser):
    venue = VenueFactory(organisation=organisation)
    client.force_login(organiser)

    response = client.post(reverse("surgeries:day_new", args=[organisation.slug]), _day_form(venue))

    day = SurgeryDay.objects.get(title="Summer surgery")
    assert response.status_code == 302
    assert day.status == SurgeryDay.Status.DRAFT
    assert day.starts_at == local_datetime(date(2031, 7, 8), 10)  # 09:00 UTC in summer
    assert day.reminder_offsets_minutes == [1440, 120]
    assert [b.label for b in day.breaks.all()] == ["Lunch"]


def test_day_new_keeps_sessions_per_learner_empty_as_no_limit(client, organisation, organiser):
    venue = VenueFactory(organisation=organisation)
    client.force_login(organiser)

    client.post(reverse("surgeries:day_new", args=[organisation.slug]), _day_form(venue))

    assert SurgeryDay.objects.get(title="Summer surgery").max_sessions_per_learner is None


def test_day_new_sets_sessions_per_learner(client, organisation, organiser):
    venue = VenueFactory(organisation=organisation)
    client.force_login(organiser)

    client.post(reverse("surgeries:day_new", args=[organisation.slug]), _day_form(venue, max_sessions_per_learner="2"))

    assert SurgeryDay.objects.get(title="Summer surgery").max_sessions_per_learner == 2


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_day_new_refuses_a_sessions_per_learner_that_is_not_a_positive_number(client, organisation, organiser, value):
    venue = VenueFactory(organisation=organisation)
    client.force_login(organiser)

    response = client.post(
        reverse("surgeries:day_new", args=[organisation.slug]), _day_form(venue, max_sessions_per_learner=value)
    )

    assert response.status_code == 200
    assert "max_sessions_per_learner" in response.context["form"].errors
    assert not SurgeryDay.objects.exists()


def test_day_new_shows_errors_next_to_fields_and_saves_nothing(client, organisation, organiser):
    venue = VenueFactory(organisation=organisation)
    client.force_login(organiser)

    response = client.post(
        reverse("surgeries:day_new", args=[organisation.slug]),
        _day_form(venue, ends="09:00", breaks="lunchtime"),
    )

    assert response.status_code == 200
    assert "The day must end after it starts." in response.content.decode()
    assert not SurgeryDay.objects.exists()


def test_day_new_refuses_break_outside_day(client, organisation, organiser):
    venue = VenueFactory(organisation=organisation)
    client.force_login(organiser)

    response = client.post(
        reverse("surgeries:day_new", args=[organisation.slug]), _day_form(venue, breaks="16:00-16:30")
    )

    assert "Each break must end after it starts and be within the day." in response.content.decode()
    assert not SurgeryDay.objects.exists()


def test_day_new_without_venue_sends_organiser_to_add_one(client, organisation, organiser):
    client.force_login(organiser)

    response = client.get(reverse("surgeries:day_new", args=[organisation.slug]))

    assert response.url == reverse("surgeries:venue_new", args=[organisation.slug])


@pytest.mark.parametrize(
    ("persona", "status"), [("learner", 403), ("surgeon", 403), ("other_organiser", 404), ("stranger", 404)]
)
def test_day_new_refuses_everyone_but_organisers(client, request, organisation, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("surgeries:day_new", args=[organisation.slug]))

    assert response.status_code == status


def test_day_new_anonymous_goes_to_login(client, organisation):
    response = client.get(reverse("surgeries:day_new", args=[organisation.slug]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_day_publish_makes_draft_visible(client, organisation, organiser):
    day = SurgeryDayFactory(organisation=organisation, status=SurgeryDay.Status.DRAFT)
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day))
    client.force_login(organiser)

    response = client.post(reverse("surgeries:day_publish", args=[day.pk]), follow=True)

    day.refresh_from_db()
    assert day.status == SurgeryDay.Status.PUBLISHED
    assert "The day is published. People can now see it and book." in response.content.decode()


def test_day_publish_with_no_surgeons_warns_first_and_keeps_the_draft(client, organisation, organiser):
    day = SurgeryDayFactory(organisation=organisation, status=SurgeryDay.Status.DRAFT)
    client.force_login(organiser)

    response = client.post(reverse("surgeries:day_publish", args=[day.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "No surgeons have joined this day yet, so nobody can book a one-to-one session." in page
    assert "Publish anyway" in page
    assert SurgeryDay.objects.get(pk=day.pk).status == SurgeryDay.Status.DRAFT


def test_day_publish_with_surgeons_but_no_free_session_warns_first(client, organisation, organiser):
    day = SurgeryDayFactory(organisation=organisation, status=SurgeryDay.Status.DRAFT)
    DaySurgeonFactory(day=day)
    client.force_login(organiser)

    page = client.post(reverse("surgeries:day_publish", args=[day.pk])).content.decode()

    assert "No session is free to book" in page
    assert SurgeryDay.objects.get(pk=day.pk).status == SurgeryDay.Status.DRAFT


def test_day_publish_anyway_publishes_a_day_with_no_surgeons(client, organisation, organiser):
    day = SurgeryDayFactory(organisation=organisation, status=SurgeryDay.Status.DRAFT)
    client.force_login(organiser)

    client.post(reverse("surgeries:day_publish", args=[day.pk]), {"anyway": "yes"})

    assert SurgeryDay.objects.get(pk=day.pk).status == SurgeryDay.Status.PUBLISHED


def test_day_publish_of_a_published_day_says_so_without_a_warning(client, organiser, day):
    client.force_login(organiser)

    response = client.post(reverse("surgeries:day_publish", args=[day.pk]), follow=True)

    assert "Only a draft day can be published." in response.content.decode()


def test_day_cancel_page_asks_first_and_cancels_nothing(client, organiser, slot):
    booking = booked_slot(slot=slot)
    client.force_login(organiser)

    page = client.get(reverse("surgeries:day_cancel", args=[slot.day_id])).content.decode()

    assert "Every booking on this day will be cancelled too. This cannot be undone." in page
    assert "Yes, cancel the day" in page
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.ACTIVE
    assert SurgeryDay.objects.get(pk=slot.day_id).status == SurgeryDay.Status.PUBLISHED


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (SurgeryDay.Status.DRAFT, "Draft</span> Only organisers can see it until it is published."),
        (SurgeryDay.Status.PUBLISHED, "Published</span> Booking is open."),
        (SurgeryDay.Status.CANCELLED, "Cancelled</span> This day will not take place."),
    ],
)
def test_day_manage_shows_the_days_status(client, organisation, organiser, status, shown):
    day = SurgeryDayFactory(organisation=organisation, status=status)
    client.force_login(organiser)

    page = client.get(reverse("surgeries:day_manage", args=[day.pk])).content.decode()

    assert shown in page


@pytest.mark.parametrize(
    ("persona", "status"), [("learner", 403), ("surgeon", 403), ("other_organiser", 404), ("stranger", 404)]
)
def test_day_publish_refuses_non_organisers(client, request, organisation, persona, status):
    day = SurgeryDayFactory(organisation=organisation, status=SurgeryDay.Status.DRAFT)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("surgeries:day_publish", args=[day.pk]))

    assert response.status_code == status
    day.refresh_from_db()
    assert day.status == SurgeryDay.Status.DRAFT


def test_day_cancel_cancels_every_booking(client, organiser, slot):
    booking = booked_slot(slot=slot)
    client.force_login(organiser)

    response = client.post(reverse("surgeries:day_cancel", args=[slot.day_id]), follow=True)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert "The day is cancelled, and so are its 1 bookings." in response.content.decode()


def test_finished_day_manage_page_offers_no_cancel_and_cancelling_is_refused(client, organisation, organiser):
    day = past_day(organisation, status=SurgeryDay.Status.PUBLISHED)
    booking = past_session(day)
    days_finish_ended()
    client.force_login(organiser)

    page = client.get(reverse("surgeries:day_manage", args=[day.pk])).content.decode()
    response = client.post(reverse("surgeries:day_cancel", args=[day.pk]), follow=True)

    assert "Finished" in page
    assert "Cancel this day" not in page
    assert ">Invite</button>" not in page
    assert "Impact report" in page
    assert "This day has finished, so it cannot be cancelled." in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.ACTIVE


@pytest.mark.parametrize(
    ("persona", "status"), [("learner", 403), ("surgeon", 403), ("other_organiser", 404), ("stranger", 404)]
)
def test_day_cancel_refuses_non_organisers(client, request, day, persona, status):
    client.force_login(request.getfixturevalue(persona))

    assert client.post(reverse("surgeries:day_cancel", args=[day.pk])).status_code == status


def test_day_edit_changes_title_and_keeps_times(client, organiser, day):
    client.force_login(organiser)
    form = client.get(reverse("surgeries:day_edit", args=[day.pk])).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(title="Renamed", venue=day.venue_id, date=form.initial["date"].isoformat())
    data.update(starts=form.initial["starts"].strftime("%H:%M"), ends=form.initial["ends"].strftime("%H:%M"))

    client.post(reverse("surgeries:day_edit", args=[day.pk]), data)

    refreshed = SurgeryDay.objects.get(pk=day.pk)
    assert (refreshed.title, refreshed.starts_at, refreshed.ends_at) == ("Renamed", day.starts_at, day.ends_at)


class _FormValues(HTMLParser):
    """The values a browser would send back from a page's form, untouched."""

    def __init__(self):
        super().__init__()
        self.values, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") not in ("submit", "checkbox"):
            self.values[attrs["name"]] = attrs.get("value", "")
        elif tag == "input" and "checked" in attrs:
            self.values[attrs["name"]] = attrs.get("value", "on")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n")


def test_day_edit_saved_unchanged_keeps_the_date_and_times(client, organiser, day):
    day.booking_opens_at = day.starts_at - timedelta(days=3)
    day.save()
    client.force_login(organiser)
    parser = _FormValues()
    parser.feed(client.get(reverse("surgeries:day_edit", args=[day.pk])).content.decode())

    response = client.post(reverse("surgeries:day_edit", args=[day.pk]), parser.values)

    refreshed = SurgeryDay.objects.get(pk=day.pk)
    assert response.status_code == 302
    assert (refreshed.starts_at, refreshed.ends_at) == (day.starts_at, day.ends_at)
    assert refreshed.booking_opens_at == day.booking_opens_at


def test_day_edit_page_gives_the_date_widget_an_iso_date(client, organiser, day):
    client.force_login(organiser)
    parser = _FormValues()
    parser.feed(client.get(reverse("surgeries:day_edit", args=[day.pk])).content.decode())

    assert parser.values["date"] == day.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/London")).date().isoformat()


def test_day_edit_other_organiser_is_404(client, other_organiser, day):
    client.force_login(other_organiser)

    assert client.get(reverse("surgeries:day_edit", args=[day.pk])).status_code == 404


def test_surgeon_invite_adds_member_as_surgeon(client, organiser, learner, day):
    client.force_login(organiser)

    client.post(reverse("surgeries:surgeon_invite", args=[day.pk]), {"person": learner.pk})

    assert DaySurgeon.objects.get(day=day).person == learner


def test_surgeon_invite_refuses_non_member(client, organiser, stranger, day):
    client.force_login(organiser)

    response = client.post(reverse("surgeries:surgeon_invite", args=[day.pk]), {"person": stranger.pk}, follow=True)

    assert "Please choose a member to invite." in response.content.decode()
    assert not DaySurgeon.objects.exists()


def test_organise_home_lists_drafts_for_organiser_and_refuses_others(client, organiser, stranger, organisation):
    SurgeryDayFactory(organisation=organisation, title="Secret draft", status=SurgeryDay.Status.DRAFT)

    client.force_login(organiser)
    page = client.get(reverse("surgeries:organise_home")).content.decode()
    client.force_login(stranger)
    refused = client.get(reverse("surgeries:organise_home"))

    assert "Secret draft" in page
    assert refused.status_code == 403
    assert "Organising pages are for the organisers of a surgery network." in refused.content.decode()
    assert "Secret draft" not in refused.content.decode()


def test_venue_new_saves_venue_with_zone(client, organisation, organiser):
    client.force_login(organiser)

    client.post(
        reverse("surgeries:venue_new", args=[organisation.slug]),
        {"name": "Hub", "address": "1 Road", "access_information": "", "time_zone": "Europe/Dublin"},
    )

    assert organisation.venues.get().time_zone == "Europe/Dublin"
