"""The "Organise" link: only for people who organise a network, cheaply."""

from django.urls import reverse

from people.models import Membership
from tests.factories import MembershipFactory

ORGANISE_LINK = f'href="{reverse("surgeries:organise_home")}"'


def test_organisers_see_organise_and_other_people_do_not(client, organiser, learner, stranger):
    for person, shown in ((organiser, True), (learner, False), (stranger, False)):
        client.force_login(person)
        assert (ORGANISE_LINK in client.get(reverse("home")).content.decode()) is shown
    client.logout()
    assert ORGANISE_LINK not in client.get(reverse("home")).content.decode()


def test_becoming_an_organiser_shows_the_link_on_the_next_page(client, learner, organisation):
    client.force_login(learner)
    client.get(reverse("home"))

    membership = Membership.objects.get(person=learner, organisation=organisation)
    membership.role = Membership.Role.ORGANISER
    membership.save()

    assert ORGANISE_LINK in client.get(reverse("home")).content.decode()


def test_leaving_the_organisers_hides_it(client, organiser, organisation):
    client.force_login(organiser)
    client.get(reverse("home"))

    Membership.objects.get(person=organiser, organisation=organisation).delete()
    MembershipFactory(person=organiser, organisation=organisation, role=Membership.Role.MEMBER)

    assert ORGANISE_LINK not in client.get(reverse("home")).content.decode()


def test_the_answer_is_remembered_between_pages(client, organiser, django_assert_num_queries):
    client.force_login(organiser)
    client.get(reverse("people:my_data"))

    with django_assert_num_queries(2):  # the session and the user, nothing for the navigation
        client.get(reverse("people:my_data"))
