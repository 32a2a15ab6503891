import os

from django.core import mail
from playwright.sync_api import expect

from afterday.models import Feedback, WorkshopFeedback
from directory.services import listing_save
from people.models import DirectoryMessage, Membership
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import (
    OrganisationFactory,
    TopicFactory,
    TopicOfferFactory,
    member,
    past_day,
    past_place,
    past_session,
    past_workshop,
)
from workshops.models import Registration


def test_learner_gives_feedback_on_a_session(page):
    organisation = OrganisationFactory(slug="leeds")
    learner = member(organisation, email="lee@example.org", display_name="Lee")
    surgeon = member(organisation, role=Membership.Role.SURGEON, email="sam@example.org", display_name="Sam")
    past_session(past_day(organisation, title="Autumn surgery"), surgeon=surgeon, learner=learner)

    log_in(page, "lee@example.org")
    page.get_by_role("link", name="Past sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Past sessions")
    assert_accessible(page)
    page.get_by_role("link", name="Say how useful it was (session with Sam)").click()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("4: useful").check()
    page.get_by_label("Anything you would like to say? (optional)").fill("Clear and kind.")
    page.get_by_label("My surgeon and the organisers").check()
    page.get_by_role("button", name="Send feedback").click()

    expect(page.get_by_text("Thank you. Your feedback is saved.")).to_be_visible()
    expect(page.get_by_text("You rated this session 4 out of 5.")).to_be_visible()
    assert list(Feedback.objects.values_list("usefulness", "comment_audience")) == [(4, "surgeon")]


def test_participant_rates_a_workshop_and_the_facilitator_marks_who_did_not_come(page):
    organisation = OrganisationFactory(slug="leeds")
    learner = member(organisation, email="lee@example.org", display_name="Lee")
    facilitator = member(organisation, role=Membership.Role.SURGEON, email="joan@example.org", display_name="Joan")
    absent = member(organisation, email="kim@example.org", display_name="Kim")
    workshop = past_workshop(past_day(organisation, title="Autumn surgery"), facilitator=facilitator, title="Podcasts")
    past_place(workshop, learner)
    missed = past_place(workshop, absent)

    log_in(page, "lee@example.org")
    page.get_by_role("link", name="Past sessions").click()
    expect(page.get_by_role("heading", name="Workshops you took part in")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Say how useful it was (Podcasts)").click()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("5: very useful").check()
    page.get_by_label("Anything you would like to say? (optional)").fill("Now I want to start one.")
    page.get_by_label("The facilitators and the organisers").check()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("You rated this workshop 5 out of 5.")).to_be_visible()
    page.context.clear_cookies()

    log_in(page, "joan@example.org")
    page.get_by_role("link", name="Past sessions").click()
    expect(page.get_by_text("Now I want to start one.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Who came to Podcasts").click()
    page.get_by_role("button", name="Did not come (Kim)").click()
    expect(page.get_by_text("Kim is marked as did not come.")).to_be_visible()
    assert_accessible(page)
    assert Registration.objects.get(pk=missed.pk).is_no_show


def test_organiser_reads_the_impact_report_with_charts_and_tables(page):
    organisation = OrganisationFactory(slug="leeds")
    member(organisation, role=Membership.Role.ORGANISER, email="olu@example.org", display_name="Olu")
    day = past_day(organisation, title="Autumn surgery")
    privacy = TopicFactory(organisation=organisation, name="Privacy and safety settings")
    blogging = TopicFactory(organisation=organisation, name="Blogging")
    for index in range(8):
        session = past_session(day, index=index, topics=[privacy] if index < 6 else [blogging])
        Feedback.objects.create(
            day=day, booking=session, author=session.learner, role="learner", usefulness=5 if index < 5 else 4
        )
    workshop = past_workshop(day, title="Getting started with Instagram", index=3)
    for index in range(21):
        place = past_place(workshop, is_no_show=index == 20)
        if index < 20:
            WorkshopFeedback.objects.create(
                registration=place, workshop=workshop, author=place.person, usefulness=4 + index % 2
            )

    log_in(page, "olu@example.org")
    page.goto(f"/after/organise/days/{day.pk}/impact/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Impact report: Autumn surgery")
    expect(page.get_by_role("img", name="Topics asked for")).to_be_visible()
    expect(page.get_by_role("img", name="How useful learners found their sessions")).to_be_visible()
    expect(page.get_by_role("row", name="Blogging fewer than 5 fewer than 5")).to_be_visible()
    expect(page.get_by_role("row", name="Sessions held 8")).to_be_visible()
    expect(page.get_by_role("heading", name="Workshops", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="How useful participants found the workshops")).to_be_visible()
    expect(page.get_by_role("row", name="Workshop places used (people who came) 20")).to_be_visible()
    expect(page.get_by_role("row", name="Average usefulness of workshops (1 to 5) 4.5")).to_be_visible()
    assert_accessible(page)
    shot = os.environ.get("REPORT_SCREENSHOT")
    if shot:
        page.screenshot(path=shot, full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these tables (CSV)").click()
    assert download.value.suggested_filename == f"impact-day-{day.pk}.csv"


def test_member_finds_someone_by_topic_and_gets_in_touch(page):
    organisation = OrganisationFactory(slug="leeds")
    member(organisation, email="lee@example.org", display_name="Lee")
    sam = member(organisation, role=Membership.Role.SURGEON, email="sam@example.org", display_name="Sam")
    member(organisation, role=Membership.Role.SURGEON, email="joan@example.org", display_name="Joan")
    podcasts = TopicFactory(organisation=organisation, name="Podcasts")
    TopicOfferFactory(person=sam, topic=podcasts)
    listing_save(person=sam, organisation=organisation, intro="Podcasts and video.")
    listing_save(person=organisation.memberships.get(person__display_name="Joan").person, organisation=organisation)

    log_in(page, "lee@example.org")
    page.goto("/organisations/leeds/directory/")
    assert_accessible(page)
    page.get_by_label("Topic").select_option(label="Podcasts")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="Members interested in Podcasts (1)")).to_be_visible()
    page.get_by_role("link", name="Get in touch with Sam").click()
    assert_accessible(page)
    page.get_by_label("Your message*").fill("Could you show me how to start a podcast?")
    page.get_by_role("button", name="Send message").click()

    expect(page.get_by_text("Your message to Sam is on its way.")).to_be_visible()
    assert DirectoryMessage.objects.get().recipient == sam
    assert mail.outbox == []  # sent by the outbox sweep, never from the web request
