"""Forms turn what people type into clean values; services do the rest."""

import re
import zoneinfo
from datetime import date, datetime, time

from django import forms
from django.conf import settings

from people.enums import Perspective
from people.forms import form_helper
from people.models import Topic, User
from people.selectors import active_topics_of
from surgeries.models import (
    DEFAULT_LINK_SHOWN_MINUTES_BEFORE,
    DayMessage,
    DaySurgeon,
    Slot,
    SurgeryDay,
    Venue,
    validate_video_link,
)
from surgeries.selectors import free_times
from surgeries.selectors.desk import SHOW_CHOICES
from surgeries.selectors.hours import pick_time, slots_by_time
from surgeries.services import DayDetails

TIME_RANGE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*(?:-|to|\u2013)\s*(\d{1,2})[:.](\d{2})\s*(.*)$")


def local_to_utc(day: date, clock: time, zone: str) -> datetime:
    return datetime.combine(day, clock, tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(zoneinfo.ZoneInfo("UTC"))


def parse_time_ranges(text: str, *, on: date, zone: str, with_labels: bool = False) -> list:
    """Read lines such as "12:30-13:15 Lunch" as UTC ranges on a venue's date."""
    ranges = []
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        match = TIME_RANGE.match(line)
        if not match:
            raise forms.ValidationError(f"“{line}” is not a time range. Write it like 12:30-13:15.")
        h1, m1, h2, m2, label = match.groups()
        try:
            start, end = time(int(h1), int(m1)), time(int(h2), int(m2))
        except ValueError as error:
            raise forms.ValidationError(f"“{line}” has a time that does not exist.") from error
        if end <= start:
            raise forms.ValidationError(f"In “{line}” the end must be after the start.")
        pair = (local_to_utc(on, start, zone), local_to_utc(on, end, zone))
        ranges.append((label.strip() or "Break", *pair) if with_labels else pair)
    return ranges


# The browser's date and time inputs read and send ISO values whatever the page's
# language; Django would otherwise write the first British input format into them
# (03/12/2026), which a date input cannot show, so an unchanged form came back empty.
class DateWidget(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeWidget(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class DateTimeLocalWidget(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def format_time_ranges(ranges, zone: str) -> str:
    tz = zoneinfo.ZoneInfo(zone)
    return "\n".join(f"{s.astimezone(tz):%H:%M}-{e.astimezone(tz):%H:%M}" for s, e in ranges)


class TopicChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class BookingForm(forms.Form):
    topics = TopicChoiceField(queryset=Topic.objects.none(), required=False, label="What would you like help with?")
    note = forms.CharField(
        label="A note for your surgeon (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only your surgeon and the organisers see this. Please do not include health details.",
    )

    def __init__(self, *args, topics, submit_label="Book this session", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics
        self.helper = form_helper(submit_label)


class FreeTimesForm(forms.Form):
    """How a person narrows the free times of a day. Every field may be left out.

    The choices come from the day itself, so a value that is not one of them (an old
    link, a typed address) is not an error for the person: `query()` leaves it out
    and `ignored()` says which ones were, for the page to mention.
    """

    when = forms.ChoiceField(label="When", required=False)
    topic = forms.ChoiceField(label="Topic", required=False)
    perspective = forms.ChoiceField(label="Surgeon's perspective", required=False)
    mode = forms.ChoiceField(label="Online or in person", required=False)
    group = forms.ChoiceField(
        label="Group by",
        required=False,
        choices=[(free_times.GROUP_BY_HOUR, "Hour"), (free_times.GROUP_BY_TOPIC, "Topic")],
    )

    IGNORED = {
        "when": "We did not recognise the time you chose, so all times are shown.",
        "topic": "There are no free sessions for the topic you chose, so all topics are shown.",
        "perspective": "We did not recognise the perspective you chose, so all surgeons are shown.",
        "mode": "We did not recognise your choice of online or in person, so both are shown.",
        "group": "We did not recognise how you wanted the times grouped, so they are grouped by hour.",
    }
    SIGN_IN_FOR_PERSPECTIVE = "Log in to choose a surgeon by perspective."

    def __init__(self, data, *, day: SurgeryDay, topics: list[tuple[str, str]], signed_in: bool):
        super().__init__(data)
        self.signed_in = signed_in
        hours = free_times.hour_choices(day)
        self.fields["when"].choices = [("", "Any time"), *free_times.part_of_day_choices(day), *hours]
        self.fields["topic"].choices = [("", "Any topic"), *topics]
        self.fields["perspective"].choices = [("", "Any surgeon"), *Perspective.choices]
        self.fields["perspective"].help_text = "Only surgeons who share this with everyone at their events."
        # Only a hybrid day has both kinds of session to choose between; on other days
        # the field is not shown and any value sent is ignored with a note.
        self.shows_mode = day.mode == SurgeryDay.Mode.HYBRID
        modes = free_times.MODE_CHOICES if self.shows_mode else []
        self.fields["mode"].choices = [("", "Online or in person"), *modes]
        self.is_valid()

    def query(self, page: str = "") -> free_times.FreeTimesQuery:
        data = {name: value for name, value in self.cleaned_data.items() if value}
        if not self.signed_in:
            # Perspectives are shared with people at the surgeon's events, not with everyone online.
            data.pop("perspective", None)
        return free_times.FreeTimesQuery(**data, page=page)

    def ignored(self) -> list[str]:
        notes = [self.IGNORED[name] for name in self.fields if name in self.errors]
        if not self.signed_in and self.data.get("perspective"):
            notes.append(self.SIGN_IN_FOR_PERSPECTIVE)
        return notes


class OneHourOfSlots:
    """For a form with a `slot` choice of free sessions: a big day has a thousand."""

    def offer_one_hour(self, *, slots, zone: str, asked: str) -> dict:
        """Show only one hour's slots (the one `asked` for, or the soonest; a busy hour
        one start time at a time) and the one sent, if any; any free slot is still
        accepted. Returns what templates/surgeries/_slot_hours.html needs."""
        groups = slots_by_time(slots=slots, zone=zone)
        start, ignored = pick_time(asked=asked, groups=groups)
        shown, sent = {slot.pk for slot in groups.get(start, [])}, str(self.data.get("slot", ""))
        field = self.fields["slot"]
        field.choices = [c for c in field.choices if c[0] in shown or str(c[0]) == sent]
        return {
            "start": start,
            "starts": [(key, len(free)) for key, free in groups.items()] if len(groups) > 1 else [],
            "notices": ["There are no free sessions at that time, so the soonest are shown."] if ignored else [],
        }


class SlotChoiceForm(OneHourOfSlots, forms.Form):
    slot = forms.TypedChoiceField(label="Choose a new time", coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, slots, zone: str, submit_label="Move my booking", **kwargs):
        super().__init__(*args, **kwargs)
        tz = zoneinfo.ZoneInfo(zone)
        self.fields["slot"].choices = [
            (s.pk, f"{s.starts_at.astimezone(tz):%H:%M %Z} with {s.surgeon.display_name}") for s in slots
        ]
        self.helper = form_helper(submit_label)


class OrganiserNoteForm(forms.Form):
    organiser_note = forms.CharField(
        label="Note for the organisers",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser_note"].help_text = (
            "For example: needs the quiet room, or bring a charger. Only organisers see it, and it is deleted "
            f"{settings.RETENTION_DAYS} days after the day. Write only what the day needs: the person can ask to "
            "read it. Leave it empty to remove the note."
        )
        self.helper = form_helper("Save note")


class VenueForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=[(z, z) for z in sorted(zoneinfo.available_timezones())], initial="Europe/London"
    )

    class Meta:
        model = Venue
        fields = ["name", "address", "access_information", "time_zone"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "access_information": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("Save venue")


class DayForm(forms.Form):
    title = forms.CharField(max_length=150)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    venue = forms.ModelChoiceField(
        queryset=Venue.objects.none(),
        empty_label=None,
        help_text="For an online day, any venue will do: it gives the day its time zone and needs no address.",
    )
    mode = forms.ChoiceField(
        label="How people meet",
        choices=SurgeryDay.Mode.choices,
        initial=SurgeryDay.Mode.IN_PERSON,
        widget=forms.RadioSelect,
        help_text="On a hybrid day you, or each surgeon, mark their sessions online.",
    )
    online_link = forms.URLField(
        label="Video link (optional)",
        required=False,
        assume_scheme="https",
        validators=[validate_video_link],
        help_text="For online sessions. Surgeons may add their own instead. Only each booked pair and the "
        "organisers see it, never the public pages.",
    )
    link_shown_minutes_before = forms.IntegerField(
        label="Show the video link (minutes before a session)",
        min_value=0,
        max_value=7 * 24 * 60,
        initial=DEFAULT_LINK_SHOWN_MINUTES_BEFORE,
        help_text="Before then, My bookings says when the link will appear.",
    )
    date = forms.DateField(widget=DateWidget, help_text="At the venue.")
    starts = forms.TimeField(label="Starts", widget=TimeWidget)
    ends = forms.TimeField(label="Ends", widget=TimeWidget)
    slot_minutes = forms.IntegerField(label="Session length (minutes)", min_value=10, max_value=180, initial=30)
    breaks = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line, in venue time, for example: 12:30-13:15 Lunch",
    )
    booking_opens = forms.DateTimeField(
        label="Booking opens (optional)",
        required=False,
        widget=DateTimeLocalWidget,
        help_text="Leave empty to open booking as soon as the day is published.",
    )
    booking_closes = forms.DateTimeField(
        label="Booking closes (optional)",
        required=False,
        widget=DateTimeLocalWidget,
        help_text="Leave empty to take bookings until each session starts.",
    )
    cancellation_cutoff_hours = forms.IntegerField(
        label="Changes allowed until (hours before a session)", min_value=0, max_value=168, initial=2
    )
    max_sessions_per_learner = forms.IntegerField(
        label="Sessions per learner (optional)",
        required=False,
        min_value=1,
        max_value=50,
        help_text="The most one-to-one sessions one person may book on this day, so everyone gets a fair share. "
        "Leave empty for no limit. At the desk you can still book someone beyond it.",
    )
    safeguarding_contact = forms.CharField(max_length=200, required=False)
    surgeons_may_opt_in = forms.BooleanField(label="Members may offer to help as surgeons", required=False)
    reminders = forms.CharField(
        label="Reminders (hours before)", initial="24, 2", help_text="Separate with commas, for example: 24, 2"
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = Venue.objects.filter(organisation=organisation)
        self.helper = form_helper("Save day")

    def clean_reminders(self) -> list[int]:
        try:
            hours = [float(part) for part in self.cleaned_data["reminders"].replace(" ", "").split(",") if part]
        except ValueError as error:
            raise forms.ValidationError("Write reminders as hours separated by commas, for example: 24, 2") from error
        if any(h <= 0 or h > 336 for h in hours):
            raise forms.ValidationError("Each reminder must be between 0 and 336 hours before.")
        return sorted({int(h * 60) for h in hours}, reverse=True)

    def _local(self, value: datetime | None, zone: str) -> datetime | None:
        # The browser sends wall-clock time at the venue; the form saw it in the active zone.
        if value is None:
            return None
        return value.replace(tzinfo=None).replace(tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(zoneinfo.ZoneInfo("UTC"))

    def clean(self):
        data = super().clean()
        venue, on, starts, ends = (data.get(k) for k in ("venue", "date", "starts", "ends"))
        if not (venue and on and starts and ends):
            return data
        if ends <= starts:
            self.add_error("ends", "The day must end after it starts.")
            return data
        try:
            data["break_ranges"] = parse_time_ranges(
                data.get("breaks", ""), on=on, zone=venue.time_zone, with_labels=True
            )
        except forms.ValidationError as error:
            self.add_error("breaks", error)
        return data

    def details(self) -> DayDetails:
        data = self.cleaned_data
        zone = data["venue"].time_zone
        return DayDetails(
            title=data["title"],
            venue=data["venue"],
            starts_at=local_to_utc(data["date"], data["starts"], zone),
            ends_at=local_to_utc(data["date"], data["ends"], zone),
            description=data["description"],
            mode=data["mode"],
            online_link=data["online_link"],
            link_shown_minutes_before=data["link_shown_minutes_before"],
            slot_minutes=data["slot_minutes"],
            booking_opens_at=self._local(data.get("booking_opens"), zone),
            booking_closes_at=self._local(data.get("booking_closes"), zone),
            cancellation_cutoff_hours=data["cancellation_cutoff_hours"],
            max_sessions_per_learner=data.get("max_sessions_per_learner"),
            safeguarding_contact=data["safeguarding_contact"],
            surgeons_may_opt_in=data["surgeons_may_opt_in"],
            reminder_offsets_minutes=data["reminders"],
            breaks=data.get("break_ranges", []),
        )

    @staticmethod
    def initial_for(day: SurgeryDay) -> dict:
        tz = zoneinfo.ZoneInfo(day.time_zone)
        local = day.starts_at.astimezone(tz)

        def naive(value):
            return value.astimezone(tz).replace(tzinfo=None) if value else None

        return {
            "title": day.title,
            "description": day.description,
            "venue": day.venue_id,
            "mode": day.mode,
            "online_link": day.online_link,
            "link_shown_minutes_before": day.link_shown_minutes_before,
            "date": local.date(),
            "starts": local.time(),
            "ends": day.ends_at.astimezone(tz).time(),
            "slot_minutes": day.slot_minutes,
            "breaks": "\n".join(
                f"{b.starts_at.astimezone(tz):%H:%M}-{b.ends_at.astimezone(tz):%H:%M} {b.label}"
                for b in day.breaks.all()
            ),
            "booking_opens": naive(day.booking_opens_at),
            "booking_closes": naive(day.booking_closes_at),
            "cancellation_cutoff_hours": day.cancellation_cutoff_hours,
            "max_sessions_per_learner": day.max_sessions_per_learner,
            "safeguarding_contact": day.safeguarding_contact,
            "surgeons_may_opt_in": day.surgeons_may_opt_in,
            "reminders": ", ".join(f"{m / 60:g}" for m in day.reminder_offsets_minutes),
        }


def add_online_fields(form: forms.Form, *, day: SurgeryDay, whose: str) -> None:
    """The video link on an online or hybrid day, and on a hybrid day whether the sessions are online."""
    if day.mode == SurgeryDay.Mode.HYBRID:
        form.fields["is_online"] = forms.BooleanField(
            label=f"Hold {whose} sessions online, by video call", required=False
        )
    if day.mode != SurgeryDay.Mode.IN_PERSON:
        form.fields["video_link"] = forms.URLField(
            label="Video link (optional)",
            required=False,
            assume_scheme="https",
            validators=[validate_video_link],
            help_text="Leave empty to use the day's link. Only each booked learner and the organisers see it, "
            "shortly before the session.",
        )


class SurgeonOnlineForm(forms.Form):
    """An organiser marking one surgeon's sessions online and setting their link."""

    def __init__(self, *args, day: SurgeryDay, **kwargs):
        super().__init__(*args, **kwargs)
        add_online_fields(self, day=day, whose="their")
        self.helper = form_helper("Save")


class AvailabilityForm(forms.Form):
    windows = forms.CharField(
        label="When are you free?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One time range per line, in venue time, for example: 10:00-12:30",
    )
    max_sessions = forms.IntegerField(label="Most sessions you would like", min_value=1, max_value=40, initial=6)
    topics = TopicChoiceField(queryset=Topic.objects.none(), required=False, label="What can you help with?")

    def __init__(self, *args, day: SurgeryDay, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day
        self.fields["topics"].queryset = active_topics_of(organisation_id=day.organisation_id)
        add_online_fields(self, day=day, whose="your")
        self.helper = form_helper("Save my availability")

    def clean_windows(self):
        zone = self.day.time_zone
        on = self.day.starts_at.astimezone(zoneinfo.ZoneInfo(zone)).date()
        return parse_time_ranges(self.cleaned_data["windows"], on=on, zone=zone)


class InviteSurgeonForm(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.none(), label="Member to invite as a surgeon")

    def __init__(self, *args, day: SurgeryDay, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(memberships__organisation=day.organisation).exclude(
            surgeon_days__day=day
        )
        self.helper = form_helper("Invite")


class WalkInForm(OneHourOfSlots, forms.Form):
    email = forms.EmailField(help_text="If they have no account, we make one they can claim later.")
    # Always asked for, so the form never reveals whether an address already has an account.
    display_name = forms.CharField(
        label="Name",
        max_length=80,
        help_text="The name they would like to be called today.",
        error_messages={"required": "Please give the name they would like to be called."},
    )
    slot = forms.TypedChoiceField(label="Session", coerce=int)
    consent = forms.BooleanField(
        label="They agree to us keeping their name and email to manage this booking",
        error_messages={"required": "Please ask the person and tick to confirm they agree."},
    )

    def __init__(self, *args, slots, zone: str, limit: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        tz = zoneinfo.ZoneInfo(zone)
        self.fields["slot"].choices = [
            (s.pk, f"{s.starts_at.astimezone(tz):%H:%M %Z} with {s.surgeon.display_name}") for s in slots
        ]
        if limit is not None:
            # Only on a day with a limit, and off unless the organiser means it.
            sessions = "session" if limit == 1 else "sessions"
            self.fields["beyond_limit"] = forms.BooleanField(
                label=f"Book beyond the limit of {limit} {sessions}",
                required=False,
                help_text="Only if they already have that many sessions this day and you agree to one more.",
            )
        self.helper = form_helper("Book walk-in")


class DeskFilterForm(forms.Form):
    """The desk's search and list choice, read from the address (GET)."""

    q = forms.CharField(label="Find by name", required=False, max_length=80)
    show = forms.ChoiceField(label="Show", required=False, choices=list(SHOW_CHOICES.items()))

    def filters(self) -> tuple[str, str, list[str]]:
        """The search text and list to use, and a notice for each value that was ignored."""
        self.is_valid()
        notices = []
        if "q" in self.errors:
            notices.append("That search could not be used (names are at most 80 characters), so it was ignored.")
        if "show" in self.errors:
            notices.append("That list is not one the desk knows, so it shows everyone.")
        return self.cleaned_data.get("q", ""), self.cleaned_data.get("show") or "all", notices


# --- messages to the people of a day -------------------------------------------


class DayMessageForm(forms.Form):
    group = forms.ChoiceField(
        label="Who should get it", choices=DayMessage.Group.choices, widget=forms.RadioSelect, initial="learners"
    )
    subject = forms.CharField(label="Subject", max_length=150)
    body = forms.CharField(
        label="Message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Write the message before checking it."},
        help_text="Plain text. It is deleted with the day's other personal data after the day.",
    )
    is_essential = forms.BooleanField(
        label="This is about arrangements people need (a change of room or time, a cancellation)",
        required=False,
        help_text="Then it also reaches people who turned off reminders and other extras. Leave it unticked otherwise.",
    )


class DayMessageConfirmForm(forms.Form):
    # The number the organiser was shown: if the group changed since, they check again.
    expected_count = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ReminderWordingForm(forms.Form):
    subject = forms.CharField(
        label="Subject", max_length=150, required=False, help_text="Leave blank for the standard subject."
    )
    opening = forms.CharField(
        label="Opening paragraph",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown after the greeting, instead of the standard first sentence. The times, place and "
        "access details follow as usual.",
    )


class WithdrawForm(forms.Form):
    """A surgeon confirms they cannot come: to the whole day, or to one session (`slot`)."""

    slot = forms.ModelChoiceField(queryset=Slot.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, day_surgeon: DaySurgeon, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = Slot.objects.filter(day_surgeon=day_surgeon, is_offered=True)
