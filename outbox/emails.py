"""The one helper that turns a template folder into an email.

Each message is a folder `templates/emails/<name>/` holding `subject.txt`,
`body.txt` and `body.html`. Bodies can carry personal data, so nothing here logs
them; callers log ids and outcomes only.
"""

from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from outbox.registry import Attachment

SUBJECT_PREFIX = "Surgery Day: "


def email_render(
    *,
    template: str,
    context: dict,
    to: list[str],
    headers: dict[str, str] | None = None,
    attachments: Iterable[Attachment] = (),
) -> EmailMultiAlternatives:
    full_context = {
        "site_name": "Surgery Day",
        "site_url": settings.SITE_URL,
        # Where non-essential messages can be turned off, linked from their footers.
        "preferences_url": settings.SITE_URL + reverse("notification_preferences"),
        **context,
    }
    folder = f"emails/{template}"
    # A subject must be one line, whatever the template's whitespace.
    subject = " ".join(render_to_string(f"{folder}/subject.txt", full_context).split())
    text = render_to_string(f"{folder}/body.txt", full_context)
    html = render_to_string(f"{folder}/body.html", full_context)
    message = EmailMultiAlternatives(
        subject=SUBJECT_PREFIX + subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def message_id_for(*, notification_id: int) -> str:
    """A stable Message-ID per notification, so a receiving server or the tests can
    recognise the same notification if it ever arrives twice."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "surgeryday.invalid"
    return f"<notification.{notification_id}@{domain}>"
