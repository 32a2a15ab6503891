import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from people.models import User
from surgeries.access import (
    MEMBER,
    ORGANISER,
    OUTSIDER,
    organiser_day,
    organiser_organisation,
    refuse,
    standing,
    visible_day,
)
from surgeries.models import SurgeryDay
from tests.factories import SurgeryDayFactory


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("organiser", ORGANISER), ("learner", MEMBER), ("other_organiser", OUTSIDER), ("stranger", OUTSIDER)],
)
def test_standing_towards_the_organisation(request, organisation, persona, expected, django_assert_num_queries):
    user = request.getfixturevalue(persona)

    with django_assert_num_queries(1):
        assert standing(user=user, organisation=organisation) == expected


def test_standing_of_someone_signed_out_needs_no_query(organisation, anonymous, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert standing(user=anonymous, organisation=organisation) == OUTSIDER


def test_a_deactivated_organiser_stands_as_a_member(organisation, organiser):
    User.objects.filter(pk=organiser.pk).update(is_active=False)
    organiser.refresh_from_db()

    assert standing(user=organiser, organisation=organisation) == MEMBER


def test_organiser_day_for_an_organiser(day, organiser):
    found = organiser_day(user=organiser, day_id=day.pk)

    assert (found, found.viewer_access) == (day, ORGANISER)


@pytest.mark.parametrize(
    ("persona", "refusal"),
    [("learner", PermissionDenied), ("other_organiser", Http404), ("stranger", Http404), ("anonymous", Http404)],
)
def test_organiser_day_refuses_everyone_else(request, day, persona, refusal):
    with pytest.raises(refusal):
        organiser_day(user=request.getfixturevalue(persona), day_id=day.pk)


def test_organiser_day_says_why_to_members(day, learner):
    with pytest.raises(PermissionDenied, match="Only organisers"):
        organiser_day(user=learner, day_id=day.pk, why="Only organisers")


def test_organiser_day_of_a_missing_day_is_not_found(organiser):
    with pytest.raises(Http404):
        organiser_day(user=organiser, day_id=999_999)


@pytest.mark.parametrize(
    ("persona", "refusal"), [("organiser", None), ("learner", PermissionDenied), ("stranger", Http404)]
)
def test_organiser_organisation(request, organisation, persona, refusal):
    user = request.getfixturevalue(persona)
    if refusal is None:
        assert organiser_organisation(user=user, slug=organisation.slug) == organisation
    else:
        with pytest.raises(refusal):
            organiser_organisation(user=user, slug=organisation.slug)


@pytest.mark.parametrize(("persona", "refusal"), [("learner", PermissionDenied), ("stranger", Http404)])
def test_refuse_tells_members_apart_from_outsiders(request, organisation, persona, refusal):
    with pytest.raises(refusal):
        refuse(user=request.getfixturevalue(persona), organisation=organisation)


@pytest.mark.parametrize(
    ("persona", "expected"), [("organiser", ORGANISER), ("learner", MEMBER), ("anonymous", OUTSIDER)]
)
def test_visible_day_notes_the_viewers_standing(request, day, persona, expected):
    assert visible_day(user=request.getfixturevalue(persona), day_id=day.pk).viewer_access == expected


@pytest.mark.parametrize(("persona", "visible"), [("organiser", True), ("learner", False), ("anonymous", False)])
def test_a_draft_day_is_visible_only_to_its_organisers(request, organisation, persona, visible):
    draft = SurgeryDayFactory(organisation=organisation, status=SurgeryDay.Status.DRAFT)
    user = request.getfixturevalue(persona)
    if visible:
        assert visible_day(user=user, day_id=draft.pk) == draft
    else:
        with pytest.raises(Http404):
            visible_day(user=user, day_id=draft.pk)
