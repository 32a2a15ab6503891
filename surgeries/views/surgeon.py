"""Surgeons: availability on a day, the printable day sheet, and withdrawing when they cannot come."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from surgeries import errors, selectors, services
from surgeries.access import ORGANISER, OUTSIDER, refuse_viewer, visible_day
from surgeries.forms import AvailabilityForm, WithdrawForm, format_time_ranges
from surgeries.models import DaySurgeon, SurgeonWithdrawal


def _save_availability(request, day_surgeon, form) -> bool:
    try:
        # One form, three services: all saved or, on a refusal, none.
        with transaction.atomic():
            _save_availability_parts(request, day_surgeon, form)
    except errors.AvailabilityConflict as error:
        form.add_error("windows", error.message)
        form.affected = error.bookings
        return False
    except errors.SurgeryError as error:
        form.add_error("windows", error.message)
        return False
    return True


def _save_availability_parts(request, day_surgeon, form) -> None:
    with_topics = form.cleaned_data["topics"]
    services.availability_set(
        day_surgeon=day_surgeon,
        by=request.user,
        windows=form.cleaned_data["windows"],
        max_sessions=form.cleaned_data["max_sessions"],
    )
    services.surgeon_topics_set(day_surgeon=day_surgeon, topic_ids=[t.pk for t in with_topics])
    if "video_link" in form.cleaned_data:
        services.surgeon_online_set(
            day_surgeon=day_surgeon,
            by=request.user,
            is_online=form.cleaned_data.get("is_online", False),
            video_link=form.cleaned_data["video_link"],
        )


@login_required
def availability(request, day_id: int):
    """Set when I am free. Joining the day as a surgeon happens here too, where allowed."""
    day = visible_day(user=request.user, day_id=day_id)
    day_surgeon = selectors.day_surgeon_of(day=day, person=request.user)
    if day_surgeon is None:
        if not (day.surgeons_may_opt_in and day.viewer_access != OUTSIDER):
            refuse_viewer(day)
        if request.method == "POST":
            day_surgeon = services.surgeon_join(day=day, person=request.user, by=request.user)
    initial = {}
    if day_surgeon:
        windows = day_surgeon.windows.values_list("starts_at", "ends_at")
        initial = {
            "windows": format_time_ranges(windows, day.time_zone),
            "max_sessions": day_surgeon.max_sessions,
            "topics": list(day_surgeon.topics.all()),
            "is_online": day_surgeon.is_online,
            "video_link": day_surgeon.video_link,
        }
    form = AvailabilityForm(request.POST if request.method == "POST" else None, day=day, initial=initial)
    if request.method == "POST" and form.is_valid() and _save_availability(request, day_surgeon, form):
        messages.success(request, "Your availability is saved and your sessions are open for booking.")
        return redirect("surgeries:day_sheet", day_id=day.pk)
    return render(request, "surgeries/availability.html", {"day": day, "form": form, "day_surgeon": day_surgeon})


@login_required
def day_sheet(request, day_id: int):
    """One surgeon's sessions. Organisers may open any surgeon's sheet with ?surgeon=<id>."""
    day = visible_day(user=request.user, day_id=day_id)
    person_id = request.GET.get("surgeon")
    if person_id and day.viewer_access == ORGANISER:
        if not (person_id.isascii() and person_id.isdecimal()):
            raise BadRequest("The surgeon in the address is not a number.")
        # person__pk, not person_id: only the former turns an id too large for the database into "not found".
        day_surgeon = get_object_or_404(DaySurgeon.objects.select_related("person"), day=day, person__pk=person_id)
    else:
        day_surgeon = selectors.day_surgeon_of(day=day, person=request.user)
        if day_surgeon is None:
            refuse_viewer(day)
    sessions = selectors.with_video(
        selectors.surgeon_sessions(day_surgeon=day_surgeon),
        viewer_id=request.user.pk,
        organiser=day.viewer_access == ORGANISER,
        now=timezone.now(),
    )
    return render(request, "surgeries/day_sheet.html", {"day": day, "day_surgeon": day_surgeon, "sessions": sessions})


def _withdrawn_message(withdrawal: SurgeonWithdrawal) -> str:
    what = "this session" if withdrawal.slot_id else "this day"
    told = []
    if withdrawal.rebooked:
        told.append(f"{_learners(withdrawal.rebooked)} moved to another session")
    if withdrawal.waiting:
        told.append(f"{_learners(withdrawal.waiting)} put on the waiting list")
    if withdrawal.not_placed:
        # The surgeon is not told why: that the organisation blocked someone is not theirs to know.
        told.append(f"{_learners(withdrawal.not_placed)} told the session is off")
    if not told:
        return f"You have withdrawn from {what}. Nobody was booked with you, so nobody needed telling."
    return f"You have withdrawn from {what}. We have told your learners: {' and '.join(told)}."


def _learners(count: int) -> str:
    return "1 learner" if count == 1 else f"{count} learners"


@login_required
def withdraw(request, day_id: int):
    """I can't come: a confirmation page, then withdraw from the day, or one session with ?slot=<id>."""
    day = visible_day(user=request.user, day_id=day_id)
    day_surgeon = selectors.day_surgeon_of(day=day, person=request.user)
    if day_surgeon is None:
        refuse_viewer(day)
    form = WithdrawForm(request.POST if request.method == "POST" else request.GET, day_surgeon=day_surgeon)
    if not form.is_valid():
        raise Http404("That session is not one of yours on this day.")
    slot = form.cleaned_data["slot"]
    if request.method == "POST":
        try:
            withdrawal = services.surgeon_withdraw(
                day_surgeon_id=day_surgeon.pk, by=request.user, slot_id=slot.pk if slot else None
            )
        except errors.SurgeryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _withdrawn_message(withdrawal))
        return redirect("surgeries:day_sheet", day_id=day.pk)
    context = {
        "day": day,
        "day_surgeon": day_surgeon,
        "slot": slot,
        "form": form,
        "sessions": selectors.sessions_to_withdraw(day_surgeon=day_surgeon, slot=slot),
        "closed": day.is_closed() or day.is_over(timezone.now()),
    }
    return render(request, "surgeries/withdraw.html", context)
