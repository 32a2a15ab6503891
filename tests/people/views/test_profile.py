"""Editing my profile and topics, previewing it, and viewing someone else's."""

import pytest
from django.urls import reverse

from people.models import AuditEntry, PersonPerspective, Profile, TopicOffer, TopicWant
from tests.factories import PersonPerspectiveFactory, ProfileFactory, TopicFactory, TopicOfferFactory

pytestmark = pytest.mark.django_db

PROFILE_DATA = {
    "display_name": "Lee",
    "pronouns": "she/her",
    "languages": "English, Urdu",
    "bio": "I run a peer support group on Facebook.",
    "bio_visibility": "event",
    "access_needs": ["quiet_space", "step_free"],
    "access_needs_other": "Breaks every hour",
    "access_needs_visibility": "organisers",
    "contact_by_email": "on",
    "contact_notes": "Email rather than phone",
    "perspective_lived_experience": "on",
    "visibility_lived_experience": "paired",
    "perspective_volunteer": "on",
    "visibility_volunteer": "only_me",
    **{f"visibility_{code}": "only_me" for code in ["worker_voluntary", "worker_statutory", "community_journalist"]},
    "visibility_tech_expert": "only_me",
}


def test_profile_edit_saves_every_part(client, learner):
    client.force_login(learner)

    response = client.post(reverse("people:profile_edit"), PROFILE_DATA)

    assert response.status_code == 302
    profile = Profile.objects.get(person=learner)
    learner.refresh_from_db()
    assert learner.display_name == "Lee"
    assert (profile.pronouns, profile.languages, profile.bio_visibility) == ("she/her", "English, Urdu", "event")
    assert profile.access_needs == ["quiet_space", "step_free"]
    assert profile.access_needs_visibility == "organisers"
    assert dict(PersonPerspective.objects.filter(person=learner).values_list("perspective", "visibility")) == {
        "lived_experience": "paired",
        "volunteer": "only_me",
    }


def test_profile_edit_new_profile_is_private_by_default(client, learner):
    client.force_login(learner)

    page = client.get(reverse("people:profile_edit")).content.decode()

    assert page.count('<option value="only_me" selected>Only me</option>') == 8


def test_profile_edit_without_name_shows_message_and_saves_nothing(client, learner):
    client.force_login(learner)
    data = {**PROFILE_DATA, "display_name": ""}

    response = client.post(reverse("people:profile_edit"), data)

    assert response.status_code == 200
    assert "Tell us the name to show to other people." in response.content.decode()
    assert not Profile.objects.filter(person=learner).exists()
    assert not PersonPerspective.objects.filter(person=learner).exists()


def test_profile_edit_unknown_visibility_is_refused_next_to_the_field(client, learner):
    client.force_login(learner)
    data = {**PROFILE_DATA, "bio_visibility": "the-whole-internet"}

    response = client.post(reverse("people:profile_edit"), data)

    assert response.status_code == 200
    assert "Choose who can see this from the list." in response.content.decode()
    assert not Profile.objects.filter(person=learner).exists()


def test_profile_edit_unticking_a_perspective_removes_it(client, learner):
    PersonPerspectiveFactory(person=learner, perspective="community_journalist", visibility="event")
    client.force_login(learner)

    client.post(reverse("people:profile_edit"), PROFILE_DATA)

    assert not PersonPerspective.objects.filter(person=learner, perspective="community_journalist").exists()


def test_skills_edit_saves_offers_with_confidence_and_wants(client, organisation, learner):
    blogging = TopicFactory(organisation=organisation, name="Blogging")
    trolls = TopicFactory(organisation=organisation, name="Dealing with trolls")
    client.force_login(learner)

    response = client.post(
        reverse("people:skills_edit"),
        {f"offer_{blogging.pk}": "3", f"want_{trolls.pk}": "on", f"offer_{trolls.pk}": ""},
    )

    assert response.status_code == 302
    assert list(TopicOffer.objects.filter(person=learner).values_list("topic__name", "confidence")) == [("Blogging", 3)]
    assert list(TopicWant.objects.filter(person=learner).values_list("topic__name", flat=True)) == [
        "Dealing with trolls"
    ]


def test_skills_edit_hides_retired_and_other_organisations_topics(client, organisation, learner):
    TopicFactory(organisation=organisation, name="Blogging")
    TopicFactory(organisation=organisation, name="MySpace", is_active=False)
    TopicFactory(name="Another network's topic")
    client.force_login(learner)

    page = client.get(reverse("people:skills_edit")).content.decode()

    assert "Blogging" in page
    assert "MySpace" not in page
    assert "Another network" not in page


def test_skills_edit_escapes_topic_names_and_descriptions_written_by_organisers(client, organisation, learner):
    TopicFactory(
        organisation=organisation,
        name="<i>Blogging</i>",
        description='<script>alert(1)</script> and <b onmouseover="steal()">more</b>',
    )
    client.force_login(learner)

    page = client.get(reverse("people:skills_edit")).content.decode()

    assert "<script>alert(1)" not in page
    assert "<b onmouseover" not in page
    assert "<i>Blogging" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;b onmouseover=&quot;steal()&quot;&gt;more&lt;/b&gt;" in page
    assert "&lt;i&gt;Blogging&lt;/i&gt;" in page


def test_skills_edit_bad_confidence_shows_message_and_saves_nothing(client, organisation, learner):
    blogging = TopicFactory(organisation=organisation, name="Blogging")
    trolls = TopicFactory(organisation=organisation, name="Trolls")
    client.force_login(learner)

    response = client.post(reverse("people:skills_edit"), {f"offer_{blogging.pk}": "9", f"want_{trolls.pk}": "on"})

    assert response.status_code == 200
    assert "Choose how confident you are from the list." in response.content.decode()
    assert not TopicWant.objects.filter(person=learner).exists()


def test_profile_preview_as_organiser_shows_only_what_organisers_may_see(client, learner):
    ProfileFactory(person=learner, bio="My private story", access_needs=["bsl"], access_needs_visibility="organisers")
    client.force_login(learner)

    page = client.get(reverse("people:profile_preview", args=["organiser"])).content.decode()

    assert "British Sign Language interpreter" in page
    assert "My private story" not in page


def test_profile_preview_unknown_audience_is_not_found(client, learner):
    client.force_login(learner)

    assert client.get(reverse("people:profile_preview", args=["self"])).status_code == 404


def test_person_detail_hidden_fields_are_absent_from_the_html(client, organiser, learner):
    ProfileFactory(person=learner, bio="Secret bio", bio_visibility="only_me", access_needs=["bsl"])
    PersonPerspectiveFactory(person=learner, perspective="lived_experience", visibility="only_me")
    PersonPerspectiveFactory(person=learner, perspective="volunteer", visibility="organisers")
    client.force_login(organiser)

    page = client.get(reverse("people:person_detail", args=[learner.pk])).content.decode()

    assert "Volunteer" in page
    assert "Secret bio" not in page
    assert "About" not in page
    assert "Lived experience" not in page
    assert "Access needs" not in page


def test_person_detail_records_what_an_organiser_saw_without_values(client, organiser, learner):
    ProfileFactory(person=learner, bio="Secret bio", bio_visibility="organisers")
    client.force_login(organiser)

    client.get(reverse("people:person_detail", args=[learner.pk]))

    entry = AuditEntry.objects.get(subject=learner)
    assert (entry.actor, entry.action, entry.fields) == (organiser, "viewed", ["bio"])


def test_person_detail_own_profile_and_nothing_sensitive_are_not_audited(client, organiser, learner):
    ProfileFactory(person=learner, bio="Secret bio")
    client.force_login(organiser)
    client.get(reverse("people:person_detail", args=[learner.pk]))
    client.force_login(learner)
    client.get(reverse("people:person_detail", args=[learner.pk]))

    assert not AuditEntry.objects.exists()


def test_person_detail_paired_person_sees_fields_shared_with_pairs(client, surgeon, learner, provided):
    ProfileFactory(person=learner, bio="Shared with my surgeon", bio_visibility="paired")

    provided[(surgeon.pk, learner.pk)] = {"paired"}
    client.force_login(surgeon)

    page = client.get(reverse("people:person_detail", args=[learner.pk])).content.decode()

    assert "Shared with my surgeon" in page


def test_my_profile_lists_my_topics_and_organisations(client, organisation, learner):
    TopicOfferFactory(person=learner, topic__organisation=organisation, topic__name="Podcasts", confidence=1)
    client.force_login(learner)

    page = client.get(reverse("people:my_profile")).content.decode()

    assert "Podcasts (I can show the basics)" in page
    assert organisation.name in page
