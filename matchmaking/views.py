"""Matchmaking pages: a learner's request and best matches; the organiser's proposal.

Thin: each view finds the day, checks who is asking, and calls a selector or a
service. Organiser pages: 404 outside the organisation, 403 for members who do
not organise it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking import selectors, services
from matchmaking.forms import MatchRequestForm
from matchmaking.models import MatchRequest
from matchmaking.services import confirm as confirming
from people.selectors import active_topics_of, is_blocked, profile_of, topics_wanted
from surgeries import errors
from surgeries.access import organiser_day
from surgeries.models import SurgeryDay
from surgeries.services import booking_create


def _day(day_id: int) -> SurgeryDay:
    return get_object_or_404(SurgeryDay.objects.select_related("organisation", "venue"), pk=day_id)


def _open_day(day_id: int) -> SurgeryDay:
    """A published day that has not ended: the only kind learners can ask about."""
    day = _day(day_id)
    if not day.accepts_requests(timezone.now()):
        raise Http404("No such surgery day.")
    return day


def _organiser_day(request, day_id: int) -> SurgeryDay:
    return organiser_day(user=request.user, day_id=day_id, why="Only organisers can run matchmaking.")


def _blocked(request, day: SurgeryDay):
    return render(request, "matchmaking/blocked.html", {"day": day}, status=403)


# --- Learners ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request, day_id: int):
    """Ask to be matched; once matched, see the booking and why (read-only)."""
    day = _open_day(day_id)
    if is_blocked(person=request.user, organisation=day.organisation):
        return _blocked(request, day)
    existing = selectors.match_request_for(day=day, learner=request.user)
    if existing and not existing.is_editable:
        booking = existing.booking
        reason = (
            selectors.reason_for_learner(reasons=existing.reasons, surgeon_id=booking.surgeon_id) if booking else ""
        )
        return render(request, "matchmaking/request_matched.html", {"day": day, "match": existing, "reason": reason})
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        try:
            services.match_request_withdraw(day=day, learner=request.user)
        except errors.SurgeryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Your request is withdrawn.")
        return redirect("matchmaking:request", day_id=day.pk)
    form = _request_form(request, day, existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_request_save(day=day, learner=request.user, details=form.details())
        except errors.SurgeryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your request is saved. The organisers will match you with a surgeon.")
            return redirect("matchmaking:request", day_id=day.pk)
    unmatched = selectors.last_unmatched_reason(day=day, request=existing)
    context = {"day": day, "form": form, "match": existing, "unmatched": unmatched}
    return render(request, "matchmaking/request_form.html", context)


def _matched(request, day: SurgeryDay, match: MatchRequest):
    """Read-only once the organiser has confirmed: the booking, and why, as the learner may hear it."""
    booking = match.booking
    reason = selectors.reason_for_learner(reasons=match.reasons, surgeon_id=booking.surgeon_id) if booking else ""
    return render(request, "matchmaking/request_matched.html", {"day": day, "match": match, "reason": reason})


def _request_form(request, day: SurgeryDay, existing: MatchRequest | None) -> MatchRequestForm:
    topics = active_topics_of(organisation_id=day.organisation_id).order_by("name")
    wanted = topics_wanted(request.user).values_list("topic_id", flat=True) if existing is None else ()
    languages = profile_of(person=request.user).languages
    initial = MatchRequestForm.initial_for(request=existing, profile_languages=languages, wanted_topic_ids=wanted)
    return MatchRequestForm(request.POST or None, day=day, topics=topics, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def best_matches(request, day_id: int):
    """Free slots, best fit first, each with a button to book it."""
    day = _open_day(day_id)
    if is_blocked(person=request.user, organisation=day.organisation):
        return _blocked(request, day)
    if request.method == "POST":
        return _book(request, day)
    ranked = selectors.slots_ranked_for(day=day, learner=request.user)
    return render(request, "matchmaking/best_matches.html", {"day": day, "ranked": ranked})


def _book(request, day: SurgeryDay):
    try:
        slot_id = int(request.POST.get("slot_id", ""))
    except ValueError:
        messages.error(request, "Please choose a slot from the list.")
        return redirect("matchmaking:best_matches", day_id=day.pk)
    existing = selectors.match_request_for(day=day, learner=request.user)
    topic_ids = [rt.topic_id for rt in existing.topics.all()] if existing else []
    try:
        booking_create(
            slot_id=slot_id, learner=request.user, topic_ids=topic_ids, note=existing.note if existing else ""
        )
    except errors.BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You are booked. We look forward to seeing you.")
    return redirect("matchmaking:best_matches", day_id=day.pk)


# --- Organisers -------------------------------------------------------------------------------


@login_required
def proposal(request, day_id: int):
    day = _organiser_day(request, day_id)
    # Page numbers that are not numbers give the first page, past the end the last (Paginator.get_page).
    # The rows are rendered without the request (no CSRF token in them: the page's one form wraps
    # them), since they are kept in the cache and shown to every organiser of the day.
    page = selectors.proposal_page(
        day=day,
        page=request.GET.get("page"),
        unmatched_page=request.GET.get("unmatched"),
        render_rows=lambda rows: render_to_string("matchmaking/_proposal_rows.html", {"rows": rows}),
        render_unmatched=lambda rows: render_to_string("matchmaking/_unmatched_rows.html", {"rows": rows}),
    )
    return render(request, "matchmaking/proposal.html", {"day": day, "page": page})


def _act(request, day: SurgeryDay, action, success: str):
    """Run a service; show its error as a message; always go back to the proposal."""
    try:
        action()
    except errors.SurgeryError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("matchmaking:proposal", day_id=day.pk)


@login_required
@require_POST
def run(request, day_id: int):
    day = _organiser_day(request, day_id)
    try:
        result = services.matchmaking_run(day=day, by=request.user)
    except errors.SurgeryError as error:
        messages.error(request, error.message)
    else:
        matched = result.proposal.pairs.count()
        messages.success(request, f"Matchmaking matched {matched} of {result.proposal.request_count} requests.")
        if result.dropped_locks:
            messages.warning(request, f"{result.dropped_locks} locked pairs were no longer possible and were let go.")
    return redirect("matchmaking:proposal", day_id=day.pk)


@login_required
@require_POST
def pair_lock(request, day_id: int, pair_id: int):
    day = _organiser_day(request, day_id)
    locked = request.POST.get("locked") == "1"
    text = "Pair locked: running again keeps it." if locked else "Pair unlocked."
    action = lambda: services.proposal_pair_lock(day=day, pair_id=pair_id, by=request.user, locked=locked)  # noqa: E731
    return _act(request, day, action, text)


@login_required
@require_POST
def pair_remove(request, day_id: int, pair_id: int):
    day = _organiser_day(request, day_id)
    action = lambda: services.proposal_pair_remove(day=day, pair_id=pair_id, by=request.user)  # noqa: E731
    return _act(request, day, action, "Pair taken out of the proposal.")


@login_required
@require_http_methods(["GET", "POST"])
def learner_slot(request, day_id: int, request_id: int):
    """Choose another slot for one learner (swapping with whoever holds it)."""
    day = _organiser_day(request, day_id)
    match = get_object_or_404(MatchRequest.objects.select_related("learner"), pk=request_id, day=day)
    if request.method == "POST":
        try:
            slot_id = int(request.POST.get("slot_id", ""))
            services.proposal_slot_choose(day=day, request_id=match.pk, slot_id=slot_id, by=request.user)
        except ValueError:
            messages.error(request, "Please choose a slot from the list.")
        except errors.SurgeryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{match.learner.display_name} has a new slot, locked in the proposal.")
            return redirect("matchmaking:proposal", day_id=day.pk)
    options = selectors.slot_options_for(day=day, request=match)
    return render(request, "matchmaking/learner_slot.html", {"day": day, "match": match, "options": options})


@login_required
@require_POST
def confirm(request, day_id: int):
    """Start booking the proposal in the background, then show how far it has got.

    Without a broker the job runs before this returns, so the page shows the outcome.
    """
    day = _organiser_day(request, day_id)
    try:
        proposal_id = int(request.POST.get("proposal_id") or 0)
        proposal = confirming.proposal_confirm_start(day=day, proposal_id=proposal_id, by=request.user)
    except ValueError:
        messages.error(request, "Please confirm the proposal shown on the page.")
    except confirming.AlreadyConfirming as error:
        messages.info(request, error.message)
        return redirect("matchmaking:confirmation", day_id=day.pk, proposal_id=error.proposal_id)
    except errors.SurgeryError as error:
        messages.error(request, error.message)
    else:
        return redirect("matchmaking:confirmation", day_id=day.pk, proposal_id=proposal.pk)
    return redirect("matchmaking:proposal", day_id=day.pk)


@login_required
@require_GET
def confirmation(request, day_id: int, proposal_id: int):
    """Booking a confirmed proposal: progress while it runs (the page polls with htmx,
    or has a Refresh link), then how many pairs were booked and which were not, and why."""
    day = _organiser_day(request, day_id)
    page = selectors.confirmation_page(day=day, proposal_id=proposal_id)
    if page is None:
        raise Http404("No such confirmation.")
    return render(request, "matchmaking/confirmation.html", {"day": day, "page": page})
