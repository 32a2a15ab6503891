"""Writes to the outbox, meant to be called inside the business transaction.

Schedule the confirmation in the same `transaction.atomic` block that creates the
booking; cancel a booking's rows in the block that cancels it. Then a rolled-back
change leaves nothing to send, and a committed one can never be forgotten.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone

from outbox.models import Notification, NotificationPreference, SweepHeartbeat
from outbox.registry import get_kind
from people.models import User

logger = logging.getLogger(__name__)


def _subject_filter(subject: Model) -> Q:
    return Q(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


def notification_schedule(
    *,
    kind: str,
    recipient: User,
    subject: Model,
    due_at: datetime | None = None,
    slot: str = "",
    scope: Model | None = None,
) -> Notification | None:
    """Make sure this message will be sent once, at `due_at`.

    `due_at` defaults to what the kind computes from the subject and slot; None from
    the kind means the message is not wanted (for example, a reminder that would be
    due after the event). `scope` is what organisers look at (the surgery day);
    it defaults to the subject. Scheduling the same kind, recipient, subject and slot
    again moves the pending row (or revives a cancelled one) instead of adding a
    second one; a row that is being sent, was sent or failed is left alone.
    Inside `notifications_in_bulk` the row is written when the block ends, and None is returned.
    """
    get_kind(kind)  # a misspelt kind fails here, in the caller's transaction, not at send time
    key = _Key(kind, recipient.pk, ContentType.objects.get_for_model(subject).pk, subject.pk, slot)
    bulk = _bulk.get()
    if bulk is not None:
        # The last call for a key wins, as a later call would move the row written by an
        # earlier one; a computed due time is computed once, when the block ends.
        bulk.rows[key] = (due_at, subject, scope or subject)
        return None
    due_at = due_at or _computed_due_at(kind=kind, subject=subject, slot=slot)
    if due_at is None:
        return None
    with transaction.atomic():
        return _schedule_one(key=key, due_at=due_at, scope=scope or subject)


@dataclass(frozen=True)
class _Key:
    """What makes a message unique (the constraint `notification_unique_per_slot`)."""

    kind: str
    recipient_id: int
    subject_type_id: int
    subject_id: int
    slot: str

    def fields(self) -> dict:
        return {
            "kind": self.kind,
            "recipient_id": self.recipient_id,
            "subject_type_id": self.subject_type_id,
            "subject_id": self.subject_id,
            "slot": self.slot,
        }

    @classmethod
    def of(cls, row: Notification) -> "_Key":
        return cls(row.kind, row.recipient_id, row.subject_type_id, row.subject_id, row.slot)


def _schedule_one(*, key: _Key, due_at: datetime, scope: Model) -> Notification:
    existing = Notification.objects.select_for_update().filter(**key.fields()).first()
    if existing is None:
        created = _create_once(key=key.fields(), due_at=due_at, scope=scope)
        if created is not None:
            return created
        existing = Notification.objects.select_for_update().get(**key.fields())
    if _can_move(existing):
        _move(existing, due_at=due_at)
    return existing


# --- Many messages at once --------------------------------------------------------------


@dataclass
class _Bulk:
    # Key -> (due time, or None to compute it from the subject; subject; scope).
    rows: dict[_Key, tuple[datetime | None, Model, Model]] = field(default_factory=dict)
    # Subjects whose pending rows are to be recomputed, by (content type id, id).
    moved: dict[tuple[int, int], Model] = field(default_factory=dict)


_bulk: ContextVar[_Bulk | None] = ContextVar("outbox_bulk", default=None)


@contextmanager
def notifications_in_bulk() -> Iterator[None]:
    """Collect the messages scheduled inside the block and write them together at its end.

    For a service that makes many changes in one transaction (a batch of bookings):
    `notification_schedule` and `notifications_reschedule_for` calls are gathered and,
    when the block ends without an error, written with one query to find existing rows
    and one `bulk_create`, with the same outcome as calling them one by one (a key
    scheduled twice keeps its last due time; an existing row is moved, not doubled).
    Due times the kinds compute are computed then, once per message, from the subject
    as it is at the end of the block: what the last of several calls would have found.
    Use it inside the caller's `transaction.atomic`, and schedule nothing in a savepoint
    that may roll back inside it: the gathered rows would still be written.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notifications_in_bulk() must run inside the transaction it writes in.")
    bulk = _Bulk()
    token = _bulk.set(bulk)
    try:
        yield
    finally:
        _bulk.reset(token)
    _write_bulk(bulk)


def _write_bulk(bulk: _Bulk) -> None:
    """1. Compute each gathered message's due time, once.
    2. Lock, in one query, the existing rows about the gathered messages' subjects and
       the subjects whose rows were to be recomputed.
    3. Move each existing row of a gathered message to its time (as scheduling it again
       does); recompute the other pending rows of those subjects (as
       `notifications_reschedule_for` does).
    4. Insert the rest at once, or one by one if a concurrent transaction inserted one."""
    wanted: dict[_Key, tuple[datetime, Model] | None] = {}
    for key, (due_at, subject, scope) in bulk.rows.items():
        due_at = due_at or _computed_due_at(kind=key.kind, subject=subject, slot=key.slot)
        wanted[key] = None if due_at is None else (due_at, scope)
    about = {(key.subject_type_id, key.subject_id) for key in wanted} | set(bulk.moved)
    found = set()
    for row in _rows_about(about):
        key, moved = _Key.of(row), bulk.moved.get((row.subject_type_id, row.subject_id))
        if key in wanted:
            found.add(key)
        if wanted.get(key) is not None:
            if _can_move(row):
                _move(row, due_at=wanted[key][0])
        elif moved is not None and row.state == Notification.State.PENDING:
            hook = get_kind(row.kind).due_at
            if hook is not None:
                _reschedule_row(row, due_at=hook(moved, row.slot))
    new = {key: value for key, value in wanted.items() if value is not None and key not in found}
    rows = [_new_row(key=key, due_at=due_at, scope=scope) for key, (due_at, scope) in new.items()]
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(rows)
    except IntegrityError:
        for key, (due_at, scope) in new.items():
            _schedule_one(key=key, due_at=due_at, scope=scope)


def _rows_about(subjects: Iterable[tuple[int, int]]) -> list[Notification]:
    """Every row about these (content type id, id) subjects, locked."""
    ids_by_type: dict[int, set[int]] = defaultdict(set)
    for type_id, subject_id in subjects:
        ids_by_type[type_id].add(subject_id)
    if not ids_by_type:
        return []
    about = Q()
    for type_id, ids in ids_by_type.items():
        about |= Q(subject_type_id=type_id, subject_id__in=sorted(ids))
    return list(Notification.objects.select_for_update().filter(about).order_by("pk"))


def _new_row(*, key: _Key, due_at: datetime, scope: Model) -> Notification:
    row = Notification(
        **key.fields(), due_at=due_at, scope_type=ContentType.objects.get_for_model(scope), scope_id=scope.pk
    )
    # The foreign keys and the unique constraint are the database's to check, at insert.
    row.full_clean(exclude=["recipient", "subject_type", "scope_type"], validate_constraints=False)
    return row


def _move(row: Notification, *, due_at: datetime) -> None:
    unchanged = (row.due_at, row.state, row.last_error, row.claim_token, row.claimed_until)
    if unchanged == (due_at, Notification.State.PENDING, "", None, None):
        return
    row.due_at = due_at
    row.state = Notification.State.PENDING
    row.last_error = ""
    row.claim_token = row.claimed_until = None
    # Only the time and state change; the foreign keys were checked when the row was made.
    row.full_clean(exclude=["recipient", "subject_type", "scope_type"], validate_constraints=False)
    row.save(update_fields=["due_at", "state", "last_error", "claim_token", "claimed_until"])


def _computed_due_at(*, kind: str, subject: Model, slot: str) -> datetime | None:
    hook = get_kind(kind).due_at
    if hook is None:
        raise ValueError(f"{kind!r} computes no due time; pass due_at.")
    return hook(subject, slot)


def _can_move(row: Notification) -> bool:
    """Pending rows can move. A cancelled row can come back only once no sender can
    still hold it: a row cancelled mid-send keeps its lease, and reviving it then
    could send it twice."""
    if row.state == Notification.State.PENDING:
        return True
    if row.state != Notification.State.CANCELLED:
        return False
    return row.claimed_until is None or row.claimed_until <= timezone.now()


def _create_once(*, key: dict, due_at: datetime, scope: Model) -> Notification | None:
    """Insert the row, or return None if a concurrent transaction inserted it first."""
    notification = Notification(
        **key,
        due_at=due_at,
        scope_type=ContentType.objects.get_for_model(scope),
        scope_id=scope.pk,
    )
    # The unique constraint is checked by the database below, under the savepoint.
    notification.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            notification.save(force_insert=True)
    except IntegrityError:
        return None
    return notification


@transaction.atomic
def notifications_cancel_for(*, subject: Model, kinds: Iterable[str] | None = None, reason: str = "") -> int:
    """Stop every unsent message about `subject` (or only those of `kinds`).

    A row already claimed is cancelled too: its sender checks the state again just
    before sending. Returns how many rows were cancelled. Inside `notifications_in_bulk`,
    messages about `subject` gathered so far are dropped too.
    """
    kinds = None if kinds is None else list(kinds)
    bulk = _bulk.get()
    if bulk is not None:
        type_id = ContentType.objects.get_for_model(subject).pk
        for key in [k for k in bulk.rows if (k.subject_type_id, k.subject_id) == (type_id, subject.pk)]:
            if kinds is None or key.kind in kinds:
                del bulk.rows[key]
    rows = Notification.objects.filter(
        _subject_filter(subject),
        state__in=[Notification.State.PENDING, Notification.State.SENDING],
    )
    if kinds is not None:
        rows = rows.filter(kind__in=kinds)
    return rows.update(state=Notification.State.CANCELLED, last_error=reason[:200])


def notifications_reschedule_for(*, subject: Model) -> int:
    """Recompute due times after the subject moved (a booking changed slot, a day's
    times changed). Each kind's `due_at` hook says when its message is now due;
    None cancels it. Rows already being sent or sent are not touched. Returns how
    many rows changed. Inside `notifications_in_bulk` this happens when the block ends
    (and 0 is returned), once per subject however often it was asked for."""
    bulk = _bulk.get()
    if bulk is not None:
        bulk.moved[(ContentType.objects.get_for_model(subject).pk, subject.pk)] = subject
        return 0
    changed = 0
    with transaction.atomic():
        rows = Notification.objects.select_for_update().filter(
            _subject_filter(subject), state=Notification.State.PENDING
        )
        for row in rows:
            hook = get_kind(row.kind).due_at
            if hook is not None:
                changed += _reschedule_row(row, due_at=hook(subject, row.slot))
    return changed


def _reschedule_row(row: Notification, *, due_at: datetime | None) -> int:
    """Move a pending row to its recomputed time, or cancel it if None; 1 if it changed."""
    if due_at is None:
        row.state = Notification.State.CANCELLED
        row.last_error = "no longer wanted after the change"
    elif due_at != row.due_at:
        row.due_at = due_at
    else:
        return 0
    row.save(update_fields=["due_at", "state", "last_error"])
    return 1


@transaction.atomic
def notification_preference_set(*, person: User, non_essential_enabled: bool) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(person=person)
    preference.non_essential_enabled = non_essential_enabled
    preference.full_clean()
    preference.save()
    return preference


def sweep_heartbeat_record(*, at: datetime) -> None:
    """Note that a sweep just finished: one UPDATE, and an INSERT only the first time."""
    if not SweepHeartbeat.objects.filter(id=SweepHeartbeat.ROW_ID).update(swept_at=at):
        SweepHeartbeat.objects.update_or_create(id=SweepHeartbeat.ROW_ID, defaults={"swept_at": at})
