"""Organisation pages: details, topics, invitations, people, blocks and the audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from people import selectors, services
from people.access import organisation_for
from people.forms import InvitationForm, OrganisationForm, PeopleFilterForm, TopicForm, add_validation_errors
from people.models import AuditEntry, Membership, Topic
from people.views.common import audit_page_context
from people.visibility import visible_profiles


@login_required
def organisation_detail(request, slug: str):
    organisation = organisation_for(request, slug, organisers_only=False)
    is_organiser = selectors.is_organiser(user=request.user, organisation=organisation)
    return render(
        request, "people/organisation_detail.html", {"organisation": organisation, "is_organiser": is_organiser}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug: str):
    organisation = organisation_for(request, slug)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "The organisation's details are saved.")
            return redirect("people:organisation_detail", slug=organisation.slug)
    # A failed save must not leave the edited values on the shared object used by the page header.
    organisation.refresh_from_db()
    return render(request, "people/organisation_edit.html", {"organisation": organisation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def topic_list(request, slug: str):
    organisation = organisation_for(request, slug)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_save(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Topic “{form.cleaned_data['name']}” added.")
            return redirect("people:topic_list", slug=slug)
    topics = selectors.topics_of(organisation=organisation)
    return render(request, "people/topic_list.html", {"organisation": organisation, "topics": topics, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def topic_edit(request, slug: str, topic_id: int):
    organisation = organisation_for(request, slug)
    topic = get_object_or_404(Topic, pk=topic_id, organisation=organisation)
    initial = {"name": topic.name, "description": topic.description, "is_active": topic.is_active}
    form = TopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_save(organisation=organisation, topic=topic, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Topic saved.")
            return redirect("people:topic_list", slug=slug)
    return render(request, "people/topic_edit.html", {"organisation": organisation, "topic": topic, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request, slug: str):
    organisation = organisation_for(request, slug)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(organisation=organisation, invited_by=request.user, **form.cleaned_data)
        except (services.PeopleError, ValidationError) as error:
            form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}. The link works once.")
            return redirect("people:invitation_list", slug=slug)
    invitations = selectors.pending_invitations(organisation=organisation)[:100]
    return render(
        request, "people/invitation_list.html", {"organisation": organisation, "form": form, "invitations": invitations}
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    invitation = selectors.invitation_by_token_hash(token_hash=services.hash_token(token))
    if invitation is None:
        raise Http404("No such invitation.")
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, person=request.user)
        except services.PeopleError as error:
            messages.error(request, str(error))
        else:
            # As after an approved request to join: next, the topics they help with or want help with.
            messages.success(
                request,
                f"Welcome to {membership.organisation.name}. "
                "Now choose the topics you can help with and the ones you would like help with.",
            )
            return redirect("people:skills_edit")
    is_for_you = selectors.invitation_is_for(invitation=invitation, person=request.user)
    return render(request, "people/invitation_accept.html", {"invitation": invitation, "is_for_you": is_for_you})


@login_required
def organisation_people(request, slug: str):
    """Members, with filters. Perspectives appear (and filter) only where organisers may see them."""
    organisation = organisation_for(request, slug)
    topics = list(selectors.topics_of(organisation=organisation))
    form = PeopleFilterForm(request.GET or None, topics=topics)
    filters = selectors.PeopleFilter(**form.cleaned_data) if form.is_valid() else selectors.PeopleFilter()
    memberships = selectors.organisation_people(organisation=organisation, filters=filters)
    profiles = visible_profiles(viewer=request.user, people=[m.person for m in memberships])
    rows = list(zip(memberships, profiles, strict=True))
    if filters.perspective:
        label = dict(form.fields["perspective"].choices)[filters.perspective]
        rows = [(m, p) for m, p in rows if label in p.perspectives]
    services.audit_record_many(
        actor=request.user,
        action=AuditEntry.Action.VIEWED,
        # The list shows perspectives only, so only they count as seen here.
        fields_by_subject={p.person_id: ["perspectives"] for _, p in rows if p.perspectives and not p.is_self},
    )
    context = {"organisation": organisation, "form": form, "rows": rows, "roles": Membership.Role}
    return render(request, "people/organisation_people.html", context)


@login_required
@require_POST
def person_block(request, slug: str, person_id: int):
    organisation = organisation_for(request, slug)
    # person__pk, not person_id: only the former turns an id too large for the database into "not found".
    membership = get_object_or_404(Membership, organisation=organisation, person__pk=person_id)
    person = membership.person
    try:
        if request.POST.get("action") == "unblock":
            services.person_unblock(organisation=organisation, person=person)
            messages.success(request, f"{person.display_name} can book this organisation's days again.")
        elif request.POST.get("confirmed") != "yes":
            context = {"organisation": organisation, "person": person}
            return render(request, "people/person_block_confirm.html", context)
        else:
            services.person_block(organisation=organisation, person=person, actor=request.user)
            messages.success(request, f"{person.display_name} can no longer book this organisation's days.")
    except services.PeopleError as error:
        messages.error(request, str(error))
    return redirect("people:organisation_people", slug=slug)


@login_required
def organisation_audit(request, slug: str):
    organisation = organisation_for(request, slug)
    entries = selectors.audit_entries_for_organisation(organisation=organisation)
    context = {"organisation": organisation, **audit_page_context(request, entries)}
    return render(request, "people/organisation_audit.html", context)
