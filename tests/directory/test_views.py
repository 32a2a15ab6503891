import pytest
from django.core import mail
from django.urls import reverse

from directory.services import MESSAGES_PER_DAY, listing_save, message_send
from outbox.models import Notification
from people.models import ContactBlock, DirectoryListing, DirectoryMessage, Membership
from tests.factories import (
    MembershipFactory,
    ProfileFactory,
    TopicFactory,
    TopicOfferFactory,
    TopicWantFactory,
    UserFactory,
)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("organiser", 200), ("surgeon", 200), ("learner", 200), ("other_organiser", 404), ("stranger", 404)],
)
@pytest.mark.parametrize("name", ["directory:list", "directory:my_listing"])
def test_directory_pages_are_for_members_of_the_network(client, request, organisation, persona, expected, name):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse(name, args=[organisation.slug])).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("organiser", 200), ("learner", 200), ("other_organiser", 404), ("stranger", 404)],
)
def test_contact_page_is_for_members_and_a_listed_person(client, request, organisation, listed, persona, expected):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("directory:contact", args=[organisation.slug, listed.pk]))

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("organiser", 404), ("surgeon", 200), ("learner", 404), ("other_organiser", 404), ("stranger", 404)],
)
@pytest.mark.parametrize("name", ["directory:message_reply", "directory:message_block"])
def test_reply_and_block_pages_are_only_for_the_recipient(
    client, request, organisation, listed, learner, persona, expected, name
):
    message = message_send(sender=learner, recipient=listed, organisation=organisation, body="Hello")
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse(name, args=[organisation.slug, message.pk])).status_code == expected


@pytest.mark.parametrize(
    "name_args",
    [
        ("directory:list", []),
        ("directory:my_listing", []),
        ("directory:contact", [1]),
        ("directory:message_reply", [1]),
    ],
)
def test_anonymous_visitor_is_sent_to_log_in(client, organisation, name_args):
    name, extra = name_args

    response = client.get(reverse(name, args=[organisation.slug, *extra]))

    assert (response.status_code, response.url.split("?")[0]) == (302, reverse("account_login"))


def test_unlisted_member_cannot_be_contacted(client, organisation, learner, surgeon):
    client.force_login(learner)

    assert client.get(reverse("directory:contact", args=[organisation.slug, surgeon.pk])).status_code == 404


def test_listing_shows_only_what_the_person_chose(client, organisation, surgeon, learner):
    ProfileFactory(person=surgeon, pronouns="she/her", languages="Urdu", bio="Private bio")
    TopicOfferFactory(person=surgeon, topic=TopicFactory(organisation=organisation, name="Blogging"))
    TopicWantFactory(person=surgeon, topic=TopicFactory(organisation=organisation, name="Podcasts"))
    client.force_login(surgeon)
    client.post(
        reverse("directory:my_listing", args=[organisation.slug]),
        {"intro": "Hi!", "show_pronouns": "on", "show_topics_offered": "on", "accepts_messages": "on"},
    )
    client.force_login(learner)

    response = client.get(reverse("directory:list", args=[organisation.slug]))

    [entry] = response.context["entries"]
    assert (entry.pronouns, entry.offers, entry.languages, entry.wants, entry.intro) == (
        "she/her",
        ("Blogging",),
        "",
        (),
        "Hi!",
    )
    page = response.content.decode()
    assert ("Private bio" in page, surgeon.email in page) == (False, False)


def test_a_person_can_remove_their_listing(client, organisation, listed):
    client.force_login(listed)

    client.post(reverse("directory:listing_remove", args=[organisation.slug]))

    assert DirectoryListing.objects.count() == 0


def test_message_is_relayed_without_either_address(send_due, client, organisation, listed, learner):
    client.force_login(learner)

    response = client.post(
        reverse("directory:contact", args=[organisation.slug, listed.pk]), {"body": "Could we meet for a coffee?"}
    )
    send_due()

    assert response.status_code == 302
    [email] = mail.outbox
    text = email.body + email.alternatives[0][0]
    assert email.to == [listed.email]
    assert "Could we meet for a coffee?" in email.body
    assert learner.email not in text + email.subject + str(email.extra_headers)
    assert "Reply-To" not in email.extra_headers
    message = DirectoryMessage.objects.get()
    assert reverse("directory:message_reply", args=[organisation.slug, message.pk]) in email.body


def test_recipient_answers_through_the_site_and_the_sender_gets_it(send_due, client, organisation, listed, learner):
    first = message_send(sender=learner, recipient=listed, organisation=organisation, body="Hello")
    client.force_login(listed)

    client.post(reverse("directory:message_reply", args=[organisation.slug, first.pk]), {"body": "Hi back"})
    send_due()

    assert [m.to for m in mail.outbox] == [[listed.email], [learner.email]]
    assert listed.email not in mail.outbox[1].body


def test_empty_message_shows_an_error_next_to_the_field(client, organisation, listed, learner):
    client.force_login(learner)

    response = client.post(reverse("directory:contact", args=[organisation.slug, listed.pk]), {"body": ""})

    assert "body" in response.context["form"].errors
    assert DirectoryMessage.objects.count() == 0


def test_blocked_sender_can_no_longer_contact_or_see_the_person(send_due, client, organisation, listed, learner):
    message = message_send(sender=learner, recipient=listed, organisation=organisation, body="Hello")
    client.force_login(listed)
    client.post(reverse("directory:message_block", args=[organisation.slug, message.pk]))
    client.force_login(learner)

    page = client.get(reverse("directory:list", args=[organisation.slug])).content.decode()
    contact = client.get(reverse("directory:contact", args=[organisation.slug, listed.pk]))
    send_due()

    assert ContactBlock.objects.filter(blocker=listed, blocked=learner).count() == 1
    assert ("Sam Surgeon" in page, contact.status_code) == (False, 404)
    # The message waiting in the outbox when the block came is not sent either.
    assert mail.outbox == []
    assert Notification.objects.get().state == Notification.State.CANCELLED


def test_daily_message_limit(client, organisation, listed, learner):
    for _ in range(MESSAGES_PER_DAY):
        message_send(sender=learner, recipient=listed, organisation=organisation, body="Hi")
    client.force_login(learner)

    response = client.post(reverse("directory:contact", args=[organisation.slug, listed.pk]), {"body": "One more"})

    assert response.context["form"].non_field_errors() == [
        "You have sent a lot of messages today. Please try again tomorrow."
    ]


@pytest.mark.parametrize("size", [1, 25])
def test_directory_page_runs_a_fixed_number_of_queries(client, organisation, learner, size, django_assert_num_queries):
    topics = [TopicFactory(organisation=organisation) for _ in range(3)]
    for _ in range(size):
        person = UserFactory()
        MembershipFactory(organisation=organisation, person=person, role=Membership.Role.MEMBER)
        ProfileFactory(person=person)
        TopicOfferFactory(person=person, topic=topics[0])
        TopicWantFactory(person=person, topic=topics[1])
        listing_save(person=person, organisation=organisation, show_pronouns=True)
    client.force_login(learner)
    url = reverse("directory:list", args=[organisation.slug])
    client.get(url)

    with django_assert_num_queries(9):
        response = client.get(url)

    assert len(response.context["entries"]) == size
