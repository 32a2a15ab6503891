"""Forms for after the day. They validate; services save."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from afterday.models import Feedback, WorkshopFeedback
from people.forms import form_helper

USEFULNESS_CHOICES = [
    (5, "5: very useful"),
    (4, "4: useful"),
    (3, "3: somewhat useful"),
    (2, "2: a little useful"),
    (1, "1: not useful"),
]


class RatingForm(forms.Form):
    """How useful something was (1 to 5), an optional comment, and who may read it.

    Subclasses name what is rated and who, besides the organisers, may read the comment.
    """

    rated = "session"
    audience_choices = Feedback.CommentAudience.choices

    usefulness = forms.TypedChoiceField(choices=USEFULNESS_CHOICES, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Anything you would like to say? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comment_audience = forms.ChoiceField(
        label="Who may read your comment?",
        widget=forms.RadioSelect,
        help_text="Your rating is only ever counted with others'. Nobody is shown who gave it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["usefulness"].label = f"How useful was this {self.rated}?"
        self.fields["comment_audience"].choices = self.audience_choices
        # "Only the organisers" is always the last choice and the default.
        self.fields["comment_audience"].initial = self.audience_choices[-1][0]
        self.helper = form_helper("Send feedback")


class SessionFeedbackForm(RatingForm):
    rated = "session"
    audience_choices = Feedback.CommentAudience.choices


class DayFeedbackForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label="How well did the day work for you?", choices=USEFULNESS_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="What should the organisers keep or change? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the organisers read this.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("Send feedback")


class SessionNoteForm(forms.Form):
    text = forms.CharField(
        label="Next steps for the learner",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A few short steps they can follow at home. The learner keeps these; organisers do not see them. "
        "Leave it empty to remove the note.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("Save next steps")


class ReportPeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    MAX_DAYS = 5 * 366

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("Show report", method="get")
        self.helper.disable_csrf = True

    @staticmethod
    def default_period() -> dict[str, date]:
        today = timezone.localdate()
        return {"start": today - timedelta(days=365), "end": today}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period must be on or after its start.")
        elif start and end and (end - start).days > self.MAX_DAYS:
            self.add_error("end", "Choose a period of five years or less.")
        return cleaned


class WorkshopFeedbackForm(RatingForm):
    rated = "workshop"
    audience_choices = WorkshopFeedback.CommentAudience.choices
