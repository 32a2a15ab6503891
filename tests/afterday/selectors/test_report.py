import csv
import io

import pytest
from django.urls import reverse

from afterday.models import Feedback, WorkshopFeedback
from afterday.selectors.report import impact_report, kept_day_report
from afterday.services import day_personal_data_purge, registration_mark_no_show
from people.enums import Perspective, Visibility
from surgeries.models import DaySurgeon, WaitingListEntry
from surgeries.services import booking_mark_no_show
from tests.factories import (
    PersonPerspectiveFactory,
    TopicFactory,
    UserFactory,
    headline,
    past_day,
    past_place,
    past_session,
    past_workshop,
)

# --- The report -------------------------------------------------------------------


@pytest.fixture
def busy_day(organisation):
    """Seven sessions with seven learners and two surgeons; one no-show."""
    day = past_day(organisation, title="Busy day")
    privacy, blogging = (
        TopicFactory(organisation=organisation, name="Privacy"),
        TopicFactory(organisation=organisation, name="Blogging"),
    )
    surgeons = [UserFactory(), UserFactory()]
    sessions = []
    for i in range(7):
        sessions.append(
            past_session(
                day, surgeon=surgeons[i % 2], index=i // 2, topics=[privacy] if i < 6 else [blogging], is_no_show=i == 6
            )
        )
    for i, session in enumerate(sessions[:6]):
        Feedback.objects.create(
            day=day, booking=session, author=session.learner, role="learner", usefulness=5 if i < 5 else 2
        )
    return day, sessions


def test_day_report_counts_and_suppresses(busy_day, organisation):
    day, _ = busy_day

    report = impact_report(organisation=organisation, day=day)

    assert headline(report) == {
        "Sessions held": "6",
        "Learners helped (each day counted on its own)": "6",
        "Surgeons who helped": "fewer than 5",
        "Learners who later helped as surgeons or facilitators": "fewer than 5",
        "Feedback answers on sessions": "6",
    }
    # Six answers: too few for an average that could give the hidden counts back.
    assert report.average_usefulness is None
    # One "2" among six answers: hiding only it would let 6 - 5 give it away.
    assert [(label, str(cell)) for label, cell in report.usefulness] == [
        ("5 (very useful)", "not shown"),
        ("4", "fewer than 5"),
        ("3", "fewer than 5"),
        ("2", "fewer than 5"),
        ("1 (not useful)", "fewer than 5"),
    ]
    assert [(r.name, str(r.asked), str(r.offering)) for r in report.topics] == [
        ("Privacy", "6", "fewer than 5"),
        ("Blogging", "fewer than 5", "fewer than 5"),
    ]


def test_kept_day_report_is_worked_out_once(busy_day, django_assert_num_queries):
    day, _ = busy_day
    first = kept_day_report(day=day)

    with django_assert_num_queries(0):
        again = kept_day_report(day=day)

    assert headline(again) == headline(first)
    assert again.day == day


def test_kept_day_report_counts_new_feedback_and_its_comment_at_once(busy_day):
    day, sessions = busy_day
    before = kept_day_report(day=day)

    Feedback.objects.create(
        day=day, booking=sessions[5], author=UserFactory(), role="surgeon", usefulness=4, comment="Well run"
    )
    Feedback.objects.filter(booking=sessions[0]).delete()
    after = kept_day_report(day=day)

    assert headline(before)["Feedback answers on sessions"] == "6"
    assert headline(after)["Feedback answers on sessions"] == "5"
    assert after.comments == ["Well run"]


def test_day_report_page_shows_a_new_comment_at_once(client, busy_day, organiser):
    day, _ = busy_day
    client.force_login(organiser)
    url = reverse("afterday:day_report", args=[day.pk])
    assert "No comments yet." in client.get(url).content.decode()

    Feedback.objects.create(day=day, author=UserFactory(), role="surgeon", usefulness=5, comment="Lovely day")
    page = client.get(url).content.decode()

    assert "Lovely day" in page
    assert "No comments yet." not in page


def test_kept_day_report_counts_a_session_marked_did_not_come_at_once(busy_day, organiser):
    day, sessions = busy_day
    assert headline(kept_day_report(day=day))["Sessions held"] == "6"

    booking_mark_no_show(booking_id=sessions[0].pk, by=organiser)

    assert headline(kept_day_report(day=day))["Sessions held"] == "5"


def test_kept_day_report_counts_a_workshop_place_marked_did_not_come_at_once(organisation, organiser):
    day = past_day(organisation)
    workshop = past_workshop(day, facilitator=UserFactory())
    places = [past_place(workshop) for _ in range(6)]
    assert dict(kept_day_report(day=day).sections[0].headline)["Workshop places used (people who came)"].value == 6

    registration_mark_no_show(registration_id=places[0].pk, by=organiser)

    assert dict(kept_day_report(day=day).sections[0].headline)["Workshop places used (people who came)"].value == 5


def test_topics_count_waiting_list_requests_and_surgeons_offering(organisation):
    day = past_day(organisation)
    trolls, blogging = (
        TopicFactory(organisation=organisation, name="Trolls"),
        TopicFactory(organisation=organisation, name="Blogging"),
    )
    for index in range(6):
        booking = past_session(day, index=index, topics=[blogging])
        booking.slot.day_surgeon.topics.add(blogging)
    for _ in range(3):
        past_session(day, topics=[trolls])
    for _ in range(2):
        WaitingListEntry.objects.create(day=day, person=UserFactory()).topics.add(trolls)
    WaitingListEntry.objects.create(day=day, person=UserFactory(), status="booked").topics.add(trolls)

    report = impact_report(organisation=organisation, day=day)

    assert [(r.name, str(r.asked), str(r.offering)) for r in report.topics] == [
        ("Blogging", "6", "6"),
        ("Trolls", "5", "fewer than 5"),
    ]
    # Least covered: fewest surgeons offering first.
    assert [r.name for r in report.least_covered] == ["Trolls", "Blogging"]


def test_perspectives_count_only_what_people_share_with_organisers(busy_day, organisation):
    day, sessions = busy_day
    for session in sessions[:5]:
        PersonPerspectiveFactory(
            person=session.learner, perspective=Perspective.LIVED_EXPERIENCE, visibility=Visibility.ORGANISERS
        )
    PersonPerspectiveFactory(
        person=sessions[5].learner, perspective=Perspective.LIVED_EXPERIENCE, visibility=Visibility.ONLY_ME
    )
    for session in sessions[:6]:
        PersonPerspectiveFactory(
            person=session.learner, perspective=Perspective.VOLUNTEER, visibility=Visibility.ONLY_ME
        )

    report = impact_report(organisation=organisation, day=day)

    shown = {label: str(cell) for label, cell in report.perspectives}
    assert (shown[Perspective.LIVED_EXPERIENCE.label], shown[Perspective.VOLUNTEER.label]) == ("5", "fewer than 5")


def test_learners_who_later_help_as_surgeons_are_counted(busy_day, organisation):
    day, sessions = busy_day
    later = past_day(organisation, days_ago=1)
    for session in sessions[:5]:
        DaySurgeon.objects.create(day=later, person=session.learner)

    report = impact_report(organisation=organisation, day=day)

    assert headline(report)["Learners who later helped as surgeons or facilitators"] == "5"


def test_report_is_the_same_after_no_show_marks_are_deleted(busy_day, organisation, settings):
    day, _ = busy_day
    settings.RETENTION_DAYS = 1
    before = impact_report(organisation=organisation, day=day)

    day_personal_data_purge(day_id=day.pk)

    after = impact_report(organisation=organisation, day=day)
    assert (after.headline, after.topics, after.usefulness) == (before.headline, before.topics, before.usefulness)


def test_period_report_leaves_out_drafts_cancelled_and_other_organisations(busy_day, organisation, other_organiser):
    day, _ = busy_day
    for status in ["draft", "cancelled"]:
        other = past_day(organisation, status=status)
        for i in range(5):
            past_session(other, index=i)
    elsewhere = past_day(other_organiser.memberships.get().organisation)
    for i in range(5):
        past_session(elsewhere, index=i)

    report = impact_report(organisation=organisation, start=day.starts_at.date(), end=day.starts_at.date())

    assert (report.day_count, headline(report)["Sessions held"]) == (1, "6")


def test_csv_holds_the_suppressed_tables(client, busy_day, organiser):
    day, _ = busy_day
    client.force_login(organiser)

    response = client.get(reverse("afterday:day_report_csv", args=[day.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert ["Summary", "Sessions held", "6", ""] in rows
    assert ["Topics (times asked for, surgeons offering it)", "Blogging", "fewer than 5", "fewer than 5"] in rows
    assert not any(cell in {"1", "2", "3", "4"} for row in rows for cell in row[2:])


def test_report_page_has_accessible_charts_and_tables(client, busy_day, organiser):
    day, _ = busy_day
    client.force_login(organiser)

    page = client.get(reverse("afterday:day_report", args=[day.pk])).content.decode()

    assert page.count('role="img"') == 3
    assert '<title id="chart-topics-title">Topics asked for</title>' in page
    assert 'aria-labelledby="chart-topics-title chart-topics-desc"' in page
    assert page.count("<caption") >= 4


def test_period_form_refuses_an_end_before_the_start(client, organisation, organiser):
    client.force_login(organiser)

    response = client.get(
        reverse("afterday:organisation_report", args=[organisation.slug]), {"start": "2026-05-01", "end": "2026-04-01"}
    )

    assert response.context["form"].errors == {"end": ["The end of the period must be on or after its start."]}
    assert "report" not in response.context


# --- Query counts -------------------------------------------------------------------


def _fill(organisation, days: int, sessions: int):
    topics = [TopicFactory(organisation=organisation) for _ in range(3)]
    for d in range(days):
        day = past_day(organisation, days_ago=d + 2)
        for i in range(sessions):
            booking = past_session(day, index=i, topics=topics[: 1 + i % 3])
            Feedback.objects.create(
                day=day, booking=booking, author=booking.learner, role="learner", usefulness=1 + i % 5
            )
            PersonPerspectiveFactory(person=booking.learner, visibility=Visibility.ORGANISERS)
        # Workshops grow with the day too, so their part of the report is measured as well.
        workshop = past_workshop(day, facilitator=UserFactory())
        for i in range(sessions):
            place = past_place(workshop, is_no_show=i % 4 == 0)
            WorkshopFeedback.objects.create(
                registration=place, workshop=workshop, author=place.person, usefulness=1 + i % 5, comment="ok"
            )


@pytest.mark.parametrize(("days", "sessions"), [(1, 1), (4, 12)])
def test_organisation_report_runs_a_fixed_number_of_queries(
    client, organisation, organiser, days, sessions, django_assert_num_queries
):
    _fill(organisation, days, sessions)
    client.force_login(organiser)
    url = reverse("afterday:organisation_report", args=[organisation.slug])
    client.get(url)

    with django_assert_num_queries(16):
        client.get(url)


@pytest.mark.parametrize(("days", "sessions"), [(1, 1), (1, 20)])
def test_day_report_runs_a_fixed_number_of_queries(
    client, organisation, organiser, days, sessions, django_assert_num_queries
):
    _fill(organisation, days, sessions)
    day = organisation.surgery_days.get()
    client.force_login(organiser)
    url = reverse("afterday:day_report", args=[day.pk])

    # The page (session, organiser, venue's zone, day, standing, the menu's "Organise"
    # link) and the report's 12, sessions' and workshops' figures joined in the database.
    with django_assert_num_queries(18):
        client.get(url)
    # Then the report is kept under the day's version: the session, the organiser, the
    # venue's zone, the day and the organiser's standing.
    with django_assert_num_queries(5):
        client.get(url)
