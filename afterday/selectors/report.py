"""The impact report: what surgery days achieved, as counts that never single anyone out.

Sessions are counted here and workshops in afterday/workshops.py; every count goes
through the suppression rule (afterday/suppression.py, docs/after-the-day.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from django.db.models import Count, Max, Min, Q, Value
from django.utils import timezone

from afterday import workshops
from afterday.models import Feedback
from afterday.report_types import Cell, ReportSection
from afterday.suppression import USEFULNESS_LABELS, average_usefulness, suppress, suppress_with_total
from people.cache_versions import kept
from people.enums import ORGANISER, Perspective
from people.models import Organisation, PersonPerspective
from people.visibility import levels_visible_to
from surgeries.day_version import day_version
from surgeries.models import Booking, DayAggregate, DaySurgeon, SurgeryDay, WaitingListEntry


@dataclass(frozen=True)
class TopicRow:
    name: str
    asked: Cell
    # Surgeons on these days offering the topic: a count of other people, so
    # "asked minus offering" is not a count of anyone and gives nothing away.
    offering: Cell


@dataclass
class ImpactReport:
    organisation: Organisation
    start: date | None
    end: date | None
    day: SurgeryDay | None
    day_count: int
    headline: list[tuple[str, Cell]]
    average_usefulness: str | None
    usefulness: list[tuple[str, Cell]]
    usefulness_total: Cell
    topics: list[TopicRow]
    least_covered: list[TopicRow]
    perspectives: list[tuple[str, Cell]]
    # Further parts: workshops.
    sections: list[ReportSection] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def report_days(*, organisation: Organisation, start: date, end: date) -> list[int]:
    """Days of the organisation that took place (not drafts, not cancelled) and began in the period."""
    zone = timezone.get_default_timezone()
    first = datetime.combine(start, time.min, tzinfo=zone)
    last = datetime.combine(end, time.max, tzinfo=zone)
    return list(
        SurgeryDay.objects.filter(
            organisation=organisation, status__in=SurgeryDay.HELD_STATUSES, starts_at__gte=first, starts_at__lte=last
        ).values_list("pk", flat=True)
    )


def impact_report(
    *, organisation: Organisation, start: date | None = None, end: date | None = None, day: SurgeryDay | None = None
) -> ImpactReport:
    """The report for one day, or for the organisation's days in a period, in a fixed number of queries."""
    day_ids = [day.pk] if day else report_days(organisation=organisation, start=start, end=end)
    held = _sessions_and_people_held(day_ids)
    active = Booking.objects.filter(day_id__in=day_ids, status=Booking.Status.ACTIVE)
    distinct = active.aggregate(surgeons=Count("surgeon", distinct=True))
    ratings = _ratings(day_ids)
    usefulness, usefulness_total = suppress_with_total(ratings, sum(ratings.values()))
    topics = _topics(day_ids)
    later_helped = _learners_who_later_helped(organisation, active, day_ids)
    return ImpactReport(
        organisation=organisation,
        start=start,
        end=end,
        day=day,
        day_count=len(day_ids),
        headline=[
            ("Sessions held", suppress(held["sessions"])),
            ("Learners helped (each day counted on its own)", suppress(held["people"])),
            ("Surgeons who helped", suppress(distinct["surgeons"])),
            ("Learners who later helped as surgeons or facilitators", suppress(later_helped)),
            ("Feedback answers on sessions", usefulness_total),
        ],
        average_usefulness=average_usefulness(ratings),
        usefulness=[(USEFULNESS_LABELS[score], usefulness[score]) for score in sorted(ratings, reverse=True)],
        usefulness_total=usefulness_total,
        topics=sorted(topics, key=lambda row: (-(row.asked.value or 0), row.name)),
        least_covered=_least_covered(topics),
        perspectives=_perspectives(day_ids),
        sections=[workshops.report_section(day_ids)],
    )


def kept_day_report(*, day: SurgeryDay, version: int | None = None) -> ImpactReport:
    """The day's report with its comments, kept in the cache under the day's version.

    Every count the report makes of the day bumps the version when it changes
    (`afterday/receivers.py`). What it counts of other days and of people (who
    helped later, perspectives shared) can stay unseen for `CACHED_FOR` at most.
    The day and organisation are not kept: the caller's fresh rows go back in.
    """

    def work_out() -> ImpactReport:
        report = impact_report(organisation=day.organisation, day=day)
        report.comments = day_comments(day=day)
        return replace(report, organisation=None, day=None)

    version = day_version(day.pk) if version is None else version
    report = kept(f"impact-report:{day.pk}:{version}", work_out)
    return replace(report, organisation=day.organisation, day=day)


def kept_day_report_html(*, day: SurgeryDay, render: Callable[[ImpactReport], str]) -> str:
    """The day's report as `render` makes it (the same for every organiser), kept under
    the day's version as the report is, so a warm page renders none of it."""
    version = day_version(day.pk)
    return kept(f"impact-report-html:{day.pk}:{version}", lambda: render(kept_day_report(day=day, version=version)))


def _sessions_and_people_held(day_ids: list[int]) -> dict[str, int]:
    """Per-day counts, summed. Days whose no-show marks were deleted use their snapshot."""
    totals = {"sessions": 0, "people": 0}
    snapshots = DayAggregate.objects.filter(day_id__in=day_ids).values_list("day_id", "sessions_held", "people_helped")
    purged = set()
    for day_id, sessions, people in snapshots:
        purged.add(day_id)
        totals["sessions"] += sessions
        totals["people"] += people
    live = (
        Booking.objects.filter(day_id__in=set(day_ids) - purged, status=Booking.Status.ACTIVE, is_no_show=False)
        .values("day_id")
        .annotate(sessions=Count("id"), people=Count("learner", distinct=True))
    )
    for row in live:
        totals["sessions"] += row["sessions"]
        totals["people"] += row["people"]
    return totals


def _learners_who_later_helped(organisation: Organisation, active, day_ids: list[int]) -> int:
    """People who learned on these days (in a session or a workshop) and helped as a
    surgeon or facilitator on a later day of the organisation.

    The learners go to the database as subqueries, not as a list of ids: a big day has
    hundreds, each a parameter to build and send twice. Only days that began after the
    earliest first lesson can count, so only those are read."""
    firsts: dict[int, datetime] = {}
    in_sessions = active.order_by().values("learner_id").annotate(first=Min("slot__starts_at"))
    # One query for sessions and workshops together.
    for person_id, first in in_sessions.values_list("learner_id", "first").union(
        workshops.first_learned(day_ids), all=True
    ):
        firsts[person_id] = min(first, firsts.get(person_id, first))
    if not firsts:
        return 0
    learned = Q(person_id__in=active.values("learner_id")) | Q(person_id__in=workshops.learned_on(day_ids))
    after = min(firsts.values())
    as_surgeons = (
        DaySurgeon.objects.filter(learned, day__organisation=organisation)
        .filter(day__status__in=SurgeryDay.HELD_STATUSES, day__starts_at__gt=after)
        .order_by()
        .values("person_id")
        .annotate(last=Max("day__starts_at"))
        .values_list("person_id", "last")
    )
    lasts: dict[int, datetime] = {}
    for person_id, last in as_surgeons.union(workshops.last_helped(organisation, learned, after=after), all=True):
        lasts[person_id] = max(last, lasts.get(person_id, last))
    return sum(1 for person_id, last in lasts.items() if last > firsts[person_id])


def _ratings(day_ids: list[int]) -> dict[int, int]:
    rows = (
        Feedback.objects.filter(day_id__in=day_ids, role=Feedback.Role.LEARNER, usefulness__isnull=False)
        .values("usefulness")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(USEFULNESS_LABELS, 0)
    counts.update({row["usefulness"]: row["n"] for row in rows})
    return counts


def _topics(day_ids: list[int]) -> list[TopicRow]:
    """Each topic asked for: how often (active bookings plus waiting-list entries that
    never got a place) and by how many of the days' surgeons it was offered.

    There is deliberately no "matched" column: asked = matched + still waiting, so
    showing both would let the small waiting count be worked out.
    """
    booked = Booking.topics.through.objects.filter(booking__day_id__in=day_ids, booking__status=Booking.Status.ACTIVE)
    unserved = WaitingListEntry.topics.through.objects.filter(waitinglistentry__day_id__in=day_ids).exclude(
        waitinglistentry__status=WaitingListEntry.Status.BOOKED
    )
    asked = Counter()
    for name, n in _count_by_name(booked).union(_count_by_name(unserved), all=True):
        asked[name] += n
    offering = Counter(
        dict(
            DaySurgeon.topics.through.objects.filter(daysurgeon__day_id__in=day_ids, topic__name__in=list(asked))
            .values("topic__name")
            .annotate(n=Count("daysurgeon__person", distinct=True))
            .values_list("topic__name", "n")
        )
    )
    return [TopicRow(name=name, asked=suppress(n), offering=suppress(offering[name])) for name, n in asked.items()]


def _count_by_name(rows):
    return rows.order_by().values("topic__name").annotate(n=Count("id")).values_list("topic__name", "n")


def _least_covered(topics: list[TopicRow]) -> list[TopicRow]:
    """Topics asked for often enough to show, with the fewest surgeons offering them first.
    Ordered by what the table shows only, so the order cannot hint at a hidden number."""
    shown = [row for row in topics if not row.asked.suppressed]
    return sorted(shown, key=lambda row: (row.offering.value or 0, -(row.asked.value or 0), row.name))[:5]


def _perspectives(day_ids: list[int]) -> list[tuple[str, Cell]]:
    """People taking part (learners, surgeons, workshop participants who came and
    facilitators) by perspective,
    counting only perspectives their owners let organisers see. People may hold
    several, so there is no total."""
    learners = Booking.objects.filter(day_id__in=day_ids, status=Booking.Status.ACTIVE).values("learner_id")
    surgeons = DaySurgeon.objects.filter(day_id__in=day_ids).values("person_id")
    taking_part = (
        Q(person_id__in=learners) | Q(person_id__in=surgeons) | Q(person_id__in=workshops.people_taking_part(day_ids))
    )
    rows = (
        PersonPerspective.objects.filter(visibility__in=levels_visible_to(ORGANISER))
        .filter(person__is_active=True)
        .filter(taking_part)
        .values("perspective")
        .annotate(n=Count("person", distinct=True))
    )
    counts = {row["perspective"]: row["n"] for row in rows}
    return [(label, suppress(counts.get(value, 0))) for value, label in Perspective.choices]


def day_comments(*, day: SurgeryDay) -> list[str]:
    """Comments for organisers, without names or ratings (not in the CSV): sessions and
    the day first, then workshops."""
    # One query: sessions' and the day's comments (part 0) before workshops' (part 1).
    sessions = Feedback.objects.filter(day=day).exclude(comment="").annotate(part=Value(0))
    rows = (
        sessions.order_by()
        .values_list("part", "created_at", "id", "comment")
        .union(
            workshops.day_comments(day).annotate(part=Value(1)).values_list("part", "created_at", "id", "comment"),
            all=True,
        )
        .order_by("part", "created_at", "id")
    )
    return [comment for _part, _created_at, _id, comment in rows]
