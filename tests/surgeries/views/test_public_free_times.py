"""The day page's free times: grouping, narrowing, paging, htmx and bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse

from people.enums import Perspective, Visibility
from surgeries.models import SurgeryDay
from surgeries.selectors.free_times import PAGE_SIZE
from tests.factories import DaySurgeonFactory, PersonPerspectiveFactory, SlotFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _url(day):
    return reverse("surgeries:day_detail", args=[day.pk])


def _surgeon_at(day, minutes: int, *, name: str, topics=()):
    day_surgeon = DaySurgeonFactory(day=day, person__display_name=name)
    day_surgeon.topics.set(topics)
    return SlotFactory(day_surgeon=day_surgeon, starts_at=day.starts_at + timedelta(minutes=minutes))


@pytest.fixture
def spread_day(day, organisation):
    """Four surgeons: Ann at 10:00 (Instagram), Ben at 11:30 (Facebook), Cal at 13:00 (both), Dee at 14:00 (none)."""
    instagram = TopicFactory(organisation=organisation, name="Instagram")
    facebook = TopicFactory(organisation=organisation, name="Facebook")
    _surgeon_at(day, 0, name="Ann", topics=[instagram])
    _surgeon_at(day, 90, name="Ben", topics=[facebook])
    _surgeon_at(day, 180, name="Cal", topics=[instagram, facebook])
    _surgeon_at(day, 240, name="Dee")
    day.instagram, day.facebook = instagram, facebook
    return day


def _names(page: str) -> list[str]:
    return [name for name in ("Ann", "Ben", "Cal", "Dee") if f'free-time-who">{name}<' in page]


@pytest.mark.parametrize(
    ("when", "expected"),
    [("10", ["Ann"]), ("11", ["Ben"]), ("morning", ["Ann", "Ben"]), ("afternoon", ["Cal", "Dee"])],
)
def test_free_times_narrowed_by_time(client, spread_day, when, expected):
    page = client.get(_url(spread_day), {"when": when}).content.decode()

    assert _names(page) == expected
    assert f"{len(expected)} free session" in page


def test_free_times_narrowed_by_topic(client, spread_day):
    page = client.get(_url(spread_day), {"topic": spread_day.instagram.pk}).content.decode()

    assert _names(page) == ["Ann", "Cal"]


def test_free_times_grouped_by_topic_list_a_surgeon_under_each_topic_and_anything_last(client, spread_day):
    page = client.get(_url(spread_day), {"group": "topic"}).content.decode()

    facebook, instagram, anything = (
        page.index(f">{t}: ") for t in ("Facebook", "Instagram", "Anything (no particular topic)")
    )
    assert facebook < instagram < anything
    assert ">Facebook: 2 free<" in page
    assert ">Instagram: 2 free<" in page
    assert ">Anything (no particular topic): 1 free<" in page


def test_free_times_of_one_topic_when_grouped_by_topic(client, spread_day):
    page = client.get(_url(spread_day), {"group": "topic", "topic": "anything"}).content.decode()

    assert _names(page) == ["Dee"]
    assert "Back to every topic" in page


def test_free_times_say_when_nothing_matches(client, spread_day):
    page = client.get(_url(spread_day), {"when": "10", "topic": spread_day.facebook.pk}).content.decode()

    assert "No free sessions match what you chose." in page
    assert "Show all free times" in page


def test_free_times_by_perspective_only_match_what_surgeons_show_everyone_at_their_events(client, learner, spread_day):
    ann, ben, cal = (spread_day.surgeons.get(person__display_name=name).person for name in ("Ann", "Ben", "Cal"))
    lived = Perspective.LIVED_EXPERIENCE
    PersonPerspectiveFactory(person=ann, perspective=lived, visibility=Visibility.EVENT)
    PersonPerspectiveFactory(person=ben, perspective=lived, visibility=Visibility.PAIRED)
    PersonPerspectiveFactory(person=cal, perspective=lived, visibility=Visibility.ONLY_ME)
    client.force_login(learner)

    page = client.get(_url(spread_day), {"perspective": lived}).content.decode()

    assert _names(page) == ["Ann"]


def test_free_times_by_perspective_are_not_offered_to_visitors_who_are_not_logged_in(client, spread_day):
    ann = spread_day.surgeons.get(person__display_name="Ann").person
    PersonPerspectiveFactory(person=ann, perspective=Perspective.LIVED_EXPERIENCE, visibility=Visibility.EVENT)

    page = client.get(_url(spread_day), {"perspective": Perspective.LIVED_EXPERIENCE}).content.decode()

    assert 'name="perspective"' not in page
    assert "Log in to choose a surgeon by perspective." in page
    assert _names(page) == ["Ann", "Ben", "Cal", "Dee"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("when", "25", "We did not recognise the time you chose, so all times are shown."),
        ("when", "'; drop table", "We did not recognise the time you chose, so all times are shown."),
        ("topic", "999999", "There are no free sessions for the topic you chose, so all topics are shown."),
        ("perspective", "astrologer", "We did not recognise the perspective you chose, so all surgeons are shown."),
        ("group", "surgeon", "We did not recognise how you wanted the times grouped, so they are grouped by hour."),
    ],
)
def test_free_times_ignore_an_unknown_filter_value_with_a_message(client, learner, spread_day, field, value, message):
    client.force_login(learner)

    response = client.get(_url(spread_day), {field: value})

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert _names(page) == ["Ann", "Ben", "Cal", "Dee"]


@pytest.fixture
def busy_hour(day):
    """PAGE_SIZE * 2 + 3 free sessions at 10:00, one surgeon each."""
    for index in range(PAGE_SIZE * 2 + 3):
        _surgeon_at(day, 0, name=f"Surgeon {index:02d}")
    return day


def test_free_times_of_a_big_hour_come_a_page_at_a_time(client, busy_hour):
    first = client.get(_url(busy_hour), {"when": "10"}).content.decode()
    last = client.get(_url(busy_hour), {"when": "10", "page": "3"}).content.decode()

    assert first.count(">Book<") == PAGE_SIZE
    assert "Page 1 of 3" in first
    assert 'href="?when=10&amp;page=2"' in first
    assert last.count(">Book<") == 3
    assert "Previous page" in last
    assert "Next page" not in last


@pytest.mark.parametrize("page_number", ["4", "999999999999", "0", "-1"])
def test_free_times_page_out_of_range_shows_the_last_page(client, busy_hour, page_number):
    response = client.get(_url(busy_hour), {"when": "10", "page": page_number})

    assert response.status_code == 200
    assert "Page 3 of 3" in response.content.decode()


@pytest.mark.parametrize("page_number", ["abc", "1.5", ""])
def test_free_times_page_that_is_not_a_number_shows_the_first_page(client, busy_hour, page_number):
    response = client.get(_url(busy_hour), {"when": "10", "page": page_number})

    assert response.status_code == 200
    assert "Page 1 of 3" in response.content.decode()


def test_free_times_overview_shows_a_few_times_per_hour_and_a_link_to_the_rest(client, busy_hour):
    page = client.get(_url(busy_hour)).content.decode()

    assert f"See all {PAGE_SIZE * 2 + 3} free sessions" in page
    assert page.count(">Book<") == 4


def test_free_times_for_htmx_are_only_the_results(client, spread_day):
    response = client.get(_url(spread_day), {"when": "10"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "<html" not in page
    assert 'id="free-times-total"' in page
    assert _names(page) == ["Ann"]
    assert "HX-Request" in response["Vary"]


def test_free_times_for_htmx_restoring_history_are_the_whole_page(client, spread_day):
    response = client.get(
        _url(spread_day), {"when": "10"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{}, {"when": "10"}, {"when": "morning"}, {"group": "topic"}, {"topic": "anything", "group": "topic"}],
)
@pytest.mark.parametrize("surgeons", [1, 12])
def test_free_times_query_count_is_flat_for_every_filter(client, django_assert_num_queries, day, params, surgeons):
    for index in range(surgeons):
        _surgeon_at(day, 30 * (index % 8), name=f"Surgeon {index}")

    # zone, day, slot start times, slots, topics, commitments, sessions taken
    with django_assert_num_queries(7):
        response = client.get(_url(day), params)

    assert response.status_code == 200


@pytest.mark.parametrize("surgeons", [1, 12])
def test_free_times_by_perspective_cost_one_more_query(client, django_assert_num_queries, learner, day, surgeons):
    for index in range(surgeons):
        _surgeon_at(day, 30 * (index % 8), name=f"Surgeon {index}")
    client.force_login(learner)

    # the 15 of the page for a signed-in person, and the surgeons who show the perspective
    with django_assert_num_queries(16):
        client.get(_url(day), {"perspective": Perspective.VOLUNTEER})


def test_free_times_for_htmx_on_a_day_no_longer_published_are_the_whole_page(client, spread_day):
    SurgeryDay.objects.filter(pk=spread_day.pk).update(status=SurgeryDay.Status.CANCELLED)

    page = client.get(_url(spread_day), headers={"HX-Request": "true"}).content.decode()

    assert "Cancelled" in page
    assert "free-time-who" not in page
