from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import escape, format_html

from people import services
from people.enums import AccessNeed, Confidence, Perspective, Visibility
from people.models import Organisation


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


# --- Profile and skills -----------------------------------------------------------


def _visibility_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Visibility.choices,
        initial=Visibility.ONLY_ME,
        error_messages={"invalid_choice": "Choose who can see this from the list."},
    )


class ProfileForm(forms.Form):
    """Everything on a profile except skills. Each sensitive part has its own 'who can see this'."""

    display_name = forms.CharField(
        label="Your name",
        max_length=80,
        help_text="The name other people at a surgery see. A first name is fine.",
        error_messages={"required": "Tell us the name to show to other people."},
    )
    pronouns = forms.CharField(label="Pronouns (optional)", max_length=40, required=False)
    languages = forms.CharField(
        label="Languages you speak (optional)", max_length=200, required=False, help_text="For example: English, Urdu."
    )
    bio = forms.CharField(
        label="A little about you (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Please keep this to 1000 characters or fewer."},
    )
    bio_visibility = _visibility_field("Who can see this about you?")
    access_needs = forms.MultipleChoiceField(
        label="Anything that would help you take part?",
        choices=AccessNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    access_needs_other = forms.CharField(label="Anything else (optional)", max_length=500, required=False)
    access_needs_visibility = _visibility_field("Who can see your access needs?")
    contact_by_email = forms.BooleanField(label="Send me reminders and updates by email", required=False)
    contact_notes = forms.CharField(
        label="How you prefer to be contacted (optional)",
        max_length=300,
        required=False,
        help_text="Only you and organisers see this.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Perspective.choices:
            self.fields[f"perspective_{code}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"visibility_{code}"] = _visibility_field(f"Who can see “{label}”?")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("About you", "display_name", "pronouns", "languages", "bio", "bio_visibility"),
            Fieldset(
                "Your perspectives",
                HTML(
                    '<p class="form-text">Tick any that apply. Each one is private to you '
                    "until you choose to share it.</p>"
                ),
                *[
                    Div(
                        f"perspective_{code}",
                        f"visibility_{code}",
                        css_class="perspective-choice border-start ps-3 mb-3",
                    )
                    for code in Perspective.values
                ],
            ),
            Fieldset("Access needs", "access_needs", "access_needs_other", "access_needs_visibility"),
            Fieldset("Contact", "contact_by_email", "contact_notes"),
        )

    @classmethod
    def initial_for(cls, *, person, profile, perspectives) -> dict:
        initial = {
            "display_name": person.display_name,
            "pronouns": profile.pronouns,
            "languages": profile.languages,
            "bio": profile.bio,
            "bio_visibility": profile.bio_visibility,
            "access_needs": profile.access_needs,
            "access_needs_other": profile.access_needs_other,
            "access_needs_visibility": profile.access_needs_visibility,
            "contact_by_email": profile.contact_by_email,
            "contact_notes": profile.contact_notes,
        }
        for row in perspectives:
            initial[f"perspective_{row.perspective}"] = True
            initial[f"visibility_{row.perspective}"] = row.visibility
        return initial

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        perspectives = {code: data[f"visibility_{code}"] for code in Perspective.values if data[f"perspective_{code}"]}
        return {
            "display_name": data["display_name"],
            "pronouns": data["pronouns"],
            "languages": data["languages"],
            "bio": data["bio"],
            "bio_visibility": data["bio_visibility"],
            "perspectives": perspectives,
            "access_needs": data["access_needs"],
            "access_needs_other": data["access_needs_other"],
            "access_needs_visibility": data["access_needs_visibility"],
            "contact_by_email": data["contact_by_email"],
            "contact_notes": data["contact_notes"],
        }


class SkillsForm(forms.Form):
    """For each topic: can I help with it (and how well), and do I want help with it."""

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = list(topics)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout()
        offer_choices = [("", "No"), *[(str(value), label) for value, label in Confidence.choices]]
        several_organisations = len({topic.organisation_id for topic in self.topics}) > 1
        for topic in self.topics:
            self.fields[f"offer_{topic.pk}"] = forms.TypedChoiceField(
                label="Can you help others with this?",
                choices=offer_choices,
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": "Choose how confident you are from the list."},
            )
            self.fields[f"want_{topic.pk}"] = forms.BooleanField(label="I would like help with this", required=False)
            # Form templates print help text as HTML; an organiser's description is plain text.
            self.fields[f"offer_{topic.pk}"].help_text = escape(topic.description)
            # Crispy renders a legend as a template, so braces an organiser typed must not reach it.
            name = f"{topic.name} ({topic.organisation.name})" if several_organisations else topic.name
            legend = name.replace("{", "(").replace("}", ")")
            self.helper.layout.append(Fieldset(escape(legend), f"offer_{topic.pk}", f"want_{topic.pk}"))

    @staticmethod
    def initial_for(*, offers, wants) -> dict:
        initial = {f"offer_{o.topic_id}": o.confidence for o in offers}
        initial.update({f"want_{w.topic_id}": True for w in wants})
        return initial

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        offers = {t.pk: data[f"offer_{t.pk}"] for t in self.topics if data.get(f"offer_{t.pk}")}
        wants = {t.pk for t in self.topics if data.get(f"want_{t.pk}")}
        return {"offers": offers, "wants": wants}


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm it is you."},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.person = request.user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # Through authenticate(), like logging in, so django-axes counts wrong passwords here too
        # and, past the limit, refuses even the right one until the cool-off ends.
        if authenticate(self.request, email=self.person.email, password=password) != self.person:
            raise forms.ValidationError("That password is not right. Please try again.")
        return password


# --- Organisations ----------------------------------------------------------------------


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = services.ORGANISATION_FIELDS
        labels = {
            "contact_email": "Contact email",
            "safeguarding_contact_name": "Safeguarding contact: name",
            "safeguarding_contact_email": "Safeguarding contact: email",
            "safeguarding_contact_phone": "Safeguarding contact: phone",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"name": {"required": "Give the organisation a name."}}


class TopicForm(forms.Form):
    name = forms.CharField(
        label="Topic name", max_length=80, error_messages={"required": "Give the topic a short name."}
    )
    description = forms.CharField(
        label="Short description (optional)",
        max_length=240,
        required=False,
        help_text="One plain-English sentence, for example: setting up and running a page for your group.",
    )
    is_active = forms.BooleanField(
        label="Active (people can choose it)",
        required=False,
        initial=True,
        help_text="Untick to retire a topic. Retired topics stay on old profiles and bookings.",
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        error_messages={
            "required": "Enter the email address to send the invitation to.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )
    role = forms.ChoiceField(
        label="Invite them as",
        choices=[(role.value, role.label) for role in services.INVITABLE_ROLES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the role to invite them as."},
    )


class PeopleFilterForm(forms.Form):
    topic_offered = forms.TypedChoiceField(label="Can help with", required=False, coerce=int, empty_value=None)
    topic_wanted = forms.TypedChoiceField(label="Wants help with", required=False, coerce=int, empty_value=None)
    perspective = forms.ChoiceField(
        label="Perspective",
        required=False,
        choices=[("", "Any"), *Perspective.choices],
        help_text="Only people who let organisers see that perspective are matched.",
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Any"), *[(str(t.pk), t.name) for t in topics]]
        self.fields["topic_offered"].choices = choices
        self.fields["topic_wanted"].choices = choices


def add_validation_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the matching fields (or at the top)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def form_helper(label: str, method: str = "post") -> FormHelper:
    """The site's usual form: one submit button, and the browser's own checks off so
    every message comes from the server, in the site's words."""
    helper = FormHelper()
    helper.form_method = method
    helper.attrs = {"novalidate": ""}
    helper.add_input(Submit("submit", label))
    return helper
