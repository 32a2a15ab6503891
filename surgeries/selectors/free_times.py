"""The free times of a day as a person looks for one: grouped, narrowed, a page at a time.

A big day has hundreds of surgeons and well over a thousand free slots; nobody
reads them all. `free_times` takes what `free_slots` finds and returns only what the
page shows: per group (an hour, or a topic) its count and the first few times, or,
once the person has chosen one group, that group a page at a time. Everything a
row needs (its times in the venue's zone, its booking link) is worked out here once,
so the template does no `reverse()` or time-zone work per row.

It works on `OpenSlot`s, a few plain values per free slot, so what it finds can be
kept in the cache (`surgeries/selectors/free_times_cache.py`).
"""

import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.urls import reverse

from people.enums import EVENT
from people.models import PersonPerspective
from people.visibility import levels_visible_to
from surgeries.models import Slot, SurgeryDay

# Times shown under each group before "See all"; rows on each page of one group.
FIRST_FEW = 4
PAGE_SIZE = 20
# Where the morning ends and the evening starts, in the venue's hours.
NOON, EVENING = 12, 17
GROUP_BY_HOUR, GROUP_BY_TOPIC = "hour", "topic"
# The topic "group" of surgeons who did not pick any topics.
ANYTHING = "anything"
ANYTHING_LABEL = "Anything (no particular topic)"
# How a person narrows a hybrid day's free times by how they meet.
ONLINE, IN_PERSON = "online", "in_person"
MODE_CHOICES = [(ONLINE, "Online"), (IN_PERSON, "In person")]


@dataclass(frozen=True)
class FreeTimesQuery:
    """What the person asked for, already checked: unknown values never get here."""

    when: str = ""  # "", "morning", "afternoon", "evening" or an hour "09".."23"
    topic: str = ""  # "", a topic id, or ANYTHING
    perspective: str = ""  # "" or a Perspective code
    mode: str = ""  # "", ONLINE or IN_PERSON (asked only on a hybrid day)
    group: str = GROUP_BY_HOUR
    page: str = ""


@dataclass(frozen=True)
class OpenSlot:
    """A free slot as the day page needs it: plain values, cheap to keep in the cache."""

    slot_id: int
    surgeon_id: int
    surgeon_name: str
    starts_at: datetime
    ends_at: datetime
    topics: tuple[tuple[str, str], ...]  # (id, name) of each topic the surgeon offers
    online: bool = False  # the session is by video call


def open_slots(slots: Iterable[Slot]) -> list[OpenSlot]:
    """`free_slots`' slots as `OpenSlot`s, in the same order."""
    return [
        OpenSlot(
            slot_id=slot.pk,
            surgeon_id=slot.surgeon_id,
            surgeon_name=slot.surgeon.display_name,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            topics=tuple((str(topic.pk), topic.name) for topic in slot.day_surgeon.topics.all()),
            online=slot.day.sessions_online(surgeon_online=slot.day_surgeon.is_online),
        )
        for slot in slots
    ]


@dataclass(frozen=True)
class FreeTime:
    slot_id: int
    surgeon_name: str
    topics: str
    starts: str  # "10:00 BST"
    times: str  # "10:00 BST to 10:30 BST"
    book_url: str
    mode: str = ""  # "Online" or "In person"; empty on an in-person day, where nothing changes


@dataclass
class FreeGroup:
    key: str
    title: str
    count: int
    times: list[FreeTime] = field(default_factory=list)
    see_all: str = ""  # the query string that shows the whole group


@dataclass
class FreeTimes:
    """What the day page shows of the free times.

    `groups` is the overview (each group's count and first few times); `focus` and
    the page numbers are set instead when the person has narrowed to a single group.
    """

    total: int
    group_by: str
    groups: list[FreeGroup] = field(default_factory=list)
    focus: FreeGroup | None = None
    page_number: int = 1
    page_count: int = 1
    back: str = ""  # from one group back to them all
    previous_page: str = ""
    next_page: str = ""
    narrowed: bool = False


def hour_choices(day: SurgeryDay) -> list[tuple[str, str]]:
    """Each hour the day runs through, in the venue's zone: ("10", "10:00 to 11:00")."""
    zone = zoneinfo.ZoneInfo(day.time_zone)
    start = day.starts_at.astimezone(zone).replace(minute=0, second=0, microsecond=0)
    end = day.ends_at.astimezone(zone)
    hours = []
    while start < end and len(hours) < 24:
        hours.append(start.hour)
        start = (start + timedelta(hours=1)).astimezone(zone)
    return [(f"{hour:02d}", f"{hour:02d}:00 to {(hour + 1) % 24:02d}:00") for hour in dict.fromkeys(hours)]


def part_of_day_choices(day: SurgeryDay) -> list[tuple[str, str]]:
    """Morning, afternoon and evening, each only if the day has an hour in it."""
    hours = {int(value) for value, _ in hour_choices(day)}
    parts = [
        ("morning", "Morning (before 12:00)", any(h < NOON for h in hours)),
        ("afternoon", "Afternoon (12:00 to 17:00)", any(NOON <= h < EVENING for h in hours)),
        ("evening", "Evening (from 17:00)", any(h >= EVENING for h in hours)),
    ]
    return [(value, label) for value, label, present in parts if present]


def topic_choices(slots: Iterable[OpenSlot]) -> list[tuple[str, str]]:
    """The topics the free slots' surgeons offer, by name, and "Anything" if some offer no topic."""
    names: dict[str, str] = {}
    anything = False
    for slot in slots:
        anything = anything or not slot.topics
        names.update(slot.topics)
    choices = sorted(names.items(), key=lambda item: (item[1].lower(), item[0]))
    return choices + ([(ANYTHING, ANYTHING_LABEL)] if anything else [])


def free_times(*, day: SurgeryDay, slots: list[OpenSlot], query: FreeTimesQuery) -> FreeTimes:
    """Narrow `slots` by the query, group them, and shape the part of them the page shows.

    1. Keep the slots in the chosen time of day and topic; for a perspective, keep
       the surgeons who show it to everyone at their events (one query), never a
       perspective they keep to fewer people.
    2. Group by the venue's hour, or by topic (a slot is under each topic its
       surgeon offers).
    3. If the query pins one group (an hour when grouping by hour, a topic when
       grouping by topic), return that group a page at a time; otherwise each group
       with its count and its first few times.
    """
    local = _local_times(day.time_zone)
    chosen = [slot for slot in slots if _in_time(local(slot.starts_at).hour, query.when)]
    if query.topic:
        chosen = [slot for slot in chosen if query.topic in _topic_keys(slot)]
    if query.mode:
        chosen = [slot for slot in chosen if slot.online == (query.mode == ONLINE)]
    if query.perspective:
        showing = _surgeons_showing(perspective=query.perspective, surgeon_ids={s.surgeon_id for s in chosen})
        chosen = [slot for slot in chosen if slot.surgeon_id in showing]
    groups = _group(chosen, query.group, local)
    row = _row_maker(day, local)
    narrowed = bool(query.when or query.topic or query.perspective or query.mode)
    result = FreeTimes(total=len(chosen), group_by=query.group, narrowed=narrowed)
    pinned_field = "when" if query.group == GROUP_BY_HOUR else "topic"
    pinned = getattr(query, pinned_field)
    if pinned in groups:
        title, members = groups[pinned]
        page = Paginator(members, PAGE_SIZE).get_page(query.page)
        result.page_number, result.page_count = page.number, page.paginator.num_pages
        result.focus = FreeGroup(pinned, title, len(members), [row(slot) for slot in page.object_list])
        result.back = query_string(query, **{pinned_field: ""})
        if page.has_previous():
            result.previous_page = query_string(query, page=str(page.previous_page_number()))
        if page.has_next():
            result.next_page = query_string(query, page=str(page.next_page_number()))
        return result
    for key, (title, members) in groups.items():
        group = FreeGroup(key, title, len(members), [row(slot) for slot in members[:FIRST_FEW]])
        group.see_all = query_string(query, **{pinned_field: key})
        result.groups.append(group)
    return result


def query_string(query: FreeTimesQuery, **changes: str) -> str:
    """'?when=10&topic=3' for the query with these changes; a new choice starts at page one."""
    values = {**asdict(query), "page": "", **changes}
    if values["group"] == GROUP_BY_HOUR:
        values["group"] = ""
    return "?" + urlencode({name: value for name, value in values.items() if value})


def _local_times(zone_name: str) -> Callable[[datetime], datetime]:
    """A converter to the venue's zone that works each distinct time out once."""
    zone = zoneinfo.ZoneInfo(zone_name)
    seen: dict[datetime, datetime] = {}

    def local(value: datetime) -> datetime:
        if value not in seen:
            seen[value] = value.astimezone(zone)
        return seen[value]

    return local


def _in_time(hour: int, when: str) -> bool:
    if not when:
        return True
    if when == "morning":
        return hour < NOON
    if when == "afternoon":
        return NOON <= hour < EVENING
    if when == "evening":
        return hour >= EVENING
    return hour == int(when)


def _topic_keys(slot: OpenSlot) -> list[str]:
    return [topic_id for topic_id, _ in slot.topics] or [ANYTHING]


def _surgeons_showing(*, perspective: str, surgeon_ids: set[int]) -> set[int]:
    """Surgeons who show this perspective to everyone at their events: one query.

    Someone choosing a surgeon is not yet paired with them, so only the widest
    level counts, as in matchmaking's ranking for learners.
    """
    rows = PersonPerspective.objects.filter(
        person_id__in=surgeon_ids, perspective=perspective, visibility__in=levels_visible_to(EVENT)
    )
    return set(rows.values_list("person_id", flat=True))


def _group(slots: list[OpenSlot], group_by: str, local) -> dict[str, tuple[str, list[OpenSlot]]]:
    """{key: (title, slots)} in the order the page shows them."""
    members: dict[str, list[OpenSlot]] = defaultdict(list)
    titles: dict[str, str] = {}
    for slot in slots:
        if group_by == GROUP_BY_TOPIC:
            for topic_id, name in slot.topics:
                members[topic_id].append(slot)
                titles[topic_id] = name
            if not slot.topics:
                members[ANYTHING].append(slot)
                titles[ANYTHING] = ANYTHING_LABEL
        else:
            start = local(slot.starts_at)
            key = f"{start.hour:02d}"
            members[key].append(slot)
            titles.setdefault(key, f"{start.hour:02d}:00 to {(start.hour + 1) % 24:02d}:00 {start.tzname()}")
    if group_by == GROUP_BY_TOPIC:
        keys = sorted(members, key=lambda key: (key == ANYTHING, titles[key].lower(), key))
    else:
        keys = sorted(members)
    return {key: (titles[key], members[key]) for key in keys}


def _row_maker(day: SurgeryDay, local) -> Callable[[OpenSlot], FreeTime]:
    # One reverse() for the day; each row fills in its slot id.
    placeholder = 2_147_483_647
    book_url = reverse("surgeries:book", args=[day.pk, placeholder]).replace(str(placeholder), "{}")

    def clock(value: datetime) -> str:
        moment = local(value)
        return f"{moment:%H:%M} {moment.tzname()}"

    in_person_day = day.mode == SurgeryDay.Mode.IN_PERSON

    def row(slot: OpenSlot) -> FreeTime:
        starts = clock(slot.starts_at)
        return FreeTime(
            slot_id=slot.slot_id,
            surgeon_name=slot.surgeon_name,
            topics=", ".join(name for _, name in slot.topics) or "Anything",
            starts=starts,
            times=f"{starts} to {clock(slot.ends_at)}",
            book_url=book_url.format(slot.slot_id),
            mode="" if in_person_day else ("Online" if slot.online else "In person"),
        )

    return row
