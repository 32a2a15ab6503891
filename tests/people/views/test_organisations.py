"""Organisation details, topics, invitations, blocking, the people list and the audit log."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from people import services
from people.models import AuditEntry, Invitation, Membership, OrganisationBlock, Topic
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    PersonPerspectiveFactory,
    ProfileFactory,
    TopicFactory,
    TopicOfferFactory,
    TopicWantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_organisation_edit_saves_safeguarding_contact(client, organiser, organisation):
    client.force_login(organiser)
    data = {
        "name": organisation.name,
        "description": "Friendly help",
        "contact_email": "hello@example.org",
        "safeguarding_contact_name": "Ruth",
        "safeguarding_contact_email": "ruth@example.org",
        "safeguarding_contact_phone": "0113 000 0000",
    }

    response = client.post(reverse("people:organisation_edit", args=[organisation.slug]), data)

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.safeguarding_contact_name, organisation.safeguarding_contact_email) == (
        "Ruth",
        "ruth@example.org",
    )


def test_organisation_edit_bad_email_shows_message_and_saves_nothing(client, organiser, organisation):
    client.force_login(organiser)
    data = {"name": "Renamed", "safeguarding_contact_email": "not-an-email"}

    response = client.post(reverse("people:organisation_edit", args=[organisation.slug]), data)

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == "Leeds Mental Health Social Media Surgery"


def test_organisation_detail_shows_safeguarding_contact_to_members(client, learner, organisation):
    organisation.safeguarding_contact_name = "Ruth"
    organisation.save()
    client.force_login(learner)

    page = client.get(reverse("people:organisation_detail", args=[organisation.slug])).content.decode()

    assert "Ruth" in page
    assert "Edit details" not in page


def test_topic_create_and_retire(client, organiser, organisation):
    client.force_login(organiser)
    url = reverse("people:topic_list", args=[organisation.slug])

    client.post(url, {"name": "Blogging", "description": "Start a blog", "is_active": "on"})
    topic = Topic.objects.get(organisation=organisation, name="Blogging")
    client.post(reverse("people:topic_edit", args=[organisation.slug, topic.pk]), {"name": "Blogging"})

    topic.refresh_from_db()
    assert topic.is_active is False
    assert "Retired" in client.get(url).content.decode()


def test_topic_create_duplicate_name_shows_message_next_to_field(client, organiser, organisation):
    TopicFactory(organisation=organisation, name="Blogging")
    client.force_login(organiser)

    response = client.post(reverse("people:topic_list", args=[organisation.slug]), {"name": "blogging"})

    assert response.status_code == 200
    assert "There is already a topic called “blogging”. Choose another name." in response.content.decode()
    assert Topic.objects.filter(organisation=organisation, name="Blogging").count() == 1


def test_topic_create_without_name_shows_message(client, organiser, organisation):
    client.force_login(organiser)

    response = client.post(reverse("people:topic_list", args=[organisation.slug]), {"name": ""})

    assert "Give the topic a short name." in response.content.decode()
    assert not Topic.objects.exists()


def test_invitation_create_emails_a_link_that_works_once(
    client, organiser, organisation, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("people:invitation_list", args=[organisation.slug]),
            {"email": "New@Example.org", "role": "surgeon"},
        )

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    link = re.search(r"http://\S+/invitations/(\S+)/", mail.outbox[0].body)
    token = link.group(1)
    assert Invitation.objects.get().token_hash != token
    invitee = UserFactory(email="new@example.org")
    client.force_login(invitee)
    client.post(reverse("people:invitation_accept", args=[token]))
    assert Membership.objects.get(organisation=organisation, person=invitee).role == "surgeon"
    client.force_login(UserFactory())
    page = client.post(reverse("people:invitation_accept", args=[token]), follow=True).content.decode()
    assert "This invitation has already been used." in page


def test_invitation_create_bad_email_and_role_show_messages(client, organiser, organisation):
    client.force_login(organiser)

    response = client.post(reverse("people:invitation_list", args=[organisation.slug]), {"email": "x", "role": "boss"})

    page = response.content.decode()
    assert "Enter an email address like name@example.org." in page
    assert "Select a valid choice." in page
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invitation_accept_expired_is_refused(organisation, stranger):
    InvitationFactory(
        organisation=organisation, email=stranger.email, token="old", expires_at=timezone.now() - timedelta(minutes=1)
    )

    with pytest.raises(services.PeopleError, match="expired"):
        services.invitation_accept(token="old", person=stranger)

    assert not Membership.objects.filter(person=stranger).exists()


def test_invitation_accept_never_lowers_an_existing_role(organisation, organiser):
    InvitationFactory(organisation=organisation, email=organiser.email, token="t", role="surgeon")

    membership = services.invitation_accept(token="t", person=organiser)

    assert membership.role == "organiser"


def test_invitation_accept_raises_a_member_to_the_invited_role(organisation, learner):
    InvitationFactory(organisation=organisation, email=learner.email, token="t", role="facilitator")

    assert services.invitation_accept(token="t", person=learner).role == "facilitator"


def test_invitation_accept_by_blocked_person_is_refused(organisation, organiser, learner):
    services.person_block(organisation=organisation, person=learner, actor=organiser)
    InvitationFactory(organisation=organisation, email=learner.email, token="t", role="surgeon")

    with pytest.raises(services.PeopleError):
        services.invitation_accept(token="t", person=learner)

    assert learner.memberships.get().role == "member"


def test_invitation_accept_by_the_invited_person_joins_whatever_the_case_of_the_address(client, organisation):
    invitee = UserFactory(email="Jo.Invitee@Example.org")
    InvitationFactory(organisation=organisation, email="jo.invitee@example.org", token="t", role="organiser")
    client.force_login(invitee)

    response = client.post(reverse("people:invitation_accept", args=["t"]))

    assert response.status_code == 302
    assert Membership.objects.get(organisation=organisation, person=invitee).role == "organiser"


def test_invitation_accept_with_a_verified_second_address_joins(organisation):
    person = UserFactory(email="work@example.org")
    EmailAddress.objects.create(user=person, email="home@example.org", verified=True, primary=False)
    InvitationFactory(organisation=organisation, email="home@example.org", token="t")

    assert services.invitation_accept(token="t", person=person).organisation == organisation


def test_invitation_accept_with_an_unverified_second_address_is_refused(organisation):
    person = UserFactory(email="work@example.org")
    EmailAddress.objects.create(user=person, email="home@example.org", verified=False, primary=False)
    InvitationFactory(organisation=organisation, email="home@example.org", token="t")

    with pytest.raises(services.PeopleError, match=r"h•••@example\.org"):
        services.invitation_accept(token="t", person=person)

    assert not Membership.objects.filter(person=person).exists()


def test_invitation_accept_by_someone_else_is_refused_and_stays_usable_for_the_invitee(client, organisation, stranger):
    """A forwarded invitation email must not make whoever holds the link an organiser."""
    InvitationFactory(organisation=organisation, email="jo.invitee@example.org", token="t", role="organiser")
    url = reverse("people:invitation_accept", args=["t"])
    client.force_login(stranger)

    page = client.get(url).content.decode()
    refused = client.post(url, follow=True).content.decode()

    assert "This invitation was sent to j•••@example.org" in page
    assert "Sign out and sign in as the invited person" in page
    assert "Accept the invitation" not in page
    assert "jo.invitee@example.org" not in page + refused
    assert "This invitation was sent to j•••@example.org, not to the address you are signed in with." in refused
    assert not Membership.objects.filter(person=stranger).exists()
    assert Invitation.objects.get().accepted_at is None
    invitee = UserFactory(email="jo.invitee@example.org")
    client.force_login(invitee)
    client.post(url)
    assert Membership.objects.get(organisation=organisation, person=invitee).role == "organiser"


def test_invitation_accept_sign_out_button_returns_to_the_invitation(client, organisation, stranger):
    InvitationFactory(organisation=organisation, email="jo.invitee@example.org", token="t")
    url = reverse("people:invitation_accept", args=["t"])
    client.force_login(stranger)

    response = client.post(reverse("account_logout"), {"next": url})

    assert response.url == url
    assert "_auth_user_id" not in client.session


def test_invitation_accept_unknown_token_is_not_found(client, stranger):
    client.force_login(stranger)

    assert client.get(reverse("people:invitation_accept", args=["nope"])).status_code == 404


def test_block_and_unblock_from_people_list(client, organiser, organisation, learner):
    client.force_login(organiser)
    url = reverse("people:person_block", args=[organisation.slug, learner.pk])

    client.post(url, {"action": "block", "confirmed": "yes"})
    blocked = OrganisationBlock.objects.filter(organisation=organisation, person=learner).exists()
    client.post(url, {"action": "unblock"})

    assert blocked is True
    assert not OrganisationBlock.objects.filter(organisation=organisation, person=learner).exists()


def test_block_first_asks_for_confirmation_and_blocks_nobody(client, organiser, organisation, learner):
    client.force_login(organiser)

    response = client.post(reverse("people:person_block", args=[organisation.slug, learner.pk]), {"action": "block"})

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Block {learner.display_name}?" in page
    assert 'name="confirmed" value="yes"' in page
    assert not OrganisationBlock.objects.exists()


def test_block_confirmed_blocks_and_says_so(client, organiser, organisation, learner):
    client.force_login(organiser)

    response = client.post(
        reverse("people:person_block", args=[organisation.slug, learner.pk]),
        {"action": "block", "confirmed": "yes"},
        follow=True,
    )

    assert f"{learner.display_name} can no longer book this organisation&#x27;s days." in response.content.decode()
    assert OrganisationBlock.objects.filter(organisation=organisation, person=learner).exists()


def test_block_an_organiser_is_refused_with_a_message(client, organiser, organisation):
    other = MembershipFactory(organisation=organisation, role="organiser").person
    client.force_login(organiser)

    response = client.post(
        reverse("people:person_block", args=[organisation.slug, other.pk]),
        {"action": "block", "confirmed": "yes"},
        follow=True,
    )

    assert "Organisers cannot be blocked." in response.content.decode()
    assert not OrganisationBlock.objects.exists()


def test_block_someone_outside_the_organisation_is_not_found(client, organiser, organisation, stranger):
    client.force_login(organiser)

    response = client.post(reverse("people:person_block", args=[organisation.slug, stranger.pk]))

    assert response.status_code == 404


# --- People list -------------------------------------------------------------------


def _people_url(organisation, **params):
    return reverse("people:organisation_people", args=[organisation.slug]) + ("?" + urlencode(params) if params else "")


def test_people_list_filters_by_topic_offered_and_wanted(client, organiser, organisation, surgeon, learner):
    blogging = TopicFactory(organisation=organisation, name="Blogging")
    TopicOfferFactory(person=surgeon, topic=blogging)
    TopicWantFactory(person=learner, topic=blogging)
    client.force_login(organiser)

    offered = client.get(_people_url(organisation, topic_offered=blogging.pk)).context["rows"]
    wanted = client.get(_people_url(organisation, topic_wanted=blogging.pk)).context["rows"]

    assert [m.person for m, _ in offered] == [surgeon]
    assert [m.person for m, _ in wanted] == [learner]


def test_people_list_perspective_filter_respects_visibility(client, organiser, organisation, surgeon, learner):
    PersonPerspectiveFactory(person=surgeon, perspective="lived_experience", visibility="organisers")
    PersonPerspectiveFactory(person=learner, perspective="lived_experience", visibility="only_me")
    client.force_login(organiser)

    response = client.get(_people_url(organisation, perspective="lived_experience"))

    assert [m.person for m, _ in response.context["rows"]] == [surgeon]
    assert "Lee Learner" not in response.content.decode()


def test_people_list_hides_private_perspectives_and_audits_shared_ones(
    client, organiser, organisation, surgeon, learner
):
    PersonPerspectiveFactory(person=surgeon, perspective="tech_expert", visibility="organisers")
    PersonPerspectiveFactory(person=learner, perspective="volunteer", visibility="only_me")
    client.force_login(organiser)

    rows = client.get(_people_url(organisation)).context["rows"]

    assert {m.person.display_name: p.perspectives for m, p in rows} == {
        "Olu Organiser": (),
        "Sam Surgeon": ("Tech / social media expert",),
        "Lee Learner": (),
    }
    assert list(AuditEntry.objects.values_list("subject", "fields")) == [(surgeon.pk, ["perspectives"])]


def test_people_list_never_shows_other_organisations_members(client, organiser, organisation, other_organiser):
    client.force_login(organiser)

    page = client.get(_people_url(organisation)).content.decode()

    assert "Other Organiser" not in page


@pytest.mark.parametrize("count", [1, 50])
def test_people_list_query_count_is_constant(client, django_assert_num_queries, organiser, organisation, count):
    topic = TopicFactory(organisation=organisation)
    for _ in range(count):
        person = MembershipFactory(organisation=organisation).person
        ProfileFactory(person=person, bio="Hi", bio_visibility="organisers")
        PersonPerspectiveFactory(person=person, visibility="organisers")
        TopicOfferFactory(person=person, topic=topic)
        TopicWantFactory(person=person, topic=topic)
        OrganisationBlock.objects.create(organisation=organisation, person=person)
    client.force_login(organiser)

    # session, user, membership, topics, members, blocks, relationships (organiser role,
    # then the surgery-day provider's fixed five), 4 x profile data, audit insert
    with django_assert_num_queries(18):
        response = client.get(_people_url(organisation))

    assert response.content.decode().count('class="person-row"') == count + 1


@pytest.mark.parametrize("count", [1, 60])
def test_organisation_audit_query_count_is_constant(client, django_assert_num_queries, organiser, organisation, count):
    for _ in range(count):
        person = MembershipFactory(organisation=organisation).person
        services.audit_record(actor=organiser, subject=person, action="viewed", fields=["bio"])
    client.force_login(organiser)

    with django_assert_num_queries(6):
        response = client.get(reverse("people:organisation_audit", args=[organisation.slug]))

    assert response.content.decode().count("<td>Viewed</td>") == min(count, 50)


def test_organisation_audit_excludes_other_organisations(client, organiser, organisation, other_organiser):
    outsider = MembershipFactory(organisation=other_organiser.memberships.get().organisation).person
    services.audit_record(actor=other_organiser, subject=outsider, action="viewed", fields=["bio"])
    client.force_login(organiser)

    page = client.get(reverse("people:organisation_audit", args=[organisation.slug])).content.decode()

    assert "Nobody has viewed or changed" in page


@pytest.mark.parametrize("count", [1, 50])
def test_topic_list_query_count_is_constant(client, django_assert_num_queries, organiser, organisation, count):
    TopicFactory.create_batch(count, organisation=organisation)
    client.force_login(organiser)

    with django_assert_num_queries(5):
        response = client.get(reverse("people:topic_list", args=[organisation.slug]))

    assert response.content.decode().count("<td>Active</td>") == count


@pytest.mark.parametrize("count", [1, 50])
def test_invitation_list_query_count_is_constant(client, django_assert_num_queries, organiser, organisation, count):
    InvitationFactory.create_batch(count, organisation=organisation, invited_by=organiser)
    client.force_login(organiser)

    with django_assert_num_queries(5):
        response = client.get(reverse("people:invitation_list", args=[organisation.slug]))

    assert response.content.decode().count("Waiting (until") == count


def test_organisation_audit_leaves_out_views_by_another_organisations_organiser(
    client, organiser, organisation, learner, other_organiser
):
    MembershipFactory(organisation=other_organiser.memberships.get().organisation, person=learner)
    services.audit_record(actor=other_organiser, subject=learner, action="viewed", fields=["bio"])
    services.audit_record(actor=organiser, subject=learner, action="viewed", fields=["perspectives"])
    client.force_login(organiser)

    entries = client.get(reverse("people:organisation_audit", args=[organisation.slug])).context["page_obj"].object_list

    assert [(e.actor, e.fields) for e in entries] == [(organiser, ["perspectives"])]
