"""Surgeons: availability on a day, and the printable day sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, redirect, render

from surgeries import errors, selectors, services
from surgeries.access import ORGANISER, OUTSIDER, refuse_viewer, visible_day
from surgeries.forms import AvailabilityForm, format_time_ranges
from surgeries.models import DaySurgeon


def _save_availability(request, day_surgeon, form) -> bool:
    try:
        with_topics = form.cleaned_data["topics"]
        services.availability_set(
            day_surgeon=day_surgeon,
            by=request.user,
            windows=form.cleaned_data["windows"],
            max_sessions=form.cleaned_data["max_sessions"],
        )
        services.surgeon_topics_set(day_surgeon=day_surgeon, topic_ids=[t.pk for t in with_topics])
    except errors.AvailabilityConflict as error:
        form.add_error("windows", error.message)
        form.affected = error.bookings
        return False
    except errors.SurgeryError as error:
        form.add_error("windows", error.message)
        return False
    return True


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
    sessions = selectors.surgeon_sessions(day_surgeon=day_surgeon)
    return render(request, "surgeries/day_sheet.html", {"day": day, "day_surgeon": day_surgeon, "sessions": sessions})
