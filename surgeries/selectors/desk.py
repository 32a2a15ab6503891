"""The organisers' desk on the day: who is due soonest, a page at a time.

A big day has hundreds of bookings, so the desk never lists them all: it orders
them by what the desk needs next (arrivals due in the next hour, then later ones,
then those already checked in, marked as no-shows or past), narrows them by name
and hands the page a short list of rows with their times and addresses worked
out here, so the template does no per-row lookups.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse

from surgeries.models import Booking, SurgeryDay
from surgeries.selectors.bookings import number_given_for
from surgeries.templatetags.venue_time import venue_time

DUE_WITHIN = timedelta(hours=1)

# The groups, in the order the desk shows them, and what each is called on the page.
DUE, LATER, DONE = 0, 1, 2
GROUP_LABELS = {
    DUE: "Due in the next hour",
    LATER: "Later today",
    DONE: "Checked in, no-shows and earlier sessions",
}
# The desk's "Show" filter: its values in the address, and what they keep.
SHOW_CHOICES = {
    "all": "Everyone, soonest first",
    "due": GROUP_LABELS[DUE],
    "later": GROUP_LABELS[LATER],
    "done": GROUP_LABELS[DONE],
}
_SHOW_GROUP = {"due": DUE, "later": LATER, "done": DONE}


def desk_bookings(*, day: SurgeryDay, now: datetime, search: str = "", show: str = "all") -> QuerySet[Booking]:
    """The day's active bookings in desk order, as a lazy query a paginator can slice.

    1. Each booking gets a group: DONE once checked in, marked as a no-show or over;
       otherwise DUE if it starts within the next hour (or has started), else LATER.
    2. `show` keeps one group ("all" keeps every one).
    3. `search` keeps bookings whose learner or surgeon has that text in their name.
    """
    group = Case(
        When(Q(checked_in_at__isnull=False) | Q(is_no_show=True) | Q(slot__ends_at__lte=now), then=Value(DONE)),
        When(slot__starts_at__lt=now + DUE_WITHIN, then=Value(DUE)),
        default=Value(LATER),
        output_field=IntegerField(),
    )
    bookings = (
        Booking.objects.filter(day=day, status=Booking.Status.ACTIVE)
        .select_related("slot", "learner", "surgeon")
        .annotate(desk_group=group)
        .order_by("desk_group", "slot__starts_at", "surgeon__display_name", "id")
    )
    if show in _SHOW_GROUP:
        bookings = bookings.filter(desk_group=_SHOW_GROUP[show])
    if search:
        bookings = bookings.filter(
            Q(learner__display_name__icontains=search) | Q(surgeon__display_name__icontains=search)
        )
    return bookings


@dataclass(frozen=True)
class DeskRow:
    """One booking as the desk shows it, with its times in the venue's zone."""

    booking_id: int
    group: int
    starts: str  # "10:30 GMT"
    learner_name: str
    is_walk_in: bool
    on_behalf: str  # "by phone", "in person" when an organiser booked for them, else ""
    # The desk is for the day's organisers and lists people booked on it: the ones who may see it.
    phone: str
    surgeon_name: str
    checked_in: str  # when they were checked in, "" if not
    is_no_show: bool
    organiser_note: str
    check_in_url: str
    no_show_url: str
    move_url: str
    note_url: str


@dataclass(frozen=True)
class DeskSection:
    label: str
    rows: list[DeskRow]


def _address_for_each(name: str, day_id: int) -> Callable[[int], str]:
    """One reverse() for a desk action, then the booking's id put in its place for every row."""
    marker = 987654321
    before, after = reverse(f"surgeries:{name}", args=[day_id, marker]).rsplit(str(marker), 1)
    return lambda booking_id: f"{before}{booking_id}{after}"


def desk_sections(*, day: SurgeryDay, bookings: Iterable[Booking]) -> list[DeskSection]:
    """The rows of one page, under a heading for each group they fall in."""
    zone = day.time_zone
    check_in, no_show, move, note = (
        _address_for_each(name, day.pk) for name in ("desk_check_in", "desk_no_show", "desk_move", "desk_note")
    )
    sections: list[DeskSection] = []
    for booking in bookings:
        if not sections or sections[-1].rows[-1].group != booking.desk_group:
            sections.append(DeskSection(label=GROUP_LABELS[booking.desk_group], rows=[]))
        sections[-1].rows.append(
            DeskRow(
                booking_id=booking.pk,
                group=booking.desk_group,
                starts=venue_time(booking.slot.starts_at, zone),
                learner_name=booking.learner.display_name,
                is_walk_in=booking.is_walk_in,
                on_behalf=booking.get_on_behalf_display().lower() if booking.on_behalf else "",
                phone=number_given_for(booking),
                surgeon_name=booking.surgeon.display_name,
                checked_in=venue_time(booking.checked_in_at, zone),
                is_no_show=booking.is_no_show,
                organiser_note=booking.organiser_note,
                check_in_url=check_in(booking.pk),
                no_show_url=no_show(booking.pk),
                move_url=move(booking.pk),
                note_url=note(booking.pk),
            )
        )
    return sections
