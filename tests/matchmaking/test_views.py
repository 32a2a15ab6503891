"""Matchmaking pages: who may open them, what they show, and how many queries they cost."""

from datetime import timedelta
from functools import partial

import pytest
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from matchmaking.benchdata import big_proposal
from matchmaking.models import MatchRequest
from matchmaking.selectors import slots_ranked_for
from matchmaking.services import match_request_withdraw, matchmaking_run
from matchmaking.services.confirm import (
    proposal_confirm_pairs,
    proposal_confirm_start,
    proposal_confirmations_book_waiting,
)
from outbox.signals import scheduler_pass
from people import cache_versions
from people.enums import Visibility
from people.models import OrganisationBlock, PersonPerspective
from surgeries.models import Booking, SurgeryDay
from tests.factories import (
    ORGANISER_ONLY,
    SIGNED_IN_PERSONAS,
    SurgeryDayFactory,
    TopicWantFactory,
    UserFactory,
    add_request,
    add_surgeon,
    booked_slot,
    confirm_now,
    make_day,
)

pytestmark = pytest.mark.django_db

PERSONAS = SIGNED_IN_PERSONAS


@pytest.fixture
def day_with_proposal(organisation, organiser):
    day, topics = make_day(organisation)
    add_surgeon(day, offers={topics["Blogging"]: 2}, slots=2)
    request = add_request(day, topics={topics["Blogging"]: 1})
    proposal = matchmaking_run(day=day, by=organiser).proposal
    return day, request, proposal


def _organiser_urls(day, request, proposal):
    pair = proposal.pairs.get()
    return {
        ("get", reverse("matchmaking:proposal", args=[day.pk])): 200,
        ("get", reverse("matchmaking:learner_slot", args=[day.pk, request.pk])): 200,
        ("post", reverse("matchmaking:run", args=[day.pk])): 302,
        ("post", reverse("matchmaking:pair_lock", args=[day.pk, pair.pk])): 302,
        ("post", reverse("matchmaking:pair_remove", args=[day.pk, pair.pk])): 302,
        ("post", reverse("matchmaking:confirm", args=[day.pk])): 302,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_organiser_pages_refuse_everyone_but_the_days_organisers(client, request, persona, day_with_proposal):
    day, match, proposal = day_with_proposal
    client.force_login(request.getfixturevalue(persona))

    for (method, url), allowed in _organiser_urls(day, match, proposal).items():
        response = getattr(client, method)(url)
        expected = allowed if persona == "organiser" else ORGANISER_ONLY[persona]
        assert (url, response.status_code) == (url, expected)


def test_organiser_pages_send_anonymous_visitors_to_log_in(client, day_with_proposal):
    day, match, proposal = day_with_proposal

    for method, url in _organiser_urls(day, match, proposal):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["matchmaking:request", "matchmaking:best_matches"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_learner_pages_open_to_anyone_signed_in_on_a_published_day(client, request, persona, name, organisation):
    day, _ = make_day(organisation)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse(name, args=[day.pk])).status_code == 200


@pytest.mark.parametrize("name", ["matchmaking:request", "matchmaking:best_matches"])
def test_learner_pages_refuse_anonymous_drafts_and_blocked_people(client, name, organisation, learner):
    day, _ = make_day(organisation)
    draft = SurgeryDayFactory(organisation=organisation, status=SurgeryDay.Status.DRAFT)
    response = client.get(reverse(name, args=[day.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))

    client.force_login(learner)
    assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    OrganisationBlock.objects.create(organisation=organisation, person=learner)
    response = client.get(reverse(name, args=[day.pk]))
    assert response.status_code == 403
    assert "Please contact the organisers." in response.content.decode()


def test_request_form_saves_topics_preferences_and_times(client, organisation, learner):
    day, topics = make_day(organisation)
    client.force_login(learner)

    response = client.post(
        reverse("matchmaking:request", args=[day.pk]),
        {
            f"topic_{topics['Blogging'].pk}": "3",
            "perspective_lived_experience": "must",
            "language_wanted": "Urdu",
            "language_strength": "wish",
            "languages": "English, Urdu",
            "times": ["0", "1"],
            "note": "I run a peer group.",
        },
    )

    assert response.status_code == 302
    request = MatchRequest.objects.get(day=day, learner=learner)
    assert [(rt.topic.name, rt.priority) for rt in request.topics.all()] == [("Blogging", 3)]
    assert {(p.kind, p.value, p.strength) for p in request.preferences.all()} == {
        ("perspective", "lived_experience", "must"),
        ("language", "Urdu", "wish"),
    }
    assert [(w.starts_at, w.ends_at) for w in request.windows.all()] == [
        (day.starts_at, day.starts_at + timedelta(hours=2))
    ]


def test_request_form_escapes_topic_names_and_descriptions_written_by_organisers(client, organisation, learner):
    day, topics = make_day(organisation)
    topics["Blogging"].name = "<i>Blogging</i>"
    topics["Blogging"].description = '<script>alert(1)</script> and <b onmouseover="steal()">more</b>'
    topics["Blogging"].save()
    client.force_login(learner)

    page = client.get(reverse("matchmaking:request", args=[day.pk])).content.decode()

    assert "<script>alert(1)" not in page
    assert "<b onmouseover" not in page
    assert "<i>Blogging" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;b onmouseover=&quot;steal()&quot;&gt;more&lt;/b&gt;" in page
    assert "&lt;i&gt;Blogging&lt;/i&gt;" in page


def test_request_form_shows_errors_next_to_fields_and_saves_nothing(client, organisation, learner):
    day, topics = make_day(organisation)
    client.force_login(learner)

    response = client.post(
        reverse("matchmaking:request", args=[day.pk]), {f"topic_{topics['Blogging'].pk}": "9", "times": ["99"]}
    )

    assert response.status_code == 200
    assert response.content.decode().count("Select a valid choice.") == 2
    assert not MatchRequest.objects.exists()


def test_matched_learner_sees_booking_and_reason_without_hidden_perspectives(client, organisation, organiser, learner):
    day, topics = make_day(organisation)
    surgeon, _ = add_surgeon(
        day,
        offers={topics["Blogging"]: 2},
        slots=1,
        perspectives={"lived_experience": Visibility.ORGANISERS, "volunteer": Visibility.PAIRED},
    )
    add_request(
        day,
        learner=learner,
        topics={topics["Blogging"]: 1},
        preferences=[("perspective", "lived_experience", "wish"), ("perspective", "volunteer", "wish")],
    )
    proposal = matchmaking_run(day=day, by=organiser).proposal
    confirm_now(day, proposal, organiser)
    client.force_login(learner)

    page = client.get(reverse("matchmaking:request", args=[day.pk])).content.decode()

    assert surgeon.display_name in page
    assert "both: Blogging; prefers a volunteer" in page
    assert "lived experience" not in page
    client.force_login(organiser)
    organiser_view = client.get(reverse("matchmaking:proposal", args=[day.pk])).content.decode()
    assert "Run matchmaking" in organiser_view


def test_proposal_page_shows_pairs_reasons_unmatched_and_totals(client, organisation, organiser):
    day, topics = make_day(organisation)
    add_surgeon(day, offers={topics["Blogging"]: 3}, slots=1)
    matched = add_request(day, topics={topics["Blogging"]: 2})
    left_out = add_request(day, topics={topics["Privacy settings"]: 2})
    client.force_login(organiser)

    client.post(reverse("matchmaking:run", args=[day.pk]))
    page = client.get(reverse("matchmaking:proposal", args=[day.pk])).content.decode()

    assert "Matched 1 of 2 requests" in page
    assert "total fit 6" in page
    assert "both: Blogging" in page
    assert matched.learner.display_name in page
    assert left_out.learner.display_name in page
    assert "no surgeon offers Privacy settings" in page


def test_proposal_page_stops_showing_a_perspective_the_surgeon_hid_after_the_run(client, organisation, organiser):
    day, topics = make_day(organisation)
    surgeon, _ = add_surgeon(
        day, offers={topics["Blogging"]: 2}, slots=1, perspectives={"lived_experience": Visibility.ORGANISERS}
    )
    add_request(day, topics={topics["Blogging"]: 1}, preferences=[("perspective", "lived_experience", "wish")])
    matchmaking_run(day=day, by=organiser)
    client.force_login(organiser)
    before = client.get(reverse("matchmaking:proposal", args=[day.pk])).content.decode()

    PersonPerspective.objects.filter(person=surgeon).update(visibility=Visibility.ONLY_ME)
    after = client.get(reverse("matchmaking:proposal", args=[day.pk])).content.decode()

    assert "lived experience" in before
    assert "lived experience" not in after
    assert "both: Blogging" in after


def _day_to_confirm(organisation, organiser, *, pairs: int):
    day, topics = make_day(organisation)
    for _ in range(pairs):
        add_surgeon(day, offers={topics["Blogging"]: 3}, slots=1)
        add_request(day, topics={topics["Blogging"]: 2})
    return day, matchmaking_run(day=day, by=organiser).proposal


def _confirmation_url(day, proposal):
    return reverse("matchmaking:confirmation", args=[day.pk, proposal.pk])


def test_confirm_view_queues_the_booking_and_redirects_to_its_progress(
    client, organisation, organiser, django_capture_on_commit_callbacks
):
    day, proposal = _day_to_confirm(organisation, organiser, pairs=2)
    client.force_login(organiser)

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("matchmaking:confirm", args=[day.pk]), {"proposal_id": proposal.pk})
    page = client.get(response.url).content.decode()

    assert (response.status_code, response.url) == (302, _confirmation_url(day, proposal))
    # The job, once; the other callbacks after commit give the day's proposals a new version.
    assert [callback.keywords for callback in queued if isinstance(callback, partial)] == [{"proposal_id": proposal.pk}]
    assert '<h2 id="progress-heading">In progress</h2>' in page
    assert "0 of 2 pairs done so far" in page
    assert f'<a class="btn btn-outline-primary" href="{_confirmation_url(day, proposal)}">Refresh</a>' in page
    assert 'hx-trigger="every 2s"' in page
    assert "<script>" not in page
    assert not Booking.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_confirm_without_a_broker_returns_at_once_and_the_scheduler_books_what_it_can(client, organisation, organiser):
    day, proposal = _day_to_confirm(organisation, organiser, pairs=3)
    taken = proposal.pairs.select_related("request__learner", "slot").order_by("slot__starts_at", "id").last()
    booked_slot(slot=taken.slot, learner=UserFactory())
    client.force_login(organiser)

    response = client.post(reverse("matchmaking:confirm", args=[day.pk]), {"proposal_id": proposal.pk}, follow=True)
    booked_by_the_request = Booking.objects.filter(day=day).count() - 1
    scheduler_pass.send(sender=None)  # what run_scheduler sends every couple of seconds
    page = client.get(_confirmation_url(day, proposal)).content.decode()

    assert response.redirect_chain == [(_confirmation_url(day, proposal), 302)]
    assert "0 of 3 pairs done so far" in response.content.decode()
    assert booked_by_the_request == 0
    assert "Finished: what was booked" in page
    assert "2 of 3 pairs booked." in page
    assert "1 pair was not booked" in page
    assert page.count('class="not-booked-row"') == 1
    assert taken.request.learner.display_name in page
    assert "Someone else booked this slot first." in page
    assert 'hx-trigger="every 2s"' not in page
    assert Booking.objects.filter(day=day, status="active").count() == 3


def test_confirming_again_shows_the_same_progress_and_books_nothing_more(
    client, organisation, organiser, django_capture_on_commit_callbacks
):
    day, proposal = _day_to_confirm(organisation, organiser, pairs=1)
    client.force_login(organiser)
    url = reverse("matchmaking:confirm", args=[day.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"proposal_id": proposal.pk})
    proposal_confirmations_book_waiting()
    with django_capture_on_commit_callbacks() as queued_again:
        again = client.post(url, {"proposal_id": proposal.pk}, follow=True)

    page = again.content.decode()
    assert again.redirect_chain == [(_confirmation_url(day, proposal), 302)]
    assert "This proposal has already been confirmed." in page
    assert "1 of 1 pair booked." in page
    assert "Every pair in the proposal was booked." in page
    assert queued_again == []
    assert Booking.objects.filter(day=day, status="active").count() == 1


def test_confirm_view_reports_a_proposal_that_was_replaced(client, organisation, organiser):
    day, proposal = _day_to_confirm(organisation, organiser, pairs=1)
    client.force_login(organiser)

    replaced = client.post(reverse("matchmaking:confirm", args=[day.pk]), {"proposal_id": proposal.pk + 1}, follow=True)
    nonsense = client.post(reverse("matchmaking:confirm", args=[day.pk]), {"proposal_id": "x"}, follow=True)

    assert "This proposal has been replaced. Please look again." in replaced.content.decode()
    assert "Please confirm the proposal shown on the page." in nonsense.content.decode()
    assert replaced.redirect_chain == [(reverse("matchmaking:proposal", args=[day.pk]), 302)]
    assert not Booking.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_confirmation_page_refuses_everyone_but_the_days_organisers(client, request, persona, organisation, organiser):
    day, proposal = _day_to_confirm(organisation, organiser, pairs=1)
    confirm_now(day, proposal, organiser)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(_confirmation_url(day, proposal))

    assert response.status_code == ORGANISER_ONLY[persona]


def test_confirmation_page_sends_anonymous_visitors_to_log_in(client, organisation, organiser):
    day, proposal = _day_to_confirm(organisation, organiser, pairs=1)
    confirm_now(day, proposal, organiser)

    response = client.get(_confirmation_url(day, proposal))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_confirmation_page_is_not_found_for_a_draft_or_under_another_day(client, organisation, organiser):
    day, proposal = _day_to_confirm(organisation, organiser, pairs=1)
    other_day, other = _day_to_confirm(organisation, organiser, pairs=1)
    confirm_now(other_day, other, organiser)
    client.force_login(organiser)

    assert client.get(_confirmation_url(day, proposal)).status_code == 404
    assert client.get(reverse("matchmaking:confirmation", args=[day.pk, other.pk])).status_code == 404
    assert client.get(_confirmation_url(other_day, other)).status_code == 200


def test_proposal_page_while_booking_points_to_the_progress_and_cannot_run(client, organisation, organiser):
    day, proposal = _day_to_confirm(organisation, organiser, pairs=2)
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
    client.force_login(organiser)

    during = client.get(reverse("matchmaking:proposal", args=[day.pk])).content.decode()
    rerun = client.post(reverse("matchmaking:run", args=[day.pk]), follow=True).content.decode()
    proposal_confirm_pairs(proposal_id=proposal.pk)
    after = client.get(reverse("matchmaking:proposal", args=[day.pk])).content.decode()

    assert "pairs are being booked now" in during
    assert _confirmation_url(day, proposal) in during
    assert "Run matchmaking" not in during
    assert "Confirm and book" not in during
    assert "The confirmed pairs are still being booked." in rerun
    assert "2 pairs booked. <a" in after
    assert _confirmation_url(day, proposal) in after
    assert "Run matchmaking" in after


def test_withdrawing_while_the_pair_is_being_booked_is_refused_kindly(client, organisation, organiser):
    day, proposal = _day_to_confirm(organisation, organiser, pairs=1)
    learner = proposal.pairs.get().request.learner
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
    client.force_login(learner)

    response = client.post(reverse("matchmaking:request", args=[day.pk]), {"action": "withdraw"}, follow=True)

    assert "The organisers are booking your match right now." in response.content.decode()
    assert MatchRequest.objects.filter(learner=learner).exists()


def _some_not_booked(day, proposal, organiser):
    """Confirm with the first pair's slot taken by hand meanwhile, so one pair is not booked."""
    first = proposal.pairs.order_by("slot__starts_at", "id").first()
    booked_slot(slot=first.slot, learner=UserFactory())
    confirm_now(day, proposal, organiser)


@pytest.mark.parametrize("finished", [False, True])
@pytest.mark.parametrize("size", [2, 25])
def test_confirmation_page_query_count_does_not_grow(
    client, organisation, organiser, django_assert_num_queries, size, finished
):
    day, proposal = _day_to_confirm(organisation, organiser, pairs=size)
    if finished:
        _some_not_booked(day, proposal, organiser)
    else:
        proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
    client.force_login(organiser)
    url = _confirmation_url(day, proposal)
    client.get(url)

    # Session, user, zone, day, membership, then the proposal and the pairs not booked; while
    # booking, also the count of each outcome (afterwards the counts are on the proposal).
    with django_assert_num_queries(7 if finished else 8):
        response = client.get(url)

    page = response.content.decode()
    assert page.count('class="not-booked-row"') == (1 if finished else 0)
    assert (f"{size - 1} of {size} pairs booked." if finished else f"0 of {size} pairs done so far") in page


@pytest.mark.parametrize("size", [1, 25])
def test_proposal_page_query_count_does_not_grow(client, organisation, organiser, django_assert_num_queries, size):
    day, topics = make_day(organisation)
    for _ in range(size):
        add_surgeon(day, offers={topics["Blogging"]: 2}, slots=1)
        add_request(day, topics={topics["Blogging"]: 1})
    add_request(day, topics={topics["Privacy settings"]: 1})
    matchmaking_run(day=day, by=organiser)
    client.force_login(organiser)
    url = reverse("matchmaking:proposal", args=[day.pk])

    # Session, user, zone, day, membership, then the page's reads: proposals, request counts,
    # the pairs' totals, the learners left out counted, one page of pairs, their surgeons'
    # perspectives, one page of the learners left out; and the menu's "do they organise"
    # (people/navigation.py), kept in the cache after the first page.
    with django_assert_num_queries(13):
        client.get(url)
    # Again: the totals and both pages come from the cache; the perspectives are read afresh.
    with django_assert_num_queries(8):
        response = client.get(url)

    assert response.content.decode().count('class="proposal-row"') == size


@pytest.mark.parametrize("size", [1, 20])
def test_best_matches_query_count_does_not_grow(client, organisation, learner, django_assert_num_queries, size):
    day, topics = make_day(organisation)
    for _ in range(size):
        add_surgeon(day, offers={topics["Blogging"]: 2}, slots=2)
    add_request(day, learner=learner, topics={topics["Blogging"]: 1})
    client.force_login(learner)
    url = reverse("matchmaking:best_matches", args=[day.pk])
    client.get(url)

    with django_assert_num_queries(16):
        response = client.get(url)

    assert response.content.decode().count("both: Blogging") == 2 * size


def test_slots_ranked_for_puts_the_best_fit_first_and_leaves_out_own_and_busy_slots(organisation, learner):
    day, topics = make_day(organisation)
    blog, privacy = topics["Blogging"], topics["Privacy settings"]
    _, weak = add_surgeon(day, offers={blog: 1}, slots=1)
    _, strong = add_surgeon(day, offers={blog: 3}, slots=1)
    _, other = add_surgeon(day, offers={privacy: 3}, slots=1)
    add_surgeon(day, person=learner, offers={privacy: 3}, slots=0)
    add_request(day, learner=learner, topics={blog: 2})

    ranked = slots_ranked_for(day=day, learner=learner)

    assert [r.slot_id for r in ranked] == [strong[0].pk, weak[0].pk, other[0].pk]
    assert [r.reason for r in ranked] == ["both: Blogging", "both: Blogging", ""]


def test_slots_ranked_for_uses_only_perspectives_shown_to_everyone_at_the_event(organisation, learner):
    day, topics = make_day(organisation)
    blog = topics["Blogging"]
    _, paired_only = add_surgeon(day, offers={blog: 2}, slots=1, perspectives={"volunteer": Visibility.PAIRED})
    _, everyone = add_surgeon(day, offers={blog: 2}, slots=1, perspectives={"volunteer": Visibility.EVENT})
    add_request(day, learner=learner, topics={blog: 1}, preferences=[("perspective", "volunteer", "wish")])

    ranked = slots_ranked_for(day=day, learner=learner)

    assert [(r.slot_id, r.reason) for r in ranked] == [
        (everyone[0].pk, "both: Blogging; prefers a volunteer"),
        (paired_only[0].pk, "both: Blogging"),
    ]


def test_best_matches_books_a_slot(client, organisation, learner):
    day, topics = make_day(organisation)
    _, slots = add_surgeon(day, offers={topics["Blogging"]: 2}, slots=1)
    client.force_login(learner)

    response = client.post(reverse("matchmaking:best_matches", args=[day.pk]), {"slot_id": slots[0].pk}, follow=True)

    assert "You are booked." in response.content.decode()
    assert Booking.objects.get().learner == learner


def test_new_request_starts_from_profile_topics_and_can_be_withdrawn(client, organisation, learner):
    day, topics = make_day(organisation)
    TopicWantFactory(person=learner, topic=topics["Privacy settings"])
    client.force_login(learner)
    url = reverse("matchmaking:request", args=[day.pk])

    form = client.get(url).context["form"]
    assert form.initial[f"topic_{topics['Privacy settings'].pk}"] == "2"

    client.post(url, {f"topic_{topics['Blogging'].pk}": "1"})
    assert MatchRequest.objects.filter(learner=learner).exists()
    response = client.post(url, {"action": "withdraw"}, follow=True)
    assert "Your request is withdrawn." in response.content.decode()
    assert not MatchRequest.objects.filter(learner=learner).exists()


@pytest.mark.parametrize("pairs", [60, 1250])
def test_proposal_page_of_a_big_day_stays_small_with_the_same_queries(
    client, organisation, organiser, django_assert_num_queries, pairs
):
    day, topics = make_day(organisation)
    big_proposal(day=day, organiser=organiser, topic=topics["Blogging"], pairs=pairs, unmatched=pairs // 4)
    client.force_login(organiser)
    url = reverse("matchmaking:proposal", args=[day.pk])
    with django_assert_num_queries(13):
        client.get(url, {"page": "2", "unmatched": "1"})

    with django_assert_num_queries(8):
        response = client.get(url, {"page": "2", "unmatched": "1"})

    page = response.content.decode()
    assert len(response.content) < 100_000
    assert page.count('class="proposal-row"') == min(pairs - 50, 50)
    assert f"Pairs 51 to {min(pairs, 100)} of {pairs}." in page
    assert f"Matched {pairs} of {pairs + pairs // 4} requests" in page
    assert page.count("csrfmiddlewaretoken") == 3  # run, the pairs' buttons, confirm: not one per row


def test_proposal_page_past_the_end_shows_the_last_page_and_ignores_nonsense(client, organisation, organiser):
    day, topics = make_day(organisation)
    big_proposal(day=day, organiser=organiser, topic=topics["Blogging"], pairs=120, unmatched=60)
    client.force_login(organiser)
    url = reverse("matchmaking:proposal", args=[day.pk])

    past_the_end = client.get(url, {"page": "999", "unmatched": "999"})
    nonsense = client.get(url, {"page": "x'; DROP", "unmatched": ""})

    assert (past_the_end.status_code, nonsense.status_code) == (200, 200)
    assert "Page 3 of 3" in past_the_end.content.decode()
    assert "Page 2 of 2" in past_the_end.content.decode()
    assert past_the_end.content.decode().count('class="proposal-row"') == 20
    assert "Page 1 of 3" in nonsense.content.decode()
    assert 'href="?page=2&amp;unmatched=1"' in nonsense.content.decode()


def test_a_page_number_read_as_another_page_never_takes_the_first_pages_place(client, organisation, organiser):
    """Paginator reads "-1" and "9999999" as the last page; kept under the first page's
    key, they made every organiser's page 1 show the last pairs until it expired."""
    day, topics = make_day(organisation)
    big_proposal(day=day, organiser=organiser, topic=topics["Blogging"], pairs=120, unmatched=5)
    client.force_login(organiser)
    url = reverse("matchmaking:proposal", args=[day.pk])

    for odd in ("-1", "9999999", "+2", " 2"):
        client.get(url, {"page": odd})
    first = client.get(url).content.decode()

    assert "Page 1 of 3" in first
    assert "Pairs 1 to 50 of 120." in first


def _proposal_html(client, day, **params) -> str:
    return client.get(reverse("matchmaking:proposal", args=[day.pk]), params).content.decode()


def test_proposal_page_shows_a_pair_locked_or_removed_at_once(client, organisation, organiser):
    day, topics = make_day(organisation)
    proposal = big_proposal(day=day, organiser=organiser, topic=topics["Blogging"], pairs=60, unmatched=2)
    first = proposal.pairs.order_by("slot__starts_at", "slot__surgeon__display_name", "id").first()
    client.force_login(organiser)
    before = _proposal_html(client, day)

    client.post(reverse("matchmaking:pair_lock", args=[day.pk, first.pk]), {"locked": "1"})
    locked = _proposal_html(client, day)
    client.post(reverse("matchmaking:pair_remove", args=[day.pk, first.pk]))
    removed = _proposal_html(client, day)

    assert "Locked</span>" not in before
    assert locked.count("Locked</span>") == 1
    assert "Matched 60 of 62 requests" in before
    assert "Matched 59 of 62 requests" in removed
    assert first.request.learner.display_name in removed.split('class="table unmatched-table"')[1]
    assert removed.count('class="proposal-row"') == 50


def test_proposal_page_stops_listing_a_learner_who_withdraws(client, organisation, organiser):
    day, topics = make_day(organisation)
    proposal = big_proposal(day=day, organiser=organiser, topic=topics["Blogging"], pairs=2, unmatched=2)
    left_out = MatchRequest.objects.get(pk=proposal.unmatched[0]["request"])
    client.force_login(organiser)
    before = _proposal_html(client, day)

    match_request_withdraw(day=day, learner=left_out.learner)
    after = _proposal_html(client, day)

    assert left_out.learner.display_name in before
    assert left_out.learner.display_name not in after


class _CacheDown:
    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise RedisConnectionError("Connection refused")

        return refuse


def test_proposal_page_is_served_when_the_cache_is_down(client, organisation, organiser, monkeypatch):
    day, topics = make_day(organisation)
    big_proposal(day=day, organiser=organiser, topic=topics["Blogging"], pairs=3, unmatched=1)
    client.force_login(organiser)

    # The versions and kept parts go through people/cache_versions.py, which goes on without the cache.
    monkeypatch.setattr(cache_versions, "cache", _CacheDown())
    response = client.get(reverse("matchmaking:proposal", args=[day.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('class="proposal-row"') == 3
    assert "Matched 3 of 4 requests" in response.content.decode()
