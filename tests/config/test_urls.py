"""Every address of the site, fed malformed ids and parameters, answers with a page or a 4xx, never a 5xx.

The walk covers every URL pattern the project resolves, included ones too, so a new
view is checked without anyone remembering to add it here.
"""

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from matchmaking.services import matchmaking_run
from outbox.services import sweep_heartbeat_record
from surgeries.services.booking import calendar_feed_renew
from tests.factories import (
    OpenSpaceFactory,
    TopicFactory,
    WorkshopFactory,
    add_request,
    add_surgeon,
    booked_slot,
    make_day,
    registered,
)

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
NUL = "%00"
# What each path converter is fed instead of a real value.
MALFORMED_SEGMENTS = {
    "int": [HUGE, "0"],
    "slug": ["no-such-thing"],
    "str": [NUL, f"abc{NUL}def"],
    "path": [NUL, f"1{NUL}"],
    "uuid": ["00000000-0000-0000-0000-000000000000"],
    None: ["abc", NUL, HUGE],  # a named group of a regular expression pattern
}
# Query parameters and form fields the views read, plus ones they might one day.
PARAMETERS = [
    "page",
    "surgeon",
    "topic",
    "topic_offered",
    "topic_wanted",
    "perspective",
    "start",
    "end",
    "next",
    "day",
    "slot",
    "slot_id",
    "booking_id",
    "proposal_id",
    "action",
    "locked",
    "undo",
    "clear",
    "email",
    "display_name",
    "note",
    "password",
    "consent",
    "body",
]
MALFORMED_VALUES = ["abc", "\x00", HUGE, "-1"]
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _patterns(patterns, prefix: tuple = ()) -> Iterator[tuple]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, (*prefix, pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield (*prefix, pattern.pattern)


def _named_groups(regex: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each top-level named group, nested brackets included."""
    groups = []
    for match in re.finditer(r"\(\?P<(\w+)>", regex):
        depth, end = 0, match.start()
        for end in range(match.start(), len(regex)):
            if regex[end] == "\\":
                continue
            depth += {"(": 1, ")": -1}.get(regex[end], 0)
            if depth == 0:
                break
        groups.append((match.start(), end + 1, match.group(1)))
    return groups


def _fill(part, values: dict[str, str], bad: tuple[str | None, str] | None) -> str:
    """One pattern part as a path, with real values, or `bad` for every parameter of that converter."""
    text = str(part)
    if hasattr(part, "converters"):  # a path() route

        def replace(match):
            converter = match.group("converter") or "str"
            if bad and bad[0] == converter:
                return bad[1]
            return quote(values.get(match.group("name"), "1"))

        return ROUTE_PARAMETER.sub(replace, text)
    text = text.removeprefix("^").removesuffix("$").removeprefix("\\A").removesuffix("\\Z")
    for start, end, name in reversed(_named_groups(text)):
        value = bad[1] if bad and bad[0] is None else quote(values.get(name, "1"))
        text = text[:start] + value + text[end:]
    return text.replace("\\", "")


def _addresses(values: dict[str, str]) -> Iterator[tuple[str, bool]]:
    """Every pattern as a path with real values (True), then with each kind of malformed value (False)."""
    for parts in _patterns(get_resolver().url_patterns):
        converters = set()
        for part in parts:
            if hasattr(part, "converters"):
                converters |= {m.group("converter") or "str" for m in ROUTE_PARAMETER.finditer(str(part))}
            elif _named_groups(str(part)):
                converters.add(None)
        yield "/" + "".join(_fill(part, values, None) for part in parts), True
        for converter in converters:
            for value in MALFORMED_SEGMENTS.get(converter, ["abc"]):
                yield "/" + "".join(_fill(part, values, (converter, value)) for part in parts), False


@pytest.fixture
def world(organisation, organiser, surgeon, learner):
    """One of everything, owned by or visible to the organiser, so real ids reach deep into each view."""
    day, topics = make_day(organisation)
    _, slots = add_surgeon(day, person=surgeon, offers={topics["Blogging"]: 2}, slots=3)
    match_request = add_request(day, learner=learner, topics={topics["Blogging"]: 1})
    proposal = matchmaking_run(day=day, by=organiser).proposal
    pair = proposal.pairs.first()
    booking = booked_slot(slot=slots[-1], learner=organiser)
    workshop = WorkshopFactory(day=day)
    registration = registered(workshop=workshop, person=organiser)
    # A scheduler that has just swept, so /healthz's 503 means "a part is down" and never
    # stands for a view that failed on malformed input.
    sweep_heartbeat_record(at=timezone.now())
    return {
        "slug": organisation.slug,
        "day_id": str(day.pk),
        "topic_id": str(TopicFactory(organisation=organisation).pk),
        "person_id": str(learner.pk),
        "slot_id": str(booking.slot_id),
        "booking_id": str(booking.pk),
        "token": calendar_feed_renew(person=organiser).token,
        "workshop_id": str(workshop.pk),
        "registration_id": str(registration.pk),
        "open_space_id": str(OpenSpaceFactory(day=day).pk),
        "proposal_id": str(proposal.pk),
        "pair_id": str(pair.pk if pair else 1),
        "request_id": str(match_request.pk),
    }


def _server_errors(client: Client, world: dict, relogin) -> list[str]:
    failures = []

    def check(method: str, url: str, data=None) -> None:
        relogin()
        response = getattr(client, method)(url, data)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url} {data or ''} -> {response.status_code}")

    addresses = list(_addresses(world))
    for url, real in addresses:
        check("get", url)
        if real:
            for value in MALFORMED_VALUES:
                check("get", url, dict.fromkeys(PARAMETERS, value))
    # Writes last, so the pages above saw the world before any form changed it.
    for url, real in addresses:
        check("post", url)
        if real:
            for value in MALFORMED_VALUES:
                check("post", url, dict.fromkeys(PARAMETERS, value))
    return failures


def test_the_walk_reaches_included_and_regular_expression_patterns(world):
    addresses = {url for url, _ in _addresses(world)}

    assert f"/days/{world['day_id']}/day-sheet/" in addresses
    assert "/calendar/%00.ics" in addresses
    assert "/accounts/login/" in addresses
    assert "/admin/people/user/99999999999999999999/change/" not in addresses  # path converter: gets NUL
    assert "/admin/people/user/%00/change/" in addresses
    assert any(url.startswith("/accounts/password/reset/key/") for url in addresses)


def test_every_address_with_malformed_input_never_fails_for_an_organiser(world, organiser):
    client = Client(raise_request_exception=False)

    def relogin():
        if "_auth_user_id" not in client.session:
            client.force_login(organiser)

    assert _server_errors(client, world, relogin) == []


def test_every_address_with_malformed_input_never_fails_for_a_visitor(world):
    client = Client(raise_request_exception=False)

    assert _server_errors(client, world, lambda: None) == []
