"""Workshops after the day: what they add to the impact report, to "My sessions",
to feedback on the day, and to the retention job.

Plain functions the report (selectors/report.py), "My sessions"
(selectors/sessions.py) and the retention service call. Each reads in a fixed
number of queries. The report rules (suppression of small numbers, averages only
from ten answers) are the ones in `afterday.suppression`; this module only applies them.
"""

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from afterday.models import WorkshopFeedback
from afterday.report_types import Cell, ReportSection, ReportTable
from afterday.suppression import AVERAGE_NOT_SHOWN, USEFULNESS_LABELS, average_usefulness, suppress_with_total
from people.models import Organisation, User
from surgeries.models import SurgeryDay
from surgeries.templatetags.venue_time import venue_date
from workshops.models import Registration, Workshop, WorkshopFacilitator


def held_places() -> QuerySet[Registration]:
    """Places that were used: active, in a workshop that went ahead, and not marked "did not come"."""
    return Registration.objects.filter(
        status=Registration.Status.ACTIVE, is_no_show=False, workshop__status=Workshop.Status.ACTIVE
    )


def places_used():
    """Each workshop's places used, as an expression on a workshop query (a subquery of `held_places`)."""
    used = held_places().filter(workshop=OuterRef("pk")).order_by().values("workshop").annotate(n=Count("id"))
    return Coalesce(Subquery(used.values("n")), 0)


# --- The impact report ------------------------------------------------------------------


def report_section(day_ids: list[int]) -> ReportSection:
    """Workshops held, places used (attendance) and usefulness: three queries.

    Places used come from each workshop's snapshot once the retention job has
    deleted its "did not come" marks, and from the places themselves before that.
    """
    workshops = list(
        Workshop.objects.filter(day_id__in=day_ids, status=Workshop.Status.ACTIVE)
        .annotate(live_attended=places_used())
        .values("pk", "title", "starts_at", "attended_snapshot", "live_attended", "day__venue__time_zone")
        .order_by("starts_at", "title", "pk")
    )
    attended = {
        row["pk"]: row["live_attended"] if row["attended_snapshot"] is None else row["attended_snapshot"]
        for row in workshops
    }
    scores_by_workshop: dict[int, dict[int, int]] = defaultdict(lambda: dict.fromkeys(USEFULNESS_LABELS, 0))
    for row in (
        WorkshopFeedback.objects.filter(workshop_id__in=list(attended))
        .values("workshop_id", "usefulness")
        .annotate(n=Count("id"))
    ):
        scores_by_workshop[row["workshop_id"]][row["usefulness"]] = row["n"]
    scores = dict.fromkeys(USEFULNESS_LABELS, 0)
    for per_workshop in scores_by_workshop.values():
        for score, n in per_workshop.items():
            scores[score] += n
    usefulness, usefulness_total = suppress_with_total(scores, sum(scores.values()))
    places, places_total = suppress_with_total(attended, sum(attended.values()))
    usefulness_rows = [(USEFULNESS_LABELS[score], usefulness[score]) for score in sorted(scores, reverse=True)]
    return ReportSection(
        key="workshops",
        title="Workshops",
        headline=[
            # A count of events, not of people, and the table below lists them all anyway.
            ("Workshops held", Cell(len(workshops))),
            ("Workshop places used (people who came)", places_total),
            ("Feedback answers on workshops", usefulness_total),
        ],
        average_label="Average usefulness of workshops (1 to 5)",
        average=average_usefulness(scores),
        chart_title="How useful participants found the workshops",
        chart_rows=usefulness_rows if workshops else [],
        chart_description="Number of answers for each score from 5 (very useful) to 1 (not useful).",
        tables=[
            ReportTable(
                caption="Workshop attendance: places used in each workshop",
                columns=("Workshop", "Places used", "Average usefulness (1 to 5)"),
                rows=[
                    (
                        f"{row['title']} ({venue_date(row['starts_at'], row['day__venue__time_zone'])})",
                        (places[row["pk"]], average_usefulness(scores_by_workshop[row["pk"]]) or AVERAGE_NOT_SHOWN),
                    )
                    for row in workshops
                ],
                empty_text="No workshops took place.",
                footer=("All workshops", (places_total, "")),
            ),
            ReportTable(
                caption="Participants' answers to “How useful was this workshop?”",
                columns=("Score", "Answers"),
                rows=[(label, (cell,)) for label, cell in usefulness_rows],
                footer=("All answers", (usefulness_total,)),
            ),
        ],
    )


def day_comments(day: SurgeryDay) -> QuerySet[WorkshopFeedback]:
    """Participants' feedback with a comment on the day's workshops, for organisers
    (a query the report joins to the sessions' comments)."""
    return WorkshopFeedback.objects.filter(workshop__day=day).exclude(comment="").order_by()


def people_taking_part(day_ids: list[int]):
    """Participants who came and facilitators, as one subquery of person ids."""
    came = held_places().filter(workshop__day_id__in=day_ids).values("person_id")
    ran = WorkshopFacilitator.objects.filter(
        workshop__day_id__in=day_ids, workshop__status=Workshop.Status.ACTIVE
    ).values("person_id")
    return User.objects.filter(Q(pk__in=came) | Q(pk__in=ran)).values("pk")


def learned_on(day_ids: list[int]):
    """People who used a place in a workshop on these days, as a subquery of person ids."""
    return held_places().filter(workshop__day_id__in=day_ids).values("person_id")


def first_learned(day_ids: list[int]) -> QuerySet:
    """(person id, start of their first workshop) rows, for the report to join to its own."""
    return (
        held_places()
        .filter(workshop__day_id__in=day_ids)
        .order_by()
        .values("person_id")
        .annotate(first=Min("workshop__starts_at"))
        .values_list("person_id", "first")
    )


def last_helped(organisation: Organisation, people: Q, *, after: datetime) -> QuerySet:
    """(person id, start of that day) rows: when each of `people` (a condition on
    `person_id`) last facilitated on a day that began after `after` (as for surgeons)."""
    return (
        WorkshopFacilitator.objects.filter(people, workshop__status=Workshop.Status.ACTIVE)
        .filter(workshop__day__organisation=organisation, workshop__day__status__in=SurgeryDay.HELD_STATUSES)
        .filter(workshop__day__starts_at__gt=after)
        .order_by()
        .values("person_id")
        .annotate(last=Max("workshop__day__starts_at"))
        .values_list("person_id", "last")
    )


# --- Feedback on the day and "My sessions" --------------------------------------------


def helped_on_day(day: SurgeryDay, person: User) -> bool:
    return WorkshopFacilitator.objects.filter(
        workshop__day=day, workshop__status=Workshop.Status.ACTIVE, person=person
    ).exists()


def days_helped(person: User, now: datetime) -> list[SurgeryDay]:
    return list(
        SurgeryDay.objects.filter(
            workshops__facilitators__person=person, workshops__status=Workshop.Status.ACTIVE, starts_at__lte=now
        )
        .filter(status__in=SurgeryDay.HELD_STATUSES)
        .select_related("venue")
        .distinct()
    )


def past_places(*, person: User, now: datetime) -> list[Registration]:
    """The person's places in workshops that have started, newest first, with their feedback."""
    return list(
        Registration.objects.filter(
            person=person, status=Registration.Status.ACTIVE, workshop__status=Workshop.Status.ACTIVE
        )
        .filter(workshop__starts_at__lte=now, workshop__day__status__in=SurgeryDay.HELD_STATUSES)
        .select_related("workshop__day__venue", "feedback")
        .order_by("-workshop__starts_at", "-id")
    )


def past_workshops_run(*, person: User, now: datetime) -> list[Workshop]:
    """Workshops the person ran that have started, newest first, with the comments
    participants chose to share with the facilitators (no names, no scores)."""
    shared = WorkshopFeedback.objects.filter(comment_audience=WorkshopFeedback.CommentAudience.FACILITATORS).exclude(
        comment=""
    )
    return list(
        Workshop.objects.filter(facilitators__person=person, status=Workshop.Status.ACTIVE, starts_at__lte=now)
        .filter(day__status__in=SurgeryDay.HELD_STATUSES)
        .select_related("day__venue")
        .prefetch_related(Prefetch("feedback", queryset=shared.order_by("created_at", "id"), to_attr="shared"))
        .order_by("-starts_at", "-id")
    )


def sessions_part(person: User, now: datetime) -> dict | None:
    """The workshops' block of "My sessions" (afterday/_my_workshops.html), or None if empty."""
    places = past_places(person=person, now=now)
    run = past_workshops_run(person=person, now=now)
    if not places and not run:
        return None
    for registration in places:
        # A missing reverse one-to-one raises a subclass of AttributeError, so getattr's default applies.
        registration.my_feedback = getattr(registration, "feedback", None)
    return {"places": places, "run": run}


# --- Retention ------------------------------------------------------------------------


def purge_day(day: SurgeryDay) -> int:
    """Count each workshop's places used, then delete the day's "did not come" marks.

    Runs inside the retention transaction, after the day row is locked.
    """
    Workshop.objects.filter(day=day, attended_snapshot__isnull=True).update(attended_snapshot=places_used())
    return Registration.objects.filter(workshop__day=day, is_no_show=True).update(is_no_show=False)
