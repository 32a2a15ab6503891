"""Pages for everyone: the day's workshops, one workshop, registering, my workshops."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from people.selectors import is_organiser
from surgeries.access import ORGANISER, refuse, visible_day
from surgeries.errors import SurgeryError
from workshops import selectors, services
from workshops.calendar import registration_calendar
from workshops.models import Registration
from workshops.services.registration import organiser_may_cancel_places, registration_is_open
from workshops.views.access import visible_workshop


def day_workshops(request: HttpRequest, day_id: int) -> HttpResponse:
    """The day's workshops and open space in time order. Printable."""
    day = visible_day(user=request.user, day_id=day_id)
    context = {
        "day": day,
        "items": selectors.programme_items(day=day),
        "is_organiser": day.viewer_access == ORGANISER,
    }
    return render(request, "workshops/day_workshops.html", context)


def workshop_detail(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = visible_workshop(user=request.user, workshop_id=workshop_id)
    registration, waiting = selectors.person_status(workshop=workshop, person=request.user)
    context = {
        "workshop": workshop,
        "day": workshop.day,
        "places_left": max(workshop.capacity - workshop.places_taken, 0),
        "registration": registration,
        "waiting": waiting,
        "is_open": registration_is_open(workshop=workshop, now=timezone.now()),
        "is_organiser": is_organiser(user=request.user, organisation=workshop.day.organisation),
        "is_facilitator": any(f.person_id == request.user.pk for f in workshop.facilitators.all()),
    }
    return render(request, "workshops/workshop_detail.html", context)


@login_required
@require_POST
def register(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = visible_workshop(user=request.user, workshop_id=workshop_id)
    try:
        services.registration_create(workshop_id=workshop.pk, person=request.user)
    except SurgeryError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"You have a place at “{workshop.title}”.")
    return redirect("workshops:workshop_detail", workshop_id=workshop.pk)


@login_required
@require_POST
def waiting_join(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = visible_workshop(user=request.user, workshop_id=workshop_id)
    try:
        result = services.waiting_list_join(workshop_id=workshop.pk, person=request.user)
    except SurgeryError as error:
        messages.error(request, error.message)
    else:
        if isinstance(result, Registration):
            messages.success(request, f"A place was free, so you now have a place at “{workshop.title}”.")
        else:
            messages.success(request, "You are on the waiting list. If a place comes free, it is yours.")
    return redirect("workshops:workshop_detail", workshop_id=workshop.pk)


@login_required
@require_POST
def waiting_leave(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = visible_workshop(user=request.user, workshop_id=workshop_id)
    services.waiting_list_leave(workshop_id=workshop.pk, person=request.user)
    messages.success(request, "You have left the waiting list.")
    if request.POST.get("next") == "mine":
        return redirect("workshops:my_workshops")
    return redirect("workshops:workshop_detail", workshop_id=workshop.pk)


def _own_registration(request: HttpRequest, registration_id: int) -> Registration:
    registration = get_object_or_404(
        Registration.objects.select_related("workshop__day__venue", "workshop__day__organisation"),
        pk=registration_id,
    )
    if registration.person_id != request.user.pk:
        raise Http404
    return registration


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = _own_registration(request, registration_id)
    if request.method == "POST":
        try:
            services.registration_cancel(registration_id=registration.pk, by=request.user)
        except SurgeryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Your place at “{registration.workshop.title}” is cancelled.")
        return redirect("workshops:my_workshops")
    context = {"registration": registration, "workshop": registration.workshop, "day": registration.workshop.day}
    return render(request, "workshops/registration_cancel.html", context)


@login_required
def registration_ics(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = _own_registration(request, registration_id)
    response = HttpResponse(registration_calendar(registration), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workshop-{registration.pk}.ics"'
    return response


@login_required
def my_workshops(request: HttpRequest) -> HttpResponse:
    return render(request, "workshops/my_workshops.html", selectors.my_workshops(person=request.user))


@login_required
def attendee_register(request: HttpRequest, workshop_id: int) -> HttpResponse:
    """The facilitator's list of who is coming, with a column to tick on the day. Printable.

    Organisers see it too, and until the workshop starts they can cancel a place from it.
    """
    workshop = visible_workshop(user=request.user, workshop_id=workshop_id)
    organiser = is_organiser(user=request.user, organisation=workshop.day.organisation)
    if not organiser and not selectors.is_facilitator(user=request.user, workshop=workshop):
        refuse(user=request.user, organisation=workshop.day.organisation)
    now = timezone.now()
    context = {
        "workshop": workshop,
        "day": workshop.day,
        "attendees": selectors.attendees(workshop=workshop),
        # After the start, the register also records who did not come (for the impact report).
        "takes_attendance": workshop.starts_at <= now and workshop.attended_snapshot is None,
        "can_cancel_places": organiser and organiser_may_cancel_places(workshop=workshop, now=now),
        "retention_days": settings.RETENTION_DAYS,
    }
    return render(request, "workshops/attendee_register.html", context)
