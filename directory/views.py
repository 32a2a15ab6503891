"""The network: ask to join and answer requests; the directory: browse, list yourself,
get in touch, answer, block."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from directory import selectors, services
from directory.forms import JoinDeclineForm, JoinRequestForm, ListingForm, MessageForm, TopicFilterForm
from people import selectors as people_selectors
from people.access import organisation_for
from people.forms import add_validation_errors
from people.models import DirectoryListing, DirectoryMessage, JoinRequest, Organisation, User


@login_required
def directory_list(request, slug: str):
    organisation = organisation_for(request, slug, organisers_only=False)
    form = TopicFilterForm(request.GET or None, organisation=organisation)
    topic = form.cleaned_data.get("topic") if form.is_valid() else None
    entries = selectors.directory_entries(
        organisation=organisation, viewer=request.user, topic_id=topic.pk if topic else None
    )
    listed = selectors.listing_of(organisation=organisation, person=request.user) is not None
    context = {"organisation": organisation, "entries": entries, "form": form, "listed": listed, "topic": topic}
    return render(request, "directory/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def my_listing(request, slug: str):
    organisation = organisation_for(request, slug, organisers_only=False)
    listing = selectors.listing_of(organisation=organisation, person=request.user)
    form = ListingForm(request.POST or None, instance=listing or DirectoryListing())
    if request.method == "POST" and form.is_valid():
        try:
            fields = {name: form.cleaned_data[name] for name in services.LISTING_FIELDS}
            services.listing_save(person=request.user, organisation=organisation, **fields)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Your directory listing is saved.")
            return redirect("directory:list", slug=slug)
    blocks = selectors.blocks_by(person=request.user)
    context = {"organisation": organisation, "form": form, "listing": listing, "blocks": blocks}
    return render(request, "directory/my_listing.html", context)


@login_required
@require_POST
def listing_remove(request, slug: str):
    organisation = organisation_for(request, slug, organisers_only=False)
    services.listing_remove(person=request.user, organisation=organisation)
    messages.success(request, "You are no longer in the directory.")
    return redirect("directory:list", slug=slug)


def _send(request, form, *, organisation, recipient, in_reply_to=None) -> bool:
    try:
        services.message_send(
            sender=request.user,
            recipient=recipient,
            organisation=organisation,
            body=form.cleaned_data["body"],
            in_reply_to=in_reply_to,
        )
    except PermissionDenied as error:
        form.add_error(None, str(error))
    except ValidationError as error:
        add_validation_errors(form, error)
    else:
        messages.success(request, f"Your message to {recipient.display_name} is on its way.")
        return True
    return False


@login_required
@require_http_methods(["GET", "POST"])
def contact(request, slug: str, person_id: int):
    organisation = organisation_for(request, slug, organisers_only=False)
    entry = selectors.directory_entry(organisation=organisation, viewer=request.user, person_id=person_id)
    if entry is None or not entry.accepts_messages or person_id == request.user.pk:
        raise Http404
    form = MessageForm(request.POST or None)
    recipient = get_object_or_404(User, pk=person_id)
    sent = request.method == "POST" and form.is_valid()
    if sent and _send(request, form, organisation=organisation, recipient=recipient):
        return redirect("directory:list", slug=slug)
    context = {"organisation": organisation, "entry": entry, "form": form}
    return render(request, "directory/contact.html", context)


def _received(request, slug: str, message_id: int):
    organisation = organisation_for(request, slug, organisers_only=False)
    message = get_object_or_404(
        DirectoryMessage.objects.select_related("sender"),
        pk=message_id,
        organisation=organisation,
        recipient=request.user,
    )
    return organisation, message


@login_required
@require_http_methods(["GET", "POST"])
def message_reply(request, slug: str, message_id: int):
    organisation, message = _received(request, slug, message_id)
    form = MessageForm(request.POST or None, submit_label="Send answer")
    posted = request.method == "POST" and form.is_valid()
    if posted and _send(request, form, organisation=organisation, recipient=message.sender, in_reply_to=message):
        return redirect("directory:list", slug=slug)
    context = {"organisation": organisation, "message": message, "form": form}
    return render(request, "directory/reply.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def message_block(request, slug: str, message_id: int):
    organisation, message = _received(request, slug, message_id)
    if request.method == "POST":
        services.contact_block(blocker=request.user, blocked=message.sender)
        messages.success(request, f"{message.sender.display_name} can no longer write to you.")
        return redirect("directory:my_listing", slug=slug)
    return render(request, "directory/block.html", {"organisation": organisation, "message": message})


@login_required
@require_POST
def contact_unblock(request, slug: str, person_id: int):
    organisation_for(request, slug, organisers_only=False)
    services.contact_unblock(blocker=request.user, blocked_id=person_id)
    messages.success(request, "Unblocked.")
    return redirect("directory:my_listing", slug=slug)


# --- Joining ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def join(request, slug: str):
    """Ask to join, or see the request that waits. Open to anyone signed in: the
    organisation's name is public on its days anyway."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if people_selectors.is_member(person=request.user, organisation=organisation):
        messages.info(request, f"You are a member of {organisation.name}.")
        return redirect("people:organisation_detail", slug=slug)
    blocked = people_selectors.is_blocked(person=request.user, organisation=organisation)
    waiting = people_selectors.join_request_pending(person=request.user, organisation=organisation)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and not blocked and waiting is None and form.is_valid():
        try:
            services.join_request_create(
                person=request.user, organisation=organisation, message=form.cleaned_data["message"]
            )
        except services.JoinError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your request is sent. The organisers will answer by email.")
            return redirect("directory:join", slug=slug)
    context = {
        "organisation": organisation,
        "form": form,
        "waiting": waiting,
        "blocked_message": services.JOIN_NOT_POSSIBLE if blocked else "",
    }
    return render(request, "directory/join.html", context)


@login_required
@require_POST
def join_withdraw(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    if services.join_request_withdraw(person=request.user, organisation=organisation):
        messages.success(request, f"Your request to join {organisation.name} is withdrawn.")
    return redirect("directory:join", slug=slug)


@login_required
def join_requests(request, slug: str):
    organisation = organisation_for(request, slug)
    waiting = list(people_selectors.join_requests_pending(organisation=organisation)[:200])
    return render(request, "directory/join_requests.html", {"organisation": organisation, "waiting": waiting})


@login_required
@require_POST
def join_request_approve(request, slug: str, request_id: int):
    organisation = organisation_for(request, slug)
    try:
        membership = services.join_request_approve(
            organisation=organisation, join_request_id=request_id, by=request.user
        )
    except services.JoinError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{membership.person.display_name} is now a member. They have been told by email.")
    return redirect("directory:join_requests", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def join_request_decline(request, slug: str, request_id: int):
    organisation = organisation_for(request, slug)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("person"),
        pk=request_id,
        organisation=organisation,
        status=JoinRequest.Status.PENDING,
    )
    form = JoinDeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_decline(
                organisation=organisation, join_request_id=join_request.pk, by=request.user, **form.cleaned_data
            )
        except services.JoinError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"The request from {join_request.person.display_name} is declined.")
        return redirect("directory:join_requests", slug=slug)
    context = {"organisation": organisation, "join_request": join_request, "form": form}
    return render(request, "directory/join_decline.html", context)
