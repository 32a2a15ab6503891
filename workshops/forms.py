"""Forms for organisers planning workshops and open space.

Organisers type wall-clock times at the venue ("14:30"); the forms turn them
into UTC on the day's date in the venue's zone, so a day on either side of a
daylight-saving change is right.
"""

import zoneinfo
from datetime import UTC, datetime, time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.html import escape

from people.models import User
from surgeries.models import SurgeryDay
from workshops.models import OpenSpace, Workshop
from workshops.services import OpenSpaceDetails, WorkshopDetails


def to_utc(*, day: SurgeryDay, wall_clock: time) -> datetime:
    zone = zoneinfo.ZoneInfo(day.time_zone)
    local_date = day.starts_at.astimezone(zone).date()
    return datetime.combine(local_date, wall_clock, tzinfo=zone).astimezone(UTC)


def to_wall_clock(*, day: SurgeryDay, value: datetime) -> time:
    return value.astimezone(zoneinfo.ZoneInfo(day.time_zone)).time().replace(tzinfo=None)


class TimesForm(forms.Form):
    """Start and end as venue times; `clean` checks the order in plain English."""

    starts_at = forms.TimeField(
        label="Starts at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Enter a start time, such as 11:00.", "invalid": "Enter a time such as 11:00."},
    )
    ends_at = forms.TimeField(
        label="Ends at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Enter an end time, such as 12:00.", "invalid": "Enter a time such as 12:00."},
    )

    def __init__(self, *args, day: SurgeryDay, submit_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day
        # Help text is printed as HTML; the zone is validated, but escape whatever a form shows.
        zone_help = escape(f"Time at the venue ({day.time_zone}).")
        self.fields["starts_at"].help_text = zone_help
        self.fields["ends_at"].help_text = zone_help
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", submit_label))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "The end time must be after the start time.")
        return cleaned

    def utc_times(self) -> tuple[datetime, datetime]:
        return (
            to_utc(day=self.day, wall_clock=self.cleaned_data["starts_at"]),
            to_utc(day=self.day, wall_clock=self.cleaned_data["ends_at"]),
        )


class WorkshopForm(TimesForm):
    title = forms.CharField(max_length=150, error_messages={"required": "Give the workshop a title."})
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What people will do and learn, in plain English.",
        error_messages={"required": "Say in a sentence or two what people will do."},
    )
    facilitators = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Anyone in your organisation. They are kept free for the workshop's time.",
    )
    room = forms.CharField(max_length=80, error_messages={"required": "Say which room it is in."})
    capacity = forms.IntegerField(
        min_value=1,
        max_value=500,
        help_text="The most people who can take part.",
        error_messages={
            "required": "Say how many people can take part.",
            "min_value": "At least one person must be able to take part.",
            "max_value": "A workshop can have at most 500 places.",
        },
    )
    accessibility_notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: step-free room, hearing loop, slides shared in advance.",
    )
    online_link = forms.URLField(
        required=False,
        error_messages={"invalid": "Enter a full web address, such as https://meet.example.org/room."},
        assume_scheme="https",
        label="Online link",
        help_text="Only if people can also join online.",
    )

    field_order = ["title", "description", "facilitators", "room", "starts_at", "ends_at", "capacity"]

    def __init__(self, *args, workshop: Workshop | None = None, **kwargs):
        day = kwargs["day"]
        if workshop is not None:
            kwargs["initial"] = {
                **{name: getattr(workshop, name) for name in WORKSHOP_FIELDS},
                "starts_at": to_wall_clock(day=day, value=workshop.starts_at),
                "ends_at": to_wall_clock(day=day, value=workshop.ends_at),
                "facilitators": [f.person_id for f in workshop.facilitators.all()],
            }
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = User.objects.filter(
            memberships__organisation_id=day.organisation_id
        ).order_by("display_name", "id")

    def details(self) -> WorkshopDetails:
        starts_at, ends_at = self.utc_times()
        return WorkshopDetails(
            **{name: self.cleaned_data[name] for name in WORKSHOP_FIELDS},
            starts_at=starts_at,
            ends_at=ends_at,
            facilitator_ids=[person.pk for person in self.cleaned_data["facilitators"]],
        )


WORKSHOP_FIELDS = ["title", "description", "room", "capacity", "accessibility_notes", "online_link"]


class OpenSpaceForm(TimesForm):
    title = forms.CharField(max_length=150, initial="Open space", error_messages={"required": "Give it a title."})
    room = forms.CharField(max_length=80, error_messages={"required": "Say which room it is in."})

    field_order = ["title", "room", "starts_at", "ends_at"]

    def __init__(self, *args, open_space: OpenSpace | None = None, **kwargs):
        day = kwargs["day"]
        if open_space is not None:
            kwargs["initial"] = {
                "title": open_space.title,
                "room": open_space.room,
                "starts_at": to_wall_clock(day=day, value=open_space.starts_at),
                "ends_at": to_wall_clock(day=day, value=open_space.ends_at),
            }
        super().__init__(*args, **kwargs)

    def details(self) -> OpenSpaceDetails:
        starts_at, ends_at = self.utc_times()
        return OpenSpaceDetails(
            title=self.cleaned_data["title"], room=self.cleaned_data["room"], starts_at=starts_at, ends_at=ends_at
        )
