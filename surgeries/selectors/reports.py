"""The impact report: what surgery days achieved, as counts that never single anyone out.

Every count below SMALL_NUMBER shows as "fewer than 5" (zero too: "none of the
three people with lived experience came" is as telling as "one came"). A table
that also shows its total suppresses further cells until the suppressed cells
together hold at least SMALL_NUMBER, so subtracting the cells shown from the total
never gives back a small number. The rules are in docs/after-the-day.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from people.models import Organisation, PersonPerspective, Perspective
from people.visibility import Visibility
from surgeries.afterday_sources import ReportSection, after_day_sources
from surgeries.models import Booking, DayAggregate, DaySurgeon, Feedback, SurgeryDay, WaitingListEntry

SMALL_NUMBER = 5
# With few answers an exact average can give the hidden score counts back (eight
# answers averaging 4.6 can only be five 5s and three 4s), so it needs more.
AVERAGE_MIN_ANSWERS = 10
AVERAGE_NOT_SHOWN = "Not shown: too few answers to keep them anonymous"
SUPPRESSED_TEXT = "fewer than 5"
NOT_SHOWN_TEXT = "not shown"
# Perspectives a person lets organisers see; "only me" is never counted.
ORGANISER_VISIBLE = [Visibility.ORGANISERS, Visibility.PAIRED, Visibility.EVENT]


@dataclass(frozen=True)
class Cell:
    """A count as the report may show it: `value` is None when it is hidden.

    A small count says "fewer than 5"; a count of 5 or more hidden only to protect
    a small one beside the same total says "not shown", so the page never claims
    something untrue.
    """

    value: int | None
    hidden_text: str = SUPPRESSED_TEXT

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return self.hidden_text if self.value is None else str(self.value)


def suppress(count: int) -> Cell:
    return Cell(None if count < SMALL_NUMBER else count)


def _hidden_text(count: int) -> str:
    return SUPPRESSED_TEXT if count < SMALL_NUMBER else NOT_SHOWN_TEXT


def _could_be_worked_out(counts: dict[Hashable, int], hidden: set[Hashable]) -> bool:
    """Whether a reader who knows these rules could pin down a hidden cell.

    They know the hidden cells add up to the total minus the cells shown; that a
    "fewer than 5" cell is 0 to 4; and that a "not shown" cell is at least 5 and at
    most the smallest cell still shown (it was hidden as the smallest). A cell whose
    lowest and highest possible values meet is given away, and so is a hidden sum
    below SMALL_NUMBER.
    """
    hidden_sum = sum(counts[key] for key in hidden)
    if hidden_sum < SMALL_NUMBER:
        return True
    shown = [counts[key] for key in counts if key not in hidden]
    ceiling = min(shown) if shown else hidden_sum
    bounds = [(0, SMALL_NUMBER - 1) if counts[key] < SMALL_NUMBER else (SMALL_NUMBER, ceiling) for key in hidden]
    lowest, highest = sum(low for low, _ in bounds), sum(high for _, high in bounds)
    for low, high in bounds:
        if max(low, hidden_sum - (highest - high)) >= min(high, hidden_sum - (lowest - low)):
            return True
    return False


def suppress_with_total(counts: dict[Hashable, int], total: int) -> tuple[dict[Hashable, Cell], Cell]:
    """Hide small cells, then more cells until no hidden cell can be worked out from the total.

    1. Hide every cell below SMALL_NUMBER ("fewer than 5").
    2. While a hidden cell could be worked out (see `_could_be_worked_out`: from
       total minus the cells shown, and the bounds each label gives), also hide
       the smallest cell still shown ("not shown"; ties broken by key order, never
       by hidden values).
    3. If that is still not enough once every cell is hidden, hide the total too;
       a total below SMALL_NUMBER is always hidden.
    """
    hidden = {key for key, count in counts.items() if count < SMALL_NUMBER}
    while hidden and _could_be_worked_out(counts, hidden):
        shown = [key for key in counts if key not in hidden]
        if not shown:
            break
        hidden.add(min(shown, key=lambda key: counts[key]))
    cells = {key: Cell(None, _hidden_text(count)) if key in hidden else Cell(count) for key, count in counts.items()}
    if hidden and _could_be_worked_out(counts, hidden):
        return cells, Cell(None, _hidden_text(total))
    return cells, suppress(total)


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
    # Parts offered by other apps (workshops), in registration order.
    sections: list[ReportSection] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


USEFULNESS_LABELS = {5: "5 (very useful)", 4: "4", 3: "3", 2: "2", 1: "1 (not useful)"}


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
        sections=[source.report_section(day_ids) for source in after_day_sources()],
    )


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
    """People who learned on these days (in a session or, through the sources, a
    workshop) and helped as a surgeon or facilitator on a later day of the organisation."""
    firsts = dict(active.values("learner_id").annotate(first=Min("slot__starts_at")).values_list("learner_id", "first"))
    for source in after_day_sources():
        for person_id, first in source.first_learned(day_ids).items():
            firsts[person_id] = min(first, firsts.get(person_id, first))
    lasts = dict(
        DaySurgeon.objects.filter(person_id__in=list(firsts), day__organisation=organisation)
        .filter(day__status__in=SurgeryDay.HELD_STATUSES)
        .values("person_id")
        .annotate(last=Max("day__starts_at"))
        .values_list("person_id", "last")
    )
    for source in after_day_sources():
        for person_id, last in source.last_helped(organisation, list(firsts)).items():
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


def average_usefulness(scores: dict[int, int]) -> str | None:
    """The mean score to one decimal, or None when showing it could give counts away.

    It needs AVERAGE_MIN_ANSWERS answers, and more than one possible sum of scores
    behind the figure shown: with ten answers "4.9" can only be a sum of 49, which
    is nine 5s and one 4. From about twenty answers every figure has two or more
    sums behind it.
    """
    answers = sum(scores.values())
    if answers < AVERAGE_MIN_ANSWERS:
        return None
    shown = f"{sum(score * n for score, n in scores.items()) / answers:.1f}"
    sums_behind_it = [total for total in range(answers, 5 * answers + 1) if f"{total / answers:.1f}" == shown]
    return shown if len(sums_behind_it) >= 2 else None


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
    asked = _count_by_name(booked) + _count_by_name(unserved)
    offering = Counter(
        dict(
            DaySurgeon.topics.through.objects.filter(daysurgeon__day_id__in=day_ids, topic__name__in=list(asked))
            .values("topic__name")
            .annotate(n=Count("daysurgeon__person", distinct=True))
            .values_list("topic__name", "n")
        )
    )
    return [TopicRow(name=name, asked=suppress(n), offering=suppress(offering[name])) for name, n in asked.items()]


def _count_by_name(rows) -> Counter:
    return Counter(dict(rows.values("topic__name").annotate(n=Count("id")).values_list("topic__name", "n")))


def _least_covered(topics: list[TopicRow]) -> list[TopicRow]:
    """Topics asked for often enough to show, with the fewest surgeons offering them first.
    Ordered by what the table shows only, so the order cannot hint at a hidden number."""
    shown = [row for row in topics if not row.asked.suppressed]
    return sorted(shown, key=lambda row: (row.offering.value or 0, -(row.asked.value or 0), row.name))[:5]


def _perspectives(day_ids: list[int]) -> list[tuple[str, Cell]]:
    """People taking part (learners, surgeons, and those the sources add) by perspective,
    counting only perspectives their owners let organisers see. People may hold
    several, so there is no total."""
    learners = Booking.objects.filter(day_id__in=day_ids, status=Booking.Status.ACTIVE).values("learner_id")
    surgeons = DaySurgeon.objects.filter(day_id__in=day_ids).values("person_id")
    taking_part = Q(person_id__in=learners) | Q(person_id__in=surgeons)
    for source in after_day_sources():
        taking_part |= Q(person_id__in=source.people_taking_part(day_ids))
    rows = (
        PersonPerspective.objects.filter(visibility__in=ORGANISER_VISIBLE)
        .filter(person__is_active=True)
        .filter(taking_part)
        .values("perspective")
        .annotate(n=Count("person", distinct=True))
    )
    counts = {row["perspective"]: row["n"] for row in rows}
    return [(label, suppress(counts.get(value, 0))) for value, label in Perspective.choices]


def day_comments(*, day: SurgeryDay) -> list[str]:
    """Comments for organisers, without names or ratings (not in the CSV): sessions and
    the day first, then what the sources add."""
    comments = list(
        Feedback.objects.filter(day=day)
        .exclude(comment="")
        .order_by("created_at", "id")
        .values_list("comment", flat=True)
    )
    for source in after_day_sources():
        comments.extend(source.day_comments(day))
    return comments
