"""The participant's feedback form. It validates; the service saves."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from surgeries.forms_afterday import USEFULNESS_CHOICES
from workshops.models import WorkshopFeedback


class WorkshopFeedbackForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label="How useful was this workshop?", choices=USEFULNESS_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="Anything you would like to say? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comment_audience = forms.ChoiceField(
        label="Who may read your comment?",
        choices=WorkshopFeedback.CommentAudience.choices,
        initial=WorkshopFeedback.CommentAudience.ORGANISERS,
        widget=forms.RadioSelect,
        help_text="Your rating is only ever counted with others'. Nobody is shown who gave it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", "Send feedback"))
