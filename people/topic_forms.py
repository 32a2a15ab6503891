"""Forms that list an organisation's topics, rendered once and kept until a topic changes.

Rendering a form through crispy-forms is about a third of a small page's time (the
booking form: a dozen templates for seven checkboxes and a note). An unbound form that
lists an organisation's topics looks the same for everyone until one of those topics
changes, except for its CSRF token, which is put in on every request.

A topic saved or deleted gives its organisation's topics a new version (how versions
are kept and bumped: people/cache_versions.py). Kept forms also expire, which bounds
how long a bulk change that sends no signal (`QuerySet.update`, `bulk_create`) stays
unseen.
"""

from crispy_forms.utils import render_crispy_form
from django import forms
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

from people import cache_versions
from people.models import Topic

# Rendered where the token goes, then replaced by the request's own token.
_CSRF_MARK = "csrfTokenOfTheRequestGoesHere"


def _version_key(organisation_id: int) -> str:
    return f"people:topics-version:{organisation_id}"


def topics_changed(sender, instance: Topic, **kwargs) -> None:
    cache_versions.bump(_version_key(instance.organisation_id))


def topic_form_html(request: HttpRequest, form: forms.Form, *, name: str, organisation_id: int) -> SafeString:
    """The unbound `form` (whose only data from the database is the organisation's
    topics) as `{% crispy form %}` renders it, with this request's CSRF token."""
    version = cache_versions.version(_version_key(organisation_id))
    key = f"people:topic-form:{name}:{organisation_id}:{version}"
    html = cache_versions.kept(key, lambda: str(render_crispy_form(form, context={"csrf_token": _CSRF_MARK})))
    return mark_safe(html.replace(_CSRF_MARK, get_token(request)))  # noqa: S308 -- our own rendering and a token


def connect_signals() -> None:
    post_save.connect(topics_changed, sender=Topic, dispatch_uid="people.topic_forms.saved")
    post_delete.connect(topics_changed, sender=Topic, dispatch_uid="people.topic_forms.deleted")
