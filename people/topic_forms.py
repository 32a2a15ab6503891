"""Forms that list an organisation's topics, rendered once and kept until a topic changes.

Rendering a form through crispy-forms is about a third of a small page's time (the
booking form: a dozen templates for seven checkboxes and a note). An unbound form that
lists an organisation's topics looks the same for everyone until one of those topics
changes, except for its CSRF token, which is put in on every request.

A topic saved or deleted gives its organisation's topics a new version at once, and
again after the commit, so a page read before the commit cannot keep the old list
under the new version. Kept forms also expire after `KEPT_FOR` seconds, which bounds
how long a bulk change that sends no signal (`QuerySet.update`, `bulk_create`) stays
unseen.
"""

import time

from crispy_forms.utils import render_crispy_form
from django import forms
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

from people.models import Topic

KEPT_FOR = 300
# Rendered where the token goes, then replaced by the request's own token.
_CSRF_MARK = "csrfTokenOfTheRequestGoesHere"


def _version_key(organisation_id: int) -> str:
    return f"people:topics-version:{organisation_id}"


def topics_version(organisation_id: int) -> int:
    """The version of the organisation's topics: one cache read (two the first time).
    A version missing from the cache starts again from the current time, never from a
    number a kept form already used."""
    version = cache.get(_version_key(organisation_id))
    if version is None:
        cache.add(_version_key(organisation_id), time.time_ns(), timeout=None)
        version = cache.get(_version_key(organisation_id))
    return version


def topics_changed(sender, instance: Topic, **kwargs) -> None:
    def new_version() -> None:
        cache.set(_version_key(instance.organisation_id), time.time_ns(), timeout=None)

    new_version()
    transaction.on_commit(new_version)


def topic_form_html(request: HttpRequest, form: forms.Form, *, name: str, organisation_id: int) -> SafeString:
    """The unbound `form` (whose only data from the database is the organisation's
    topics) as `{% crispy form %}` renders it, with this request's CSRF token."""
    key = f"people:topic-form:{name}:{organisation_id}:{topics_version(organisation_id)}"
    html = cache.get(key)
    if html is None:
        html = str(render_crispy_form(form, context={"csrf_token": _CSRF_MARK}))
        cache.set(key, html, KEPT_FOR)
    return mark_safe(html.replace(_CSRF_MARK, get_token(request)))  # noqa: S308 -- our own rendering and a token


def connect_signals() -> None:
    post_save.connect(topics_changed, sender=Topic, dispatch_uid="people.topic_forms.saved")
    post_delete.connect(topics_changed, sender=Topic, dispatch_uid="people.topic_forms.deleted")
