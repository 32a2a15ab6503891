from django.contrib.auth.models import AnonymousUser

from people.models import User
from people.selectors import is_organiser, organisers_of


def test_is_organiser_only_for_the_organisations_organisers(organisation, organiser, learner, other_organiser):
    assert is_organiser(user=organiser, organisation=organisation) is True
    assert is_organiser(user=learner, organisation=organisation) is False
    assert is_organiser(user=other_organiser, organisation=organisation) is False
    assert is_organiser(user=AnonymousUser(), organisation=organisation) is False


def test_a_deactivated_organiser_organises_nothing(organisation, organiser):
    User.objects.filter(pk=organiser.pk).update(is_active=False)
    organiser.refresh_from_db()

    assert is_organiser(user=organiser, organisation=organisation) is False
    assert list(organisers_of(organisation=organisation)) == []


def test_organisers_of_lists_each_active_organiser_once(organisation, organiser, learner, other_organiser):
    assert list(organisers_of(organisation=organisation)) == [organiser]
