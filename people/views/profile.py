"""My profile, my skills, and other people's profiles through the visibility policy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from people import selectors, services
from people.enums import EVENT, ORGANISER, PAIRED
from people.forms import ProfileForm, SkillsForm, add_validation_errors
from people.models import AuditEntry, User
from people.visibility import preview_profile, visible_profile

PREVIEW_AUDIENCES = {
    ORGANISER: "an organiser",
    PAIRED: "someone you are paired with",
    EVENT: "someone else at the same event",
}


@login_required
def my_profile(request):
    profile = visible_profile(viewer=request.user, person=request.user)
    return render(
        request,
        "people/my_profile.html",
        {
            "profile": profile,
            "memberships": selectors.memberships_of(user=request.user),
            "audiences": PREVIEW_AUDIENCES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    person = request.user
    profile = selectors.profile_of(person=person)
    initial = ProfileForm.initial_for(person=person, profile=profile, perspectives=person.perspectives.all())
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(person=person, **form.service_kwargs())
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("people:my_profile")
    return render(request, "people/profile_edit.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def skills_edit(request):
    person = request.user
    topics = selectors.topics_available_to(person=person)
    initial = SkillsForm.initial_for(offers=selectors.topics_offered(person), wants=selectors.topics_wanted(person))
    form = SkillsForm(request.POST or None, initial=initial, topics=topics)
    if request.method == "POST" and form.is_valid():
        try:
            services.skills_update(person=person, **form.service_kwargs())
        except services.PeopleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your topics are saved.")
            return redirect("people:my_profile")
    return render(request, "people/skills_edit.html", {"form": form, "has_topics": bool(form.topics)})


@login_required
def profile_preview(request, audience: str):
    if audience not in PREVIEW_AUDIENCES:
        raise Http404("No such audience.")
    profile = preview_profile(person=request.user, relationship=audience)
    return render(
        request,
        "people/profile_preview.html",
        {"profile": profile, "audience": audience, "audience_label": PREVIEW_AUDIENCES[audience]},
    )


@login_required
def person_detail(request, person_id: int):
    """Someone's profile, as the policy lets the viewer see it. No relationship at all: 404."""
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise Http404("No such person.")
    profile = visible_profile(viewer=request.user, person=person)
    if not profile.relationships:
        raise Http404("No such person.")
    if profile.shown and not profile.is_self:
        services.audit_record(
            actor=request.user, subject=person, action=AuditEntry.Action.VIEWED, fields=list(profile.shown)
        )
    return render(request, "people/person_detail.html", {"profile": profile})
