"""Matchmaking reads: a learner's request, the organiser's proposal, and slots ranked by fit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from matchmaking.core.fit import Audience, LearnerRequest, explain_pair, pair_fit
from matchmaking.core.instance import ReasonKind, ReasonPart
from matchmaking.loading import (
    build_day_problem,
    clashes,
    language_set,
    learner_request,
    reasons_from_json,
    surgeon_side,
)
from matchmaking.models import MatchProposal, MatchRequest, ProposedPair, RequestTopic
from matchmaking.proposal_version import proposal_version_key
from people.cache_versions import kept, kept_many, versions
from people.enums import EVENT, ORGANISER, PAIRED
from people.models import PersonPerspective, Profile, TopicWant, User
from people.visibility import levels_visible_to
from surgeries.day_version import day_version_key
from surgeries.models import SurgeryDay
from surgeries.selectors import busy_times
from surgeries.templatetags.venue_time import venue_time


def match_request_for(*, day: SurgeryDay, learner: User) -> MatchRequest | None:
    """The learner's request for the day with everything it holds, or None."""
    if not learner.is_authenticated:
        return None
    return (
        MatchRequest.objects.filter(day=day, learner=learner)
        .select_related("booking__slot", "booking__surgeon")
        .prefetch_related(
            Prefetch("topics", queryset=RequestTopic.objects.select_related("topic")), "preferences", "windows"
        )
        .first()
    )


def reason_for_learner(*, reasons: list[dict], surgeon_id: int) -> str:
    """The reason a learner may read: perspectives only where the surgeon *now* lets
    the people they are paired with see them (a choice made after matching counts)."""
    parts = reasons_from_json(reasons)
    shown_to_pair = PersonPerspective.objects.filter(person_id=surgeon_id, visibility__in=levels_visible_to(PAIRED))
    shown = set(shown_to_pair.values_list("perspective", flat=True))
    kept = [
        ReasonPart(p.kind, p.value, p.points, p.must, p.visible_to_pair and p.value in shown)
        if p.kind is ReasonKind.PERSPECTIVE
        else p
        for p in parts
    ]
    return explain_pair(kept, audience=Audience.LEARNER)


def last_unmatched_reason(*, day: SurgeryDay, request: MatchRequest | None) -> str:
    """Why this learner was left out of the last confirmed round, or "" (one query)."""
    if request is None:
        return ""
    confirmed = day.match_proposals.filter(status=MatchProposal.Status.CONFIRMED).order_by("-confirmed_at").first()
    return next((row["text"] for row in (confirmed.unmatched if confirmed else []) if row["request"] == request.pk), "")


# --- The organiser's proposal --------------------------------------------------------------


# Rows per page of the proposal: a phone loads a page of a 1,250-pair day in well under 100 KB.
PAIRS_PER_PAGE = 50
UNMATCHED_PER_PAGE = 50


@dataclass(frozen=True)
class ProposalRow:
    """One proposed pair, with everything the page shows worked out here, not per row in the template."""

    pair_id: int
    request_id: int
    time: str  # in the venue's zone, "10:00 GMT"
    surgeon: str
    learner: str
    locked: bool
    fit: int
    explanation: str
    lock_url: str
    remove_url: str
    slot_url: str


@dataclass(frozen=True)
class UnmatchedRow:
    request_id: int
    learner: str
    text: str
    slot_url: str


@dataclass(frozen=True)
class PageOf:
    """Where one page sits in its list, for the links to the others: what the page
    template reads of a Django `Page`, without its rows, so it can be kept in the cache."""

    number: int
    num_pages: int
    start_index: int
    end_index: int

    @classmethod
    def of(cls, raw: object, *, count: int, per_page: int) -> PageOf:
        # Paginator.get_page on the numbers alone: anything but a number gives the first
        # page, one out of range the last; no rows are read.
        page = Paginator(range(count), per_page).get_page(raw)
        return cls(page.number, page.paginator.num_pages, page.start_index(), page.end_index())

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass(frozen=True)
class ProposalPage:
    proposal: MatchProposal | None  # the draft, or the proposal whose pairs are being booked
    open_requests: int
    matched_requests: int
    last_confirmed: MatchProposal | None = None
    matched: int = 0  # pairs in the whole proposal
    total_fit: int = 0
    unmatched_count: int = 0  # learners left out of the whole proposal
    pairs_page: PageOf | None = None
    unmatched_page: PageOf | None = None
    rows_html: str = ""  # this page of pairs, as table rows
    unmatched_html: str = ""  # this page of learners not matched, as table rows

    @property
    def is_confirming(self) -> bool:
        return self.proposal is not None and self.proposal.status == MatchProposal.Status.CONFIRMING

    @property
    def keep_unmatched_page(self) -> str:
        """For links to other pages of pairs: stay on this page of learners not matched."""
        return f"&unmatched={self.unmatched_page.number if self.unmatched_page else 1}"

    @property
    def keep_pairs_page(self) -> str:
        return f"&page={self.pairs_page.number if self.pairs_page else 1}"


def _current_and_last_confirmed(day: SurgeryDay) -> tuple[MatchProposal | None, MatchProposal | None]:
    """The day's draft or confirming proposal, and its latest confirmed one, in one query."""
    status = MatchProposal.Status
    latest = day.match_proposals.filter(status=status.CONFIRMED).order_by("-confirmed_at", "-id").values("pk")[:1]
    proposals = list(
        day.match_proposals.filter(Q(status__in=[status.DRAFT, status.CONFIRMING]) | Q(pk=Subquery(latest)))
    )
    current = next((p for p in proposals if p.status != status.CONFIRMED), None)
    return current, next((p for p in proposals if p.status == status.CONFIRMED), None)


def _url_for_row(name: str, day_id: int) -> Callable[[int], str]:
    """Reverse a per-row URL once; each row puts its id in place of the last number."""
    head, _, tail = reverse(f"matchmaking:{name}", args=[day_id, 0]).rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"


@dataclass(frozen=True)
class _Totals:
    pairs: int
    fit: int
    unmatched: int


@dataclass(frozen=True)
class _PairsPart:
    """One page of pairs as read from the database, before the explanations: they depend
    on what each surgeon shows organisers *now*, read on every request."""

    page: PageOf
    pairs: list[tuple[ProposalRow, list[dict]]]  # each row without its explanation, and its saved reasons
    surgeon_ids: dict[int, int]  # pair id → the surgeon's person id


def proposal_page(
    *,
    day: SurgeryDay,
    page: object = None,
    unmatched_page: object = None,
    render_rows: Callable[[list[ProposalRow]], str],
    render_unmatched: Callable[[list[UnmatchedRow]], str],
) -> ProposalPage:
    """One page of the day's draft proposal, every pair on it explained for organisers,
    and one page of the learners left out, each page rendered by the caller as table rows.

    A page number that is not a number gives the first page, one past the end the last.
    What is expensive (the totals, each page of pairs and of learners left out, and their
    rows rendered) is kept in the cache under the proposal's and the day's versions
    (`matchmaking/proposal_version.py`), so every change shows at once. On a warm cache:
    three queries (the proposals, the request counts, and the perspectives the page's
    surgeons show organisers now, the rendered pairs being kept per answer to that) and
    three cache reads (the versions, the parts, the rendered pairs).

    While a proposal is being confirmed, the page only points to its progress.
    """
    proposal, last_confirmed = _current_and_last_confirmed(day)
    counts = dict(
        MatchRequest.objects.filter(day=day)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    open_requests, matched = counts.get(MatchRequest.Status.OPEN, 0), counts.get(MatchRequest.Status.MATCHED, 0)
    if proposal is None or proposal.status != MatchProposal.Status.DRAFT:
        return ProposalPage(proposal, open_requests, matched, last_confirmed)
    pv, dv = versions(proposal_version_key(day.pk), day_version_key(day.pk))
    prefix = f"proposal:{proposal.pk}:{pv}:{dv}"
    totals = _Lazy(lambda: _totals(proposal))
    pairs_asked, unmatched_asked = _page_key(page), _page_key(unmatched_page)

    def pairs_part() -> _PairsPart:
        return _pairs_part(day, proposal, PageOf.of(page, count=totals().pairs, per_page=PAIRS_PER_PAGE))

    def unmatched_part() -> tuple[PageOf, str]:
        at = PageOf.of(unmatched_page, count=totals().unmatched, per_page=UNMATCHED_PER_PAGE)
        return at, render_unmatched(_unmatched_rows(day, proposal, at)) if totals().unmatched else ""

    # One cache read for what does not depend on who the surgeons show what to now.
    found = kept_many(
        {
            f"{prefix}:totals": totals,
            f"{prefix}:pairs-page:{pairs_asked}": pairs_part,
            f"{prefix}:unmatched-page:{unmatched_asked}": unmatched_part,
        }
    )
    done, part = found[f"{prefix}:totals"], found[f"{prefix}:pairs-page:{pairs_asked}"]
    left_out_page, unmatched_html = found[f"{prefix}:unmatched-page:{unmatched_asked}"]
    shown = _perspectives_shown_to_organisers(surgeon_ids=set(part.surgeon_ids.values()))
    digest = hashlib.sha256(repr(sorted((k, sorted(v)) for k, v in shown.items())).encode()).hexdigest()[:16]
    rows_html = kept(f"{prefix}:pairs-html:{part.page.number}:{digest}", lambda: render_rows(_explained(part, shown)))
    return ProposalPage(
        proposal,
        open_requests,
        matched,
        last_confirmed,
        matched=done.pairs,
        total_fit=done.fit,
        unmatched_count=done.unmatched,
        pairs_page=part.page,
        unmatched_page=left_out_page,
        rows_html=rows_html if done.pairs else "",
        unmatched_html=unmatched_html,
    )


class _Lazy:
    """A value worked out the first time it is asked for, then remembered."""

    def __init__(self, work_out: Callable[[], _Totals]):
        self._work_out, self._value = work_out, None

    def __call__(self) -> _Totals:
        if self._value is None:
            self._value = self._work_out()
        return self._value


def _page_key(raw: object) -> str:
    """The page asked for, as part of a cache key, read as Paginator.get_page reads it:
    what int() cannot read is the first page (""), and every number keeps its own key,
    since "-1", "+2" and "9999999" are the last page, page 2 and the last page there,
    never page 1."""
    try:
        return str(int(str(raw).strip())) if raw not in (None, "") else ""
    except ValueError:
        return ""


def _totals(proposal: MatchProposal) -> _Totals:
    totals = proposal.pairs.aggregate(n=Count("id"), fit=Coalesce(Sum("fit"), 0))
    # A learner left out who has withdrawn their request since is no longer listed.
    left_out = MatchRequest.objects.filter(pk__in=[row["request"] for row in proposal.unmatched]).count()
    return _Totals(totals["n"], totals["fit"], left_out)


def _pairs_part(day: SurgeryDay, proposal: MatchProposal, page: PageOf) -> _PairsPart:
    pairs = list(
        proposal.pairs.select_related("request__learner", "slot__surgeon").order_by(
            "slot__starts_at", "slot__surgeon__display_name", "id"
        )[max(page.start_index - 1, 0) : page.end_index]
    )
    lock_url, remove_url = _url_for_row("pair_lock", day.pk), _url_for_row("pair_remove", day.pk)
    slot_url, zone = _url_for_row("learner_slot", day.pk), day.time_zone
    times: dict[datetime, str] = {}  # many pairs share a start time: format each once
    rows = []
    for pair in pairs:
        starts_at = pair.slot.starts_at
        if starts_at not in times:
            times[starts_at] = venue_time(starts_at, zone)
        row = ProposalRow(
            pair_id=pair.pk,
            request_id=pair.request_id,
            time=times[starts_at],
            surgeon=pair.slot.surgeon.display_name,
            learner=pair.request.learner.display_name,
            locked=pair.locked,
            fit=pair.fit,
            explanation="",
            lock_url=lock_url(pair.pk),
            remove_url=remove_url(pair.pk),
            slot_url=slot_url(pair.request_id),
        )
        rows.append((row, pair.reasons))
    return _PairsPart(page, rows, {pair.pk: pair.slot.surgeon_id for pair in pairs})


def _explained(part: _PairsPart, shown: dict[int, set[str]]) -> list[ProposalRow]:
    return [
        replace(row, explanation=_reason_for_organiser(reasons, shown.get(part.surgeon_ids[row.pair_id], set())))
        for row, reasons in part.pairs
    ]


def _unmatched_rows(day: SurgeryDay, proposal: MatchProposal, page: PageOf) -> list[UnmatchedRow]:
    texts = {row["request"]: row["text"] for row in proposal.unmatched}
    requests = MatchRequest.objects.filter(pk__in=list(texts)).select_related("learner").order_by("created_at", "id")
    slot_url = _url_for_row("learner_slot", day.pk)
    return [
        UnmatchedRow(request.pk, request.learner.display_name, texts[request.pk], slot_url(request.pk))
        for request in requests[max(page.start_index - 1, 0) : page.end_index]
    ]


def _perspectives_shown_to_organisers(*, surgeon_ids: set[int]) -> dict[int, set[str]]:
    """Each surgeon's perspectives that organisers may see *now* (one query)."""
    shown: dict[int, set[str]] = {}
    rows = PersonPerspective.objects.filter(person_id__in=surgeon_ids, visibility__in=levels_visible_to(ORGANISER))
    for person_id, perspective in rows.values_list("person_id", "perspective"):
        shown.setdefault(person_id, set()).add(perspective)
    return shown


def _reason_for_organiser(reasons: list[dict], shown: set[str]) -> str:
    """A saved reason, minus any perspective the surgeon has hidden since the run."""
    parts = [p for p in reasons_from_json(reasons) if p.kind is not ReasonKind.PERSPECTIVE or p.value in shown]
    return explain_pair(parts, audience=Audience.ORGANISER)


@dataclass(frozen=True)
class ConfirmationPage:
    proposal: MatchProposal
    booked: int
    not_booked: int
    problems: list[ProposedPair]  # the pairs that could not be booked, each with its `problem`

    @property
    def is_finished(self) -> bool:
        return self.proposal.status == MatchProposal.Status.CONFIRMED

    @property
    def done(self) -> int:
        return self.booked + self.not_booked


def confirmation_page(*, day: SurgeryDay, proposal_id: int) -> ConfirmationPage | None:
    """How far booking a confirmed proposal has got, and the pairs that could not be
    booked. At most three queries, however many pairs; None for a draft or another day's."""
    proposal = (
        day.match_proposals.exclude(status=MatchProposal.Status.DRAFT)
        .select_related("confirmed_by")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        return None
    if proposal.status == MatchProposal.Status.CONFIRMED:
        booked, not_booked = proposal.pairs_booked, proposal.pairs_not_booked
    else:
        outcomes = dict(proposal.pairs.order_by().values_list("outcome").annotate(n=Count("id")))
        booked = outcomes.get(ProposedPair.Outcome.BOOKED, 0)
        not_booked = outcomes.get(ProposedPair.Outcome.NOT_BOOKED, 0)
    problems = (
        proposal.pairs.filter(outcome=ProposedPair.Outcome.NOT_BOOKED)
        .select_related("request__learner", "slot__surgeon")
        .order_by("slot__starts_at", "id")
    )
    return ConfirmationPage(proposal, booked, not_booked, list(problems))


@dataclass(frozen=True)
class SlotOption:
    slot_id: int
    surgeon_name: str
    starts_at: datetime
    ends_at: datetime
    fit: int
    explanation: str
    holder: str  # who has this slot in the proposal now, or ""
    is_current: bool


def slot_options_for(*, day: SurgeryDay, request: MatchRequest) -> list[SlotOption]:
    """Every slot this learner could take now, best fit first, with who holds it in the draft."""
    problem = build_day_problem(day=day)
    pairs = [p for p in problem.instance.pairs if p.learner_id == request.learner_id]
    slots = problem.instance.slot_by_id()
    names = dict(
        User.objects.filter(pk__in={slots[p.slot_id].surgeon_id for p in pairs}).values_list("pk", "display_name")
    )
    held = {
        pair.slot_id: pair.request
        for pair in ProposedPair.objects.filter(proposal__day=day, proposal__status=MatchProposal.Status.DRAFT)
        .select_related("request__learner")
        .filter(slot_id__in=[p.slot_id for p in pairs])
    }
    options = [
        SlotOption(
            slot_id=p.slot_id,
            surgeon_name=names.get(slots[p.slot_id].surgeon_id, ""),
            starts_at=slots[p.slot_id].start,
            ends_at=slots[p.slot_id].end,
            fit=p.fit,
            explanation=explain_pair(p.reasons, audience=Audience.ORGANISER),
            holder=held[p.slot_id].learner.display_name if p.slot_id in held else "",
            is_current=p.slot_id in held and held[p.slot_id].pk == request.pk,
        )
        for p in pairs
    ]
    return sorted(options, key=lambda o: (-o.fit, o.starts_at, o.slot_id))


# --- A learner booking alone ------------------------------------------------------------------


@dataclass(frozen=True)
class RankedSlot:
    slot_id: int
    surgeon_id: int
    surgeon_name: str
    starts_at: datetime
    ends_at: datetime
    fit: int | None  # None: the slot does not suit the request, but is still free to book
    reason: str


def _self_request(*, day: SurgeryDay, learner: User) -> LearnerRequest:
    """The learner's request for the day, or one made from their profile's wanted topics."""
    request = match_request_for(day=day, learner=learner)
    if request is not None:
        return learner_request(request)
    wants = TopicWant.objects.filter(person=learner, topic__organisation_id=day.organisation_id, topic__is_active=True)
    profile = Profile.objects.filter(person=learner).first()
    return LearnerRequest(
        learner_id=learner.pk,
        wanted={want.topic.name: 2 for want in wants.select_related("topic")},
        languages=language_set(profile.languages if profile else ""),
    )


def slots_ranked_for(*, day: SurgeryDay, learner: User) -> list[RankedSlot]:
    """Free slots the learner could book now, best fit first, each with the reason.

    A learner choosing for themselves is not an organiser: only perspectives a
    surgeon shows everyone at the event are used, so the order reveals nothing
    more than the surgeon's own profile does. Slots that clash with the learner's
    day, their own surgeon slots and surgeons with no sessions left are left out.
    """
    request = _self_request(day=day, learner=learner)
    side = surgeon_side(day=day, viewer=EVENT)
    full = {surgeon.id for surgeon in side.surgeons if surgeon.max_sessions == 0}
    busy = busy_times(day=day, person_ids=[learner.pk, *(s.id for s in side.surgeons)])
    mine = [(s.start, s.end) for s in side.slots if s.surgeon_id == learner.pk] + busy.get(learner.pk, [])
    profiles = {profile.surgeon_id: profile for profile in side.profiles}
    names = dict(User.objects.filter(pk__in=list(profiles)).values_list("pk", "display_name"))
    ranked = []
    for slot in side.slots:
        clash = clashes(mine + busy.get(slot.surgeon_id, []), slot)
        if slot.surgeon_id == learner.pk or slot.surgeon_id in full or clash:
            continue
        fit = pair_fit(request, profiles[slot.surgeon_id])
        suits = fit is not None and (
            request.free is None or any(a <= slot.start and slot.end <= b for a, b in request.free)
        )
        reason = explain_pair(fit.reasons, audience=Audience.LEARNER) if suits else ""
        name = names.get(slot.surgeon_id, "")
        ranked.append(
            RankedSlot(slot.id, slot.surgeon_id, name, slot.start, slot.end, fit.fit if suits else None, reason)
        )
    return sorted(ranked, key=lambda r: (r.fit is None, -(r.fit or 0), r.starts_at, r.slot_id))
