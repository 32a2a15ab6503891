"""Matchmaking end to end in a real browser: ask, run, adjust, confirm, see the reason;
and the confirmation page following the booking job by itself."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from matchmaking.benchdata import big_proposal
from matchmaking.services import confirm as confirming
from matchmaking.services import matchmaking_run
from outbox.signals import scheduler_pass
from people.enums import Visibility
from people.models import Membership
from surgeries.models import Booking
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in, log_out
from tests.factories import (
    DaySurgeonFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonPerspectiveFactory,
    ProfileFactory,
    SlotFactory,
    SurgeryDayFactory,
    TopicFactory,
    TopicOfferFactory,
    UserFactory,
    add_request,
)


def _person(leeds, email, name, role=Membership.Role.MEMBER):
    person = UserFactory(email=email, display_name=name)
    MembershipFactory(organisation=leeds, person=person, role=role)
    ProfileFactory(person=person, languages="English")
    return person


def _day_with_surgeons():
    leeds = OrganisationFactory(name="Leeds Mental Health Social Media Surgery", slug="leeds")
    _person(leeds, "priya@example.org", "Priya", Membership.Role.ORGANISER)
    blogging = TopicFactory(organisation=leeds, name="Blogging")
    day = SurgeryDayFactory(organisation=leeds, title="Winter surgery")
    for name, confidence, slots in (("Sam", 3, 2), ("Joan", 1, 1)):
        surgeon = _person(leeds, f"{name.lower()}@example.org", name, Membership.Role.SURGEON)
        TopicOfferFactory(person=surgeon, topic=blogging, confidence=confidence)
        day_surgeon = DaySurgeonFactory(day=day, person=surgeon)
        for k in range(slots):
            SlotFactory(day_surgeon=day_surgeon, starts_at=day.starts_at + timedelta(minutes=30 * k))
    sam = day.surgeons.get(person__display_name="Sam").person
    # Sam shares lived experience with the people they are paired with, and volunteering with organisers only.
    PersonPerspectiveFactory(person=sam, perspective="lived_experience", visibility=Visibility.PAIRED)
    PersonPerspectiveFactory(person=sam, perspective="volunteer", visibility=Visibility.ORGANISERS)
    maria = _person(leeds, "maria@example.org", "Maria")
    add_request(day, learner=maria, topics={blogging: 2}, preferences=[("perspective", "volunteer", "wish")])
    _person(leeds, "alex@example.org", "Alex")
    return day


def test_learner_asks_organiser_matches_adjusts_confirms_and_learner_sees_why(page):
    day = _day_with_surgeons()

    log_in(page, "alex@example.org")
    page.goto(f"/days/{day.pk}/match-me/")
    assert_accessible(page)
    page.get_by_label("Blogging").select_option(label="Most important")
    page.get_by_label("A surgeon who is a peer with lived experience").select_option(label="I would like this")
    page.get_by_role("button", name="Save my request").click()
    expect(page.get_by_text("Your request is saved.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See the best free slots for me").click()
    expect(page.get_by_role("table", name="Free slots, best fit first")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    log_in(page, "priya@example.org")
    page.goto(f"/days/{day.pk}/matchmaking/")
    assert_accessible(page)
    page.get_by_role("button", name="Run matchmaking").click()
    expect(page.get_by_text("Matched 2 of 2 requests", exact=True)).to_be_visible()
    proposal = page.get_by_role("table", name="Proposed pairs, by time")
    expect(proposal).to_contain_text("both: Blogging; prefers a peer with lived experience")
    expect(proposal).to_contain_text("prefers a volunteer")
    assert_accessible(page)

    page.get_by_role("button", name="Lock Maria").click()
    expect(page.get_by_text("Pair locked")).to_be_visible()
    page.get_by_role("link", name="Change slot for Alex").click()
    assert_accessible(page)
    current = page.locator("input[name=slot_id]:checked").get_attribute("value")
    other = page.locator(f"input[name=slot_id]:not([value='{current}'])").first
    other.check()
    page.get_by_role("button", name="Use this slot").click()
    expect(page.get_by_text("Alex has a new slot")).to_be_visible()
    page.get_by_role("button", name="Run again, keeping locked pairs").click()
    expect(page.get_by_text("Matched 2 of 2 requests", exact=True)).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Confirm and book 2 sessions")).click()
    # Tasks run in-process here: the request only starts it, the embedded scheduler books it.
    expect(page.get_by_role("heading", name="In progress")).to_be_visible()
    scheduler_pass.send(sender=None)
    expect(page.get_by_role("heading", name="Finished: what was booked")).to_be_visible()
    expect(page.get_by_text("2 of 2 pairs booked.", exact=True)).to_be_visible()
    expect(page.get_by_text("Every pair in the proposal was booked.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to matchmaking").click()
    expect(page.get_by_text("2 pairs booked.", exact=False)).to_be_visible()
    log_out(page)

    alex = Booking.objects.get(learner__display_name="Alex")
    assert str(alex.slot_id) != current
    log_in(page, "alex@example.org")
    page.goto(f"/days/{day.pk}/match-me/")
    expect(page.get_by_role("heading", name="Your match")).to_be_visible()
    expect(page.get_by_text("You meet: Sam")).to_be_visible()
    expect(page.get_by_text("both: Blogging; prefers a peer with lived experience")).to_be_visible()
    assert "volunteer" not in page.content()
    assert_accessible(page)


def test_confirmation_page_follows_the_booking_job_without_reloading(page, monkeypatch):
    day = _day_with_surgeons()
    priya = day.organisation.memberships.get(role=Membership.Role.ORGANISER).person
    proposal = matchmaking_run(day=day, by=priya).proposal
    # The job waits, as if a busy worker had not reached it yet.
    monkeypatch.setattr(confirming, "queue_confirm", lambda **kwargs: None)
    confirming.proposal_confirm_start(day=day, proposal_id=proposal.pk, by=priya)

    log_in(page, "priya@example.org")
    page.goto(f"/days/{day.pk}/matchmaking/confirmations/{proposal.pk}/")
    expect(page.get_by_role("heading", name="In progress")).to_be_visible()
    expect(page.get_by_text("0 of 1 pair done so far")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Booking the matches. This page updates by itself.")
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()
    assert_accessible(page)
    url = page.url

    confirming.proposal_confirm_pairs(proposal_id=proposal.pk)

    expect(page.get_by_role("heading", name="Finished: what was booked")).to_be_visible()
    expect(page.get_by_text("1 of 1 pair booked.", exact=True)).to_be_visible()
    # The one status line screen readers hear changes once, when booking is done.
    expect(page.get_by_role("status")).to_have_text("Finished: 1 of 1 pair booked.")
    expect(page.get_by_role("link", name="Refresh")).to_have_count(0)
    assert page.url == url
    assert_accessible(page)


def test_big_proposal_page_fits_a_phone_and_pages_through_pairs(page):
    day = _day_with_surgeons()
    priya = day.organisation.memberships.get(role=Membership.Role.ORGANISER).person
    topic = day.organisation.topics.get(name="Blogging")
    big_proposal(day=day, organiser=priya, topic=topic, pairs=300, unmatched=80)
    page.set_viewport_size({"width": 390, "height": 844})

    log_in(page, "priya@example.org")
    page.goto(f"/days/{day.pk}/matchmaking/")
    expect(page.get_by_text("Pairs 1 to 50 of 300.")).to_be_visible()
    assert_fits_width(page)
    assert_accessible(page)
    page.get_by_role("link", name="Next page of proposed pairs").first.click()
    expect(page.get_by_text("Pairs 51 to 100 of 300.")).to_be_visible()
    page.get_by_role("link", name="Next page of learners not matched").click()
    expect(page.get_by_text("Page 2 of 2", exact=True)).to_be_visible()
    expect(page.get_by_text("Pairs 51 to 100 of 300.")).to_be_visible()
    assert_fits_width(page)
