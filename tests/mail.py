"""Helpers for reading the mail the tests send (the locmem outbox)."""

from datetime import timedelta

from django.core import mail


def mail_to(person) -> list:
    """Every message sent to this person, in order."""
    return [message for message in mail.outbox if message.to == [person.email]]


def ics_fields(message, *, filename: str) -> dict[str, str]:
    """The one .ics attachment of a message, as a dict of its unfolded lines."""
    ((attached_name, content, mimetype),) = message.attachments
    assert (attached_name, mimetype) == (filename, "text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    lines = text.replace("\r\n ", "").split("\r\n")
    return dict(line.split(":", 1) for line in lines if ":" in line)


def assert_each_sent_when_due(send_due, person, due_times) -> None:
    """A sweep a second before each due time sends nothing new to the person; one at it sends exactly one."""
    for sent_before, due in enumerate(due_times):
        send_due(due - timedelta(seconds=1))
        assert len(mail_to(person)) == sent_before
        send_due(due)
        assert len(mail_to(person)) == sent_before + 1
