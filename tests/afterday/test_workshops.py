"""What workshops add to the impact report, "My sessions" and the retention job."""

import pytest
from django.urls import reverse

from afterday.models import Feedback, WorkshopFeedback
from afterday.selectors.report import day_comments, impact_report
from afterday.services import day_personal_data_purge
from people.enums import Perspective, Visibility
from surgeries.models import DaySurgeon
from tests.factories import (
    PersonPerspectiveFactory,
    UserFactory,
    headline,
    past_day,
    past_place,
    past_session,
    past_workshop,
)
from workshops.models import Registration, Workshop


def _section(report):
    (section,) = report.sections
    return section


def _rated(place, score, comment="", audience=WorkshopFeedback.CommentAudience.ORGANISERS):
    return WorkshopFeedback.objects.create(
        registration=place,
        workshop=place.workshop,
        author=place.person,
        usefulness=score,
        comment=comment,
        comment_audience=audience,
    )


def test_places_used_leave_out_people_who_did_not_come_and_cancelled_workshops(organisation):
    day = past_day(organisation)
    held = past_workshop(day, title="Instagram basics")
    for _ in range(6):
        past_place(held)
    past_place(held, is_no_show=True)
    past_place(held, status=Registration.Status.CANCELLED)
    called_off = past_workshop(day, index=1, status=Workshop.Status.CANCELLED)
    for _ in range(7):
        past_place(called_off)

    section = _section(impact_report(organisation=organisation, day=day))

    assert headline(section)["Workshop places used (people who came)"] == "6"
    # A count of workshops, not of people: the table lists them all anyway.
    assert headline(section)["Workshops held"] == "1"
    attendance = section.tables[0]
    assert [(label, str(cells[0])) for label, cells in attendance.rows] == [
        (f"Instagram basics ({day.starts_at:%A} {day.starts_at.day} {day.starts_at:%B %Y})", "6")
    ]


def test_one_small_workshop_beside_the_total_hides_another_so_it_cannot_be_worked_out(organisation):
    day = past_day(organisation)
    big, bigger, small = (past_workshop(day, index=i) for i in range(3))
    for workshop, places in ((big, 6), (bigger, 9), (small, 2)):
        for _ in range(places):
            past_place(workshop)

    section = _section(impact_report(organisation=organisation, day=day))

    shown = [str(cells[0]) for _label, cells in section.tables[0].rows]
    # 17 - 9 leaves 8 for the two hidden workshops; the 6 is "not shown", not "fewer than 5".
    assert shown == ["not shown", "9", "fewer than 5"]
    assert str(section.tables[0].footer[1][0]) == "17"


def test_usefulness_is_suppressed_and_averaged_only_when_the_average_gives_nothing_away(organisation):
    day = past_day(organisation)
    workshop = past_workshop(day)
    places = [past_place(workshop) for _ in range(22)]
    for place in places[:9]:
        _rated(place, 5)

    nine = _section(impact_report(organisation=organisation, day=day))
    assert nine.average is None
    assert headline(nine)["Feedback answers on workshops"] == "9"
    # Showing "9 answers of 5" beside a total of 9 would say nobody gave less.
    assert all(cell.suppressed for _label, cell in nine.chart_rows)

    _rated(places[9], 4)
    ten = _section(impact_report(organisation=organisation, day=day))
    # 4.9 from ten answers can only be nine 5s and one 4.
    assert ten.average is None

    for place in places[10:19]:
        _rated(place, 4)
    _rated(places[19], 1)
    twenty = _section(impact_report(organisation=organisation, day=day))
    assert twenty.average == "4.3"
    by_score = {label: str(cell) for label, cell in twenty.chart_rows}
    assert by_score["1 (not useful)"] == "fewer than 5"
    assert twenty.tables[0].rows[0][1][1] == "4.3"


def test_places_used_survive_the_retention_job_from_the_snapshot(organisation, settings):
    settings.RETENTION_DAYS = 30
    day = past_day(organisation, days_ago=40)
    workshop = past_workshop(day)
    for _ in range(5):
        past_place(workshop)
    for _ in range(3):
        past_place(workshop, is_no_show=True)
    before = headline(_section(impact_report(organisation=organisation, day=day)))

    day_personal_data_purge(day_id=day.pk)

    assert Registration.objects.filter(workshop=workshop, is_no_show=True).count() == 0
    workshop.refresh_from_db()
    assert workshop.attended_snapshot == 5
    after = headline(_section(impact_report(organisation=organisation, day=day)))
    assert after == before
    assert after["Workshop places used (people who came)"] == "5"


def test_participants_perspectives_count_only_when_shared_with_organisers(organisation):
    day = past_day(organisation)
    workshop = past_workshop(day, facilitator=UserFactory())
    for index in range(6):
        place = past_place(workshop)
        visibility = Visibility.ORGANISERS if index < 5 else Visibility.ONLY_ME
        PersonPerspectiveFactory(person=place.person, perspective=Perspective.LIVED_EXPERIENCE, visibility=visibility)
    PersonPerspectiveFactory(
        person=workshop.facilitators.get().person, perspective=Perspective.LIVED_EXPERIENCE, visibility=Visibility.EVENT
    )

    report = impact_report(organisation=organisation, day=day)

    assert {label: str(cell) for label, cell in report.perspectives}[Perspective.LIVED_EXPERIENCE.label] == "6"


def test_workshop_participants_who_later_facilitate_or_do_surgery_are_counted(organisation):
    first = past_day(organisation, days_ago=30)
    later = past_day(organisation, days_ago=5)
    workshop = past_workshop(first)
    people = [past_place(workshop).person for _ in range(6)]
    for index, person in enumerate(people[:3]):
        past_workshop(later, facilitator=person, index=index)
    DaySurgeon.objects.create(day=later, person=people[3])
    DaySurgeon.objects.create(day=later, person=people[4])
    # Helping earlier, not later, does not count.
    earlier = past_day(organisation, days_ago=60)
    past_workshop(earlier, facilitator=people[5])

    report = impact_report(organisation=organisation, day=first)

    assert headline(report)["Learners who later helped as surgeons or facilitators"] == "5"


def test_day_comments_include_workshop_comments_for_organisers_without_names(organisation):
    day = past_day(organisation)
    session = past_session(day)

    Feedback.objects.create(day=day, booking=session, author=session.learner, role="learner", usefulness=4, comment="A")
    place = past_place(past_workshop(day))
    _rated(place, 3, comment="More time for questions, please")

    assert day_comments(day=day) == ["A", "More time for questions, please"]


def test_report_page_shows_the_workshop_section_chart_and_tables(client, organisation, organiser):
    day = past_day(organisation)
    workshop = past_workshop(day, title="Safer Facebook groups")
    for index in range(20):
        _rated(past_place(workshop), 4 if index % 2 else 5)
    client.force_login(organiser)

    page = client.get(reverse("afterday:day_report", args=[day.pk])).content.decode()

    assert '<h2 id="workshops-heading">Workshops</h2>' in page
    assert '<title id="chart-workshops-title">How useful participants found the workshops</title>' in page
    assert "Safer Facebook groups" in page
    assert "Average usefulness of workshops (1 to 5)</th><td>4.5</td>" in page


def test_report_csv_has_the_workshop_tables(client, organisation, organiser):
    day = past_day(organisation)
    workshop = past_workshop(day, title="Safer Facebook groups")
    for _ in range(7):
        past_place(workshop)
    client.force_login(organiser)

    body = client.get(reverse("afterday:day_report_csv", args=[day.pk])).content.decode()

    assert "Workshops,Workshop places used (people who came),7," in body
    assert "Workshop attendance: places used in each workshop,Safer Facebook groups (" in body


# --- "My sessions" ------------------------------------------------------------------


def test_my_sessions_lists_past_workshops_with_a_way_to_give_feedback(client, organisation, learner):
    day = past_day(organisation)
    rated = past_place(past_workshop(day, title="Blogging"), learner)
    _rated(rated, 4)
    unrated = past_place(past_workshop(day, title="Podcasts", index=1), learner)
    client.force_login(learner)

    page = client.get(reverse("afterday:my_sessions")).content.decode()

    assert "Workshops you took part in" in page
    assert "You rated this workshop 4 out of 5" in page
    assert reverse("workshops:workshop_feedback", args=[unrated.pk]) in page


def test_facilitators_see_only_comments_shared_with_them(client, organisation, surgeon):
    day = past_day(organisation)
    workshop = past_workshop(day, facilitator=surgeon, title="Canva for posters")
    _rated(past_place(workshop), 5, "Loved it", WorkshopFeedback.CommentAudience.FACILITATORS)
    _rated(past_place(workshop), 2, "Too fast for me", WorkshopFeedback.CommentAudience.ORGANISERS)
    client.force_login(surgeon)

    page = client.get(reverse("afterday:my_sessions")).content.decode()

    assert "Workshops you ran" in page
    assert "Loved it" in page
    assert "Too fast for me" not in page
    # They can also say how the day went for them.
    assert reverse("afterday:day_feedback", args=[day.pk]) in page


@pytest.mark.parametrize("size", [1, 12])
def test_my_sessions_with_workshops_runs_a_fixed_number_of_queries(
    client, organisation, learner, size, django_assert_num_queries
):
    for index in range(size):
        day = past_day(organisation, days_ago=2 + index)
        _rated(past_place(past_workshop(day), learner), 3, "ok", WorkshopFeedback.CommentAudience.FACILITATORS)
        past_place(past_workshop(day, facilitator=learner, index=1))
    client.force_login(learner)
    url = reverse("afterday:my_sessions")
    client.get(url)

    with django_assert_num_queries(9):
        client.get(url)
