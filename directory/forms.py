"""Forms of the network directory: a listing, a message, the topic filter."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from directory.services import LISTING_FIELDS
from people.models import DirectoryListing, Topic
from people.selectors import active_topics_of


def _helper(label: str, method: str = "post") -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.attrs = {"novalidate": ""}
    helper.add_input(Submit("submit", label))
    return helper


class ListingForm(forms.ModelForm):
    class Meta:
        model = DirectoryListing
        fields = list(LISTING_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Save my listing")


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Sent by email from Surgery Day. Your email address is not shared; "
        "answers come back through the site.",
    )

    def __init__(self, *args, submit_label: str = "Send message", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label)


class TopicFilterForm(forms.Form):
    topic = forms.ModelChoiceField(queryset=Topic.objects.none(), required=False, empty_label="Any topic")

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = active_topics_of(organisation_id=organisation.pk)
        self.helper = _helper("Filter", method="get")
        self.helper.disable_csrf = True
