"""Who takes part in a day, for organisers: the groups they can write to, what was
sent, and the attendee list behind the downloads and printed sheets.

Each read runs a fixed number of queries whatever the size of the day.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from outbox.models import Notification, NotificationPreference
from people.models import User
from people.visibility import visible_profiles
from surgeries.models import Booking, Commitment, DayMessage, DaySurgeon, SurgeryDay, WaitingListEntry
from surgeries.selectors.bookings import number_given_for
from surgeries.signals import message_group_people

Group = DayMessage.Group


def _active_bookings(day: SurgeryDay) -> QuerySet[Booking]:
    return Booking.objects.filter(day=day, status=Booking.Status.ACTIVE)


def _commitments(day: SurgeryDay, role: str) -> QuerySet[Commitment]:
    # Workshops write their facilitators and places here, so surgeries can name them
    # without knowing about workshops.
    return Commitment.objects.filter(day=day, role=role, is_active=True)


def _group_filter(day: SurgeryDay, group: str) -> Q:
    learners = Q(pk__in=_active_bookings(day).values("learner_id"))
    surgeons = Q(pk__in=DaySurgeon.objects.filter(day=day).values("person_id"))
    facilitators = Q(pk__in=_commitments(day, Commitment.Role.FACILITATOR).values("person_id"))
    participants = Q(pk__in=_commitments(day, Commitment.Role.PARTICIPANT).values("person_id"))
    waiting = Q(
        pk__in=WaitingListEntry.objects.filter(day=day, status=WaitingListEntry.Status.WAITING).values("person_id")
    )
    filters = {
        Group.EVERYONE: learners | surgeons | facilitators | participants | waiting,
        Group.LEARNERS: learners,
        Group.SURGEONS: surgeons,
        Group.FACILITATORS: facilitators,
        Group.WAITING: waiting,
        Group.CHECKED_IN: Q(pk__in=_active_bookings(day).filter(checked_in_at__isnull=False).values("learner_id")),
        Group.NO_SHOW: Q(pk__in=_active_bookings(day).filter(is_no_show=True).values("learner_id")),
    }
    return filters[Group(group)] | _people_kept_elsewhere(day, group)


def _people_kept_elsewhere(day: SurgeryDay, group: str) -> Q:
    # Workshops keep who came to a workshop and who waits for a place; surgeries may
    # not import them, so it asks (surgeries/signals.py). Each answer is a subquery.
    found = Q(pk__in=[])
    for _receiver, person_ids in message_group_people.send(sender=SurgeryDay, day=day, group=Group(group)):
        if person_ids is not None:
            found |= Q(pk__in=person_ids)
    return found


def message_recipients(*, day: SurgeryDay, group: str, is_essential: bool) -> QuerySet[User]:
    """The people a message to `group` would be sent to, each once.

    Accounts that cannot receive mail are left out, and so, for a message that is not
    essential, are people who turned such messages off: the count an organiser
    confirms is the number of emails that will be sent.
    """
    people = User.objects.filter(_group_filter(day, group), is_active=True).exclude(email="")
    if not is_essential:
        opted_out = NotificationPreference.objects.filter(person=OuterRef("pk"), non_essential_enabled=False)
        people = people.exclude(Exists(opted_out))
    return people.order_by("display_name", "pk")


@dataclass(frozen=True)
class SentMessage:
    message: DayMessage
    delivered: int


def day_messages_sent(*, day: SurgeryDay) -> list[SentMessage]:
    """The record of what was sent on a day, newest first, with how many emails went out (two queries)."""
    messages = list(
        DayMessage.objects.filter(day=day, sent_at__isnull=False).select_related("sent_by").order_by("-sent_at", "-id")
    )
    delivered = dict(
        Notification.objects.filter(
            subject_type=ContentType.objects.get_for_model(DayMessage),
            subject_id__in=[m.pk for m in messages],
            state=Notification.State.SENT,
        )
        .order_by()
        .values_list("subject_id")
        .annotate(total=Count("id"))
    )
    return [SentMessage(message=m, delivered=delivered.get(m.pk, 0)) for m in messages]


# --- the attendee list ---------------------------------------------------------


@dataclass(frozen=True)
class AttendeeRow:
    starts_at: datetime
    learner: str
    surgeon: str
    topics: tuple[str, ...]
    is_walk_in: bool
    booked_for_them: str  # "By phone", "In person", or "" when they booked themselves
    # Only organisers of the day read this list, and only of people booked on it.
    phone: str
    checked_in_at: datetime | None
    pronouns: str
    languages: str
    # Present only where the learner lets organisers see them; empty otherwise.
    access_needs: tuple[str, ...]
    perspectives: tuple[str, ...]
    contact_notes: str
    learner_id: int
    shown: tuple[str, ...]


def attendee_rows(*, day: SurgeryDay, viewer: User) -> list[AttendeeRow]:
    """One row per active session, in time order, with only what `viewer` may see of each learner.

    Access needs and lived experience come through `people.visibility`, so a learner
    who keeps them to themselves has them left out of every list, download and sheet.
    """
    bookings = list(
        _active_bookings(day)
        .select_related("slot", "learner", "surgeon")
        .prefetch_related("topics")
        .order_by("slot__starts_at", "surgeon__display_name", "id")
    )
    profiles = visible_profiles(viewer=viewer, people=[b.learner for b in bookings])
    return [
        AttendeeRow(
            starts_at=booking.slot.starts_at,
            learner=booking.learner.display_name,
            surgeon=booking.surgeon.display_name,
            topics=tuple(topic.name for topic in booking.topics.all()),
            is_walk_in=booking.is_walk_in,
            booked_for_them=booking.get_on_behalf_display() if booking.on_behalf else "",
            phone=number_given_for(booking),
            checked_in_at=booking.checked_in_at,
            pronouns=profile.pronouns,
            languages=profile.languages,
            access_needs=profile.access_needs,
            perspectives=profile.perspectives,
            contact_notes=profile.contact_notes or "",
            learner_id=booking.learner_id,
            shown=profile.shown,
        )
        for booking, profile in zip(bookings, profiles, strict=True)
    ]
