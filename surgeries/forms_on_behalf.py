"""The organisers' "Book for someone" form: a member or a new person, topics, a free session, consent."""

import zoneinfo

from django import forms

from people.phones import normalise_phone
from people.selectors import active_topics_of
from surgeries.forms import OneHourOfSlots
from surgeries.models import Booking, SurgeryDay
from surgeries.services.on_behalf import DIFFERENT_PERSON, SAME_PERSON, Someone

SOMEONE_NEW = ""


class BookForSomeoneForm(OneHourOfSlots, forms.Form):
    member = forms.TypedChoiceField(
        label="Members found",
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Please choose someone from the search results, or someone new."},
    )
    display_name = forms.CharField(
        label="Name", max_length=80, required=False, help_text="For someone new: the name they would like to be called."
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        help_text="We send them the confirmation and a one-time link to sign in.",
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        max_length=40,
        required=False,
        help_text="UK numbers as usual; others with + and the country code. Only organisers of their days see it.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    phone_match = forms.ChoiceField(
        label="Is this the same person?",
        required=False,
        widget=forms.RadioSelect,
        choices=[(SAME_PERSON, "Yes, book them"), (DIFFERENT_PERSON, "No, this is someone else")],
    )
    phone_match_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    topics = forms.TypedMultipleChoiceField(
        label="Topics (optional)", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    slot = forms.TypedChoiceField(
        label="Session",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose a session.",
            "invalid_choice": "That session is no longer free. Please choose another.",
        },
    )
    on_behalf = forms.ChoiceField(
        label="How did they ask?",
        choices=Booking.OnBehalf.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please say how they asked: by phone or in person."},
    )
    consent = forms.BooleanField(
        label="They agreed to us booking for them and keeping these details",
        error_messages={"required": "Please ask them, and tick to confirm they agreed, before booking."},
    )

    def __init__(self, *args, day: SurgeryDay, members, slots, **kwargs):
        super().__init__(*args, **kwargs)
        tz = zoneinfo.ZoneInfo(day.time_zone)
        self.fields["member"].choices = [(m.pk, m.display_name) for m in members] + [(SOMEONE_NEW, "Someone new")]
        self.fields["topics"].choices = [
            (t.pk, t.name) for t in active_topics_of(organisation_id=day.organisation_id).order_by("name")
        ]
        self.fields["slot"].choices = [
            (s.pk, f"{s.starts_at.astimezone(tz):%H:%M %Z} with {s.surgeon.display_name}") for s in slots
        ]

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("member") is None and "phone" not in self.errors and "email" not in self.errors:
            if not data.get("email") and not data.get("phone"):
                self.add_error("email", "Please give an email address or a phone number, so they can be reached.")
            if not (data.get("display_name") or "").strip():
                self.add_error("display_name", "This is a new person: please give their name.")
        return data

    def ask_about_phone(self, *, member_name: str) -> None:
        """Ask "Is this Sam B?" for a number a member already has (the page shows the question)."""
        self.add_error("phone_match", f"Please say whether this is {member_name}.")

    def someone(self) -> Someone:
        data = self.cleaned_data
        return Someone(
            member_id=data["member"],
            display_name=data["display_name"],
            email=data["email"],
            phone=data["phone"],
            phone_match=data["phone_match"],
            phone_match_id=data["phone_match_id"],
        )
