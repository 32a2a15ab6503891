"""Render and send one email from templates/emails/<name>/{subject,body}.txt (and body.html if present)."""

import contextlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


def send_templated_email(*, name: str, to: str, context: dict) -> None:
    context = {"site_name": "Surgery Day", "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}/subject.txt", context).split())
    body = render_to_string(f"emails/{name}/body.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[to])
    with contextlib.suppress(TemplateDoesNotExist):
        message.attach_alternative(render_to_string(f"emails/{name}/body.html", context), "text/html")
    message.send()
