"""Forms for matchmaking: a learner's request, and the organiser choosing a slot."""

from __future__ import annotations

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.html import escape

from matchmaking.core.fit import perspective_phrase
from matchmaking.models import MatchRequest, RequestPreference, RequestTopic
from matchmaking.services import RequestDetails
from people.enums import Perspective
from surgeries.models import SurgeryDay
from surgeries.templatetags.venue_time import venue_time

PRIORITY_CHOICES = [("", "Not this time"), *[(str(value), label) for value, label in RequestTopic.Priority.choices]]
STRENGTH_CHOICES = [("", "No preference"), ("wish", "I would like this"), ("must", "I need this")]


def time_blocks(day: SurgeryDay) -> list[tuple[str, str]]:
    """The day cut into hours (the last may be shorter), as checkbox choices."""
    blocks, start, index = [], day.starts_at, 0
    while start < day.ends_at:
        end = min(start + timedelta(hours=1), day.ends_at)
        blocks.append((str(index), f"{venue_time(start, day.time_zone)} to {venue_time(end, day.time_zone)}"))
        start, index = end, index + 1
    return blocks


def _block_times(day: SurgeryDay, index: int):
    start = day.starts_at + timedelta(hours=index)
    return start, min(start + timedelta(hours=1), day.ends_at)


class MatchRequestForm(forms.Form):
    """What a learner would like from the day. Nothing is required: "anything, any time" is fine."""

    languages = forms.CharField(
        label="Languages you can use (optional)",
        max_length=200,
        required=False,
        help_text="For example: English, Urdu. If you leave this empty we assume English.",
    )
    language_wanted = forms.CharField(
        label="A language you would like your surgeon to speak (optional)", max_length=80, required=False
    )
    language_strength = forms.ChoiceField(
        label="How much does that language matter?",
        choices=STRENGTH_CHOICES[1:],
        initial="wish",
        required=False,
    )
    times = forms.MultipleChoiceField(
        label="When can you come?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every hour you can come. Leave them all unticked if any time suits you.",
    )
    note = forms.CharField(
        label="Anything your surgeon should know (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Please keep this to 1000 characters or fewer."},
    )

    def __init__(self, *args, day: SurgeryDay, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.day, self.topics = day, list(topics)
        self.fields["times"].choices = time_blocks(day)
        topic_fields = []
        for topic in self.topics:
            name = f"topic_{topic.pk}"
            self.fields[name] = forms.ChoiceField(
                label=topic.name,
                choices=PRIORITY_CHOICES,
                required=False,
                # Form templates print help text as HTML; an organiser's description is plain text.
                help_text=escape(topic.description),
            )
            topic_fields.append(name)
        for code in Perspective.values:
            self.fields[f"perspective_{code}"] = forms.ChoiceField(
                label=f"A surgeon who is {perspective_phrase(code)}", choices=STRENGTH_CHOICES, required=False
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("What would you like help with?", *topic_fields),
            Fieldset(
                escape("Who would you like to meet?"),
                *[f"perspective_{code}" for code in Perspective.values],
                "language_wanted",
                "language_strength",
            ),
            Fieldset("Languages and times", "languages", "times"),
            Fieldset("A note", "note"),
        )

    @staticmethod
    def initial_for(*, request: MatchRequest | None, profile_languages: str, wanted_topic_ids=()) -> dict:
        """A saved request as it was; a new one starts from the topics and languages on the profile."""
        if request is None:
            return {"languages": profile_languages} | {f"topic_{pk}": "2" for pk in wanted_topic_ids}
        initial = {"languages": request.languages, "note": request.note}
        initial.update({f"topic_{rt.topic_id}": str(rt.priority) for rt in request.topics.all()})
        for preference in request.preferences.all():
            if preference.kind == RequestPreference.Kind.PERSPECTIVE:
                initial[f"perspective_{preference.value}"] = preference.strength
            else:
                initial["language_wanted"], initial["language_strength"] = preference.value, preference.strength
        return initial | {"times": _chosen_blocks(request)}

    def details(self) -> RequestDetails:
        data = self.cleaned_data
        preferences = [
            ("perspective", code, data[f"perspective_{code}"])
            for code in Perspective.values
            if data.get(f"perspective_{code}")
        ]
        if data.get("language_wanted", "").strip():
            preferences.append(("language", data["language_wanted"].strip(), data.get("language_strength") or "wish"))
        return RequestDetails(
            topics={t.pk: int(data[f"topic_{t.pk}"]) for t in self.topics if data.get(f"topic_{t.pk}")},
            preferences=preferences,
            languages=data.get("languages", ""),
            windows=[_block_times(self.day, int(index)) for index in data.get("times", [])],
            note=data.get("note", ""),
        )


def _chosen_blocks(request: MatchRequest) -> list[str]:
    """Which hour boxes to tick again for a saved request (windows were merged on saving)."""
    chosen = []
    for value, _label in time_blocks(request.day):
        start, end = _block_times(request.day, int(value))
        if any(w.starts_at <= start and end <= w.ends_at for w in request.windows.all()):
            chosen.append(value)
    return chosen
