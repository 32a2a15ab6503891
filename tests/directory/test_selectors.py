from directory.selectors import directory_entries
from directory.services import listing_save
from tests.factories import TopicFactory, TopicOfferFactory, TopicWantFactory


def test_topic_filter_never_matches_a_hidden_interest(organisation, surgeon, learner):
    topic = TopicFactory(organisation=organisation, name="Dealing with trolls")
    TopicWantFactory(person=surgeon, topic=topic)
    listing_save(person=surgeon, organisation=organisation, show_topics_wanted=False)

    assert directory_entries(organisation=organisation, viewer=learner, topic_id=topic.pk) == []


def test_topic_filter_finds_people_who_show_that_interest(organisation, surgeon, learner):
    topic = TopicFactory(organisation=organisation, name="Blogging")
    TopicOfferFactory(person=surgeon, topic=topic)
    listing_save(person=surgeon, organisation=organisation)

    entries = directory_entries(organisation=organisation, viewer=learner, topic_id=topic.pk)

    assert [(e.display_name, e.offers) for e in entries] == [("Sam Surgeon", ("Blogging",))]
