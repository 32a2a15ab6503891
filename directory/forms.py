"""Forms of the network: asking to join, declining, and the directory's listing, message and topic filter."""

from django import forms

from directory.services import LISTING_FIELDS
from people.forms import form_helper
from people.models import DirectoryListing, JoinRequest, Topic
from people.selectors import active_topics_of


class ListingForm(forms.ModelForm):
    class Meta:
        model = DirectoryListing
        fields = list(LISTING_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("Save my listing")


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
        self.helper = form_helper(submit_label)


class TopicFilterForm(forms.Form):
    topic = forms.ModelChoiceField(queryset=Topic.objects.none(), required=False, empty_label="Any topic")

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = active_topics_of(organisation_id=organisation.pk)
        self.helper = form_helper("Filter", method="get")
        self.helper.disable_csrf = True


class JoinRequestForm(forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}


class JoinDeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent to the person with the answer. Leave it blank to send the answer alone.",
    )
