from directory.services import contact_block, listing_save, message_send
from people.models import ContactBlock, DirectoryListing, DirectoryMessage
from people.privacy import account_delete, account_export


def test_export_holds_listing_messages_and_blocks(organisation, surgeon, learner):
    listing_save(person=surgeon, organisation=organisation, intro="Hi")
    message_send(sender=learner, recipient=surgeon, organisation=organisation, body="Hello")
    contact_block(blocker=surgeon, blocked=learner)

    data = account_export(person=surgeon)["directory"]

    assert data["listings"][0]["intro"] == "Hi"
    assert [m["body"] for m in data["messages_received"]] == ["Hello"]
    assert data["people_blocked"] == ["Lee Learner"]


def test_deleting_an_account_removes_directory_data(organisation, surgeon, learner):
    listing_save(person=surgeon, organisation=organisation)
    message_send(sender=learner, recipient=surgeon, organisation=organisation, body="Hello")
    contact_block(blocker=surgeon, blocked=learner)

    account_delete(person=surgeon)

    assert (DirectoryListing.objects.count(), DirectoryMessage.objects.count(), ContactBlock.objects.count()) == (
        0,
        0,
        0,
    )
