"""The organisers' desk on the day."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from surgeries import errors, selectors, services
from surgeries.access import organiser_day
from surgeries.forms import OrganiserNoteForm, SlotChoiceForm, WalkInForm
from surgeries.models import Booking


@login_required
def desk(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    free = selectors.free_slots(day=day)
    context = {
        "day": day,
        "bookings": selectors.day_bookings(day=day),
        "walk_in_form": WalkInForm(slots=free, zone=day.time_zone),
        "retention_days": settings.RETENTION_DAYS,
    }
    return render(request, "surgeries/desk.html", context)


def _desk_booking(request, day_id: int, booking_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    return day, get_object_or_404(Booking, pk=booking_id, day=day, status=Booking.Status.ACTIVE)


@login_required
@require_POST
def desk_check_in(request, day_id: int, booking_id: int):
    day, booking = _desk_booking(request, day_id, booking_id)
    undo = request.POST.get("undo") == "1"
    services.booking_check_in(booking_id=booking.pk, by=request.user, checked_in=not undo)
    messages.success(request, f"{booking.learner.display_name} is {'not ' if undo else ''}checked in.")
    return redirect("surgeries:desk", day_id=day.pk)


@login_required
@require_POST
def desk_no_show(request, day_id: int, booking_id: int):
    day, booking = _desk_booking(request, day_id, booking_id)
    clear = request.POST.get("clear") == "1"
    try:
        services.booking_mark_no_show(booking_id=booking.pk, by=request.user, no_show=not clear)
    except errors.SurgeryError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "No-show cleared." if clear else "Marked as a no-show. Only organisers see this.")
    return redirect("surgeries:desk", day_id=day.pk)


@login_required
def desk_move(request, day_id: int, booking_id: int):
    day, booking = _desk_booking(request, day_id, booking_id)
    slots = selectors.free_slots(day=day, exclude_person_id=booking.learner_id)
    form = SlotChoiceForm(
        request.POST if request.method == "POST" else None, slots=slots, zone=day.time_zone, submit_label="Move booking"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_reschedule(
                booking_id=booking.pk, new_slot_id=form.cleaned_data["slot"], by=request.user, as_organiser=True
            )
        except errors.SurgeryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Booking moved.")
            return redirect("surgeries:desk", day_id=day.pk)
    return render(request, "surgeries/desk_move.html", {"day": day, "booking": booking, "form": form})


@login_required
def desk_note(request, day_id: int, booking_id: int):
    day, booking = _desk_booking(request, day_id, booking_id)
    form = OrganiserNoteForm(request.POST or None, initial={"organiser_note": booking.organiser_note})
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["organiser_note"]
        try:
            services.booking_organiser_note_set(booking_id=booking.pk, by=request.user, text=text)
        except errors.SurgeryError as error:
            form.add_error(None, error.message)
        else:
            done = "saved" if text.strip() else "removed"
            messages.success(request, f"The note on {booking.learner.display_name}'s booking is {done}.")
            return redirect("surgeries:desk", day_id=day.pk)
    return render(request, "surgeries/desk_note.html", {"day": day, "booking": booking, "form": form})


@login_required
@require_POST
def desk_walk_in(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    form = WalkInForm(request.POST, slots=selectors.free_slots(day=day), zone=day.time_zone)
    if form.is_valid():
        try:
            services.walk_in_book(
                day=day,
                by=request.user,
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                slot_id=form.cleaned_data["slot"],
                consent=form.cleaned_data["consent"],
            )
        except errors.SurgeryError as error:
            messages.error(request, error.message)
        else:
            # Only what the organiser typed: an existing account's own name is not theirs to learn here.
            name = form.cleaned_data["display_name"].strip() or "The walk-in"
            messages.success(request, f"{name} is booked in as a walk-in.")
            return redirect("surgeries:desk", day_id=day.pk)
    context = {
        "day": day,
        "bookings": selectors.day_bookings(day=day),
        "walk_in_form": form,
        "retention_days": settings.RETENTION_DAYS,
    }
    return render(request, "surgeries/desk.html", context, status=200)
