from django import forms
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html

from people import services


def _code_of_conduct_label() -> str:
    return format_html(
        'I have read and agree to the <a href="{}">code of conduct</a>.',
        reverse_lazy("code_of_conduct"),
    )


class SignupDetailsForm(forms.Form):
    """Extra fields allauth adds to its sign-up form."""

    field_order = ["email", "display_name", "password1", "password2", "accept_code_of_conduct"]

    display_name = forms.CharField(
        label="Your name",
        max_length=80,
        help_text="The name other people at a surgery see. A first name is fine.",
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    accept_code_of_conduct = forms.BooleanField(
        label=lazy(_code_of_conduct_label, str)(),
        required=True,
        error_messages={"required": "You need to agree to the code of conduct to join."},
    )

    def signup(self, request, user) -> None:
        services.person_sign_up_details_save(user=user, display_name=self.cleaned_data["display_name"])
