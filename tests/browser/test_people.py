"""Profiles, privacy, my data and the organiser's people pages, in a real browser."""

import json

from playwright.sync_api import expect

from people.models import Membership, OrganisationBlock, Profile, User
from tests.browser.conftest import assert_accessible, log_in, log_out
from tests.factories import (
    TEST_PASSWORD,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    TopicFactory,
    UserFactory,
)


def _leeds_with_people():
    leeds = OrganisationFactory(name="Leeds Mental Health Social Media Surgery", slug="leeds")
    organiser = UserFactory(email="priya@example.org", display_name="Priya")
    learner = UserFactory(email="alex@example.org", display_name="Alex")
    MembershipFactory(organisation=leeds, person=organiser, role=Membership.Role.ORGANISER)
    MembershipFactory(organisation=leeds, person=learner, role=Membership.Role.MEMBER)
    TopicFactory(organisation=leeds, name="Blogging", description="Starting a blog.")
    TopicFactory(organisation=leeds, name="Dealing with trolls")
    return leeds, organiser, learner


def test_fill_profile_set_visibility_and_see_it_as_an_organiser(page):
    _, _, learner = _leeds_with_people()
    log_in(page, "alex@example.org")

    page.get_by_role("link", name="My profile").click()
    assert_accessible(page)
    page.get_by_role("link", name="Edit my profile").click()
    assert_accessible(page)
    page.get_by_label("Pronouns (optional)").fill("they/them")
    page.get_by_label("A little about you (optional)").fill("I write about my recovery.")
    page.get_by_label("Lived experience of mental health difficulties", exact=True).check()
    page.get_by_label("Volunteer", exact=True).check()
    page.get_by_label("Who can see “Volunteer”?").select_option(label="Organisers")
    page.get_by_label("Step-free access").check()
    page.get_by_label("Who can see your access needs?").select_option(label="Organisers")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Choose my topics").click()
    assert_accessible(page)
    page.get_by_role("group", name="Blogging").get_by_label("Can you help others with this?").select_option(
        label="Confident"
    )
    page.get_by_role("group", name="Dealing with trolls").get_by_label("I would like help with this").check()
    page.get_by_role("button", name="Save my topics").click()
    expect(page.get_by_text("Blogging (Confident)")).to_be_visible()

    page.get_by_role("link", name="As an organiser").click()
    assert_accessible(page)
    expect(page.get_by_text("Volunteer")).to_be_visible()
    assert "Lived experience" not in page.content()
    assert "I write about my recovery." not in page.content()
    log_out(page)

    log_in(page, "priya@example.org")
    page.goto(f"/people/{learner.pk}/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Alex (they/them)")).to_be_visible()
    expect(page.get_by_text("Step-free access")).to_be_visible()
    html = page.content()
    assert "Volunteer" in html
    assert "Lived experience" not in html
    assert "I write about my recovery." not in html


def test_profile_form_shows_messages_next_to_fields(page):
    _leeds_with_people()
    log_in(page, "alex@example.org")
    page.goto("/my/profile/edit/")

    page.get_by_label("Your name*").fill("")
    page.get_by_role("button", name="Save my profile").click()

    expect(page.get_by_text("Tell us the name to show to other people.")).to_be_visible()
    assert_accessible(page)


def test_export_my_data_downloads_json(page):
    _, _, learner = _leeds_with_people()
    Profile.objects.create(person=learner, bio="Hello from Alex")
    log_in(page, "alex@example.org")

    page.get_by_role("link", name="My data").click()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data (JSON)").click()

    data = json.loads(open(download_info.value.path(), encoding="utf-8").read())  # noqa: SIM115
    assert data["account"]["email"] == "alex@example.org"
    assert data["profile"]["bio"] == "Hello from Alex"


def test_delete_my_account(page):
    _, _, learner = _leeds_with_people()
    log_in(page, "alex@example.org")
    page.goto("/my/data/")

    page.get_by_role("link", name="Delete my account").click()
    assert_accessible(page)
    page.get_by_label("Your password*").fill("wrong password")
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_text("That password is not right. Please try again.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your password*").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Delete my account for good").click()

    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    assert_accessible(page)
    learner.refresh_from_db()
    assert (learner.is_active, learner.display_name) == (False, "Former member")
    page.goto("/accounts/login/")
    page.get_by_label("Email*", exact=True).fill("alex@example.org")
    page.get_by_label("Password*", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("link", name="Log out")).to_have_count(0)


def test_organiser_filters_people_blocks_one_and_reads_the_audit_log(page):
    leeds, _, learner = _leeds_with_people()
    log_in(page, "priya@example.org")

    page.goto(f"/organisations/{leeds.slug}/")
    assert_accessible(page)
    page.get_by_role("link", name="People", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Perspective").select_option(label="Volunteer")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("0 people")).to_be_visible()
    page.get_by_role("link", name="Show everyone").click()
    page.get_by_role("button", name="Block Alex").click()
    expect(page.get_by_role("heading", name="Block Alex?")).to_be_visible()
    assert not OrganisationBlock.objects.exists()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, block Alex").click()
    expect(page.get_by_text("Alex can no longer book this organisation's days.")).to_be_visible()
    assert OrganisationBlock.objects.filter(organisation=leeds, person=learner).exists()
    assert_accessible(page)

    page.get_by_role("link", name="Topics").click()
    assert_accessible(page)
    page.get_by_role("link", name="Invitations").click()
    page.get_by_label("Their email address*").fill("joan@example.org")
    page.get_by_label("Surgeon").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to joan@example.org.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Audit log").click()
    assert_accessible(page)
    assert User.objects.filter(email="joan@example.org").count() == 0


def test_invitation_opened_by_someone_else_explains_and_lets_the_invited_person_sign_in(page):
    leeds, _, _ = _leeds_with_people()
    joan = UserFactory(email="joan@example.org", display_name="Joan")
    InvitationFactory(organisation=leeds, email="joan@example.org", token="forwarded", role="organiser")
    log_in(page, "alex@example.org")

    page.goto("/invitations/forwarded/")
    expect(page.get_by_text("This invitation was sent to j•••@example.org")).to_be_visible()
    expect(page.get_by_role("button", name="Accept the invitation")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Sign out and sign in as the invited person").click()
    page.get_by_label("Email*", exact=True).fill("joan@example.org")
    page.get_by_label("Password*", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Accept the invitation").click()

    expect(page.get_by_text("Welcome to Leeds Mental Health Social Media Surgery.")).to_be_visible()
    assert Membership.objects.get(organisation=leeds, person=joan).role == "organiser"
    assert not Membership.objects.filter(
        organisation=leeds, person__email="alex@example.org", role="organiser"
    ).exists()
