"""Whole pages for visitors who are not signed in, kept in the cache under the day's
version: the public day page and the programme, what most people open on a big day.

A visitor here is a GET without a session cookie and without a messages cookie:
without a session nobody is signed in and no message waits to be shown. Anyone else
(signed in, or signed out with a session) gets a page made for them, and it is never
kept, so a signed-in person's page cannot reach a visitor, nor the reverse.

1. Before anything else of the request (sessions, CSRF, authentication), the
   middleware finds the view; only views marked with `kept_for_visitors`, about one
   day (`day_id` in the address), are looked up.
2. The key names the view, the day, the query string with its parameters sorted, the
   htmx headers the views read and the language. One round trip to the cache reads
   the day's version and the page kept under the key (`people.cache_versions.kept_at`);
   a page kept at the current version, and still true by the clock, is the answer.
3. Otherwise the view answers as usual, and the page is kept at the version read
   before it ran (a change made meanwhile gives a new version, and the page is never
   used) if: it answered 200, the view said until when it stays true (`keep_until`:
   booking opens or closes, a slot starts), it sets no cookie (so it holds no CSRF
   token and added no message), and it is not private.

The headers the middleware below this one added (Vary: Cookie, the content security
policy, X-Frame-Options) are kept with the page; those above it (security headers,
request id) are added to every answer. A cache that does not answer makes the page
slower, never broken (`people/cache_versions.py`).
"""

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

from people import cache_versions
from surgeries.day_version import day_version, day_version_key

# The request headers the kept views answer differently to (an htmx request gets the
# free times part only).
HTMX_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def kept_for_visitors(view: Callable) -> Callable:
    """Mark a view about one day whose page for visitors may be kept (see the module)."""
    view.kept_for_visitors = True
    return view


def keep_until(response: HttpResponse, moment: datetime | None) -> None:
    """Say the page stays true until `moment` by the clock (None: until the day changes)."""
    response.kept_until = moment.timestamp() if moment else math.inf


@dataclass(frozen=True)
class KeptPage:
    until: float
    status: int
    headers: list[tuple[str, str]]
    content: bytes

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, status=self.status, headers=self.headers)


@dataclass(frozen=True)
class _Place:
    match: ResolverMatch
    day_id: int
    key: str


class VisitorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        place = _place(request)
        if place is None:
            return self.get_response(request)
        version, kept = cache_versions.kept_at(day_version_key(place.day_id), place.key)
        if kept is not None and kept.until > time.time():
            request.resolver_match = place.match  # for the metrics' label
            return kept.response()
        if version is None:
            version = day_version(place.day_id)
        response = self.get_response(request)
        page = _keepable(request, response)
        if page is not None:
            cache_versions.keep_at(place.key, version, page, seconds=page.until - time.time())
        return response


def _place(request: HttpRequest) -> _Place | None:
    """Where a visitor's GET goes, if it is to a page that may be kept."""
    cookies = request.COOKIES
    if request.method != "GET" or settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    day_id = match.kwargs.get("day_id")
    if day_id is None or not getattr(match.func, "kept_for_visitors", False):
        return None
    # An address for a host we do not serve is refused as the common middleware
    # would, before a kept page could answer it.
    request.get_host()
    asked = (
        sorted(request.GET.lists()),
        [request.headers.get(name, "") for name in HTMX_HEADERS],
        translation.get_language(),
    )
    digest = hashlib.sha256(repr(asked).encode()).hexdigest()[:32]
    return _Place(match=match, day_id=day_id, key=f"visitor-page:{match.view_name}:{day_id}:{digest}")


def _keepable(request: HttpRequest, response: HttpResponse) -> KeptPage | None:
    until = getattr(response, "kept_until", None)
    user = getattr(request, "user", None)
    if (
        until is None
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (user is not None and user.is_authenticated)
        or "private" in response.get("Cache-Control", "")
        or b"csrfmiddlewaretoken" in response.content
    ):
        return None
    patch_vary_headers(response, ["Cookie"])
    return KeptPage(until=until, status=response.status_code, headers=list(response.items()), content=response.content)
