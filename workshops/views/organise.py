"""Organisers adding, changing and cancelling workshops, places and open-space blocks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from surgeries.access import organiser_day
from surgeries.errors import SurgeryError
from workshops import errors, selectors, services
from workshops.forms import OpenSpaceForm, WorkshopForm
from workshops.models import Registration
from workshops.services.registration import organiser_may_cancel_places
from workshops.views.access import organiser_open_space, organiser_workshop


def _show_errors(form, error: Exception) -> None:
    """Put a service's refusal next to the field it is about; nothing was saved."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    elif isinstance(error, errors.FacilitatorBusy):
        form.add_error("facilitators", error.message)
    elif isinstance(error, SurgeryError):
        form.add_error(None, error.message)
    else:
        form.add_error(None, error.messages)


def _form_page(request: HttpRequest, *, form, day, title: str, cancel_url: str) -> HttpResponse:
    context = {"form": form, "day": day, "page_title": title, "cancel_url": cancel_url}
    return render(request, "workshops/form_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def workshop_new(request: HttpRequest, day_id: int) -> HttpResponse:
    day = organiser_day(user=request.user, day_id=day_id)
    form = WorkshopForm(request.POST or None, day=day, submit_label="Add workshop")
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.workshop_create(day=day, by=request.user, details=form.details())
        except (ValidationError, SurgeryError) as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"“{workshop.title}” has been added to the day.")
            return redirect("workshops:day_workshops", day_id=day.pk)
    return _form_page(request, form=form, day=day, title="Add a workshop", cancel_url=_day_url(day))


@login_required
@require_http_methods(["GET", "POST"])
def workshop_edit(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = organiser_workshop(user=request.user, workshop_id=workshop_id)
    day = workshop.day
    form = WorkshopForm(request.POST or None, day=day, workshop=workshop, submit_label="Save changes")
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_update(workshop_id=workshop.pk, by=request.user, details=form.details())
        except (ValidationError, SurgeryError) as error:
            _show_errors(form, error)
        else:
            messages.success(request, "The workshop has been updated.")
            return redirect("workshops:workshop_detail", workshop_id=workshop.pk)
    return _form_page(request, form=form, day=day, title=f"Change “{workshop.title}”", cancel_url=_day_url(day))


@login_required
@require_http_methods(["GET", "POST"])
def workshop_cancel(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = organiser_workshop(user=request.user, workshop_id=workshop_id)
    if request.method == "POST":
        try:
            count = services.workshop_cancel(workshop_id=workshop.pk, by=request.user)
        except SurgeryError as error:
            messages.error(request, error.message)
        else:
            released = "1 place was" if count == 1 else f"{count} places were"
            messages.success(request, f"“{workshop.title}” is cancelled. {released} released.")
        return redirect("workshops:day_workshops", day_id=workshop.day_id)
    return render(request, "workshops/workshop_cancel.html", {"workshop": workshop, "day": workshop.day})


@login_required
@require_http_methods(["GET", "POST"])
def place_cancel(request: HttpRequest, workshop_id: int, registration_id: int) -> HttpResponse:
    """An organiser cancels one person's place from the register: GET asks, POST does it."""
    workshop = organiser_workshop(user=request.user, workshop_id=workshop_id)
    registration = get_object_or_404(
        Registration.objects.select_related("person"), pk=registration_id, workshop=workshop
    )
    name = registration.person.display_name
    if request.method == "POST":
        try:
            services.registration_cancel(registration_id=registration.pk, by=request.user, as_organiser=True)
        except SurgeryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{name} no longer has a place at “{workshop.title}”. They will be emailed.")
        return redirect("workshops:attendee_register", workshop_id=workshop.pk)
    if not registration.is_active:
        messages.error(request, errors.PlaceAlreadyCancelled.default_message)
        return redirect("workshops:attendee_register", workshop_id=workshop.pk)
    if not organiser_may_cancel_places(workshop=workshop, now=timezone.now()):
        messages.error(request, errors.WorkshopStarted.default_message)
        return redirect("workshops:attendee_register", workshop_id=workshop.pk)
    context = {
        "workshop": workshop,
        "day": workshop.day,
        "registration": registration,
        "waiting_count": selectors.waiting_count(workshop=workshop),
    }
    return render(request, "workshops/place_cancel.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def open_space_new(request: HttpRequest, day_id: int) -> HttpResponse:
    day = organiser_day(user=request.user, day_id=day_id)
    form = OpenSpaceForm(request.POST or None, day=day, submit_label="Add open space")
    if request.method == "POST" and form.is_valid():
        try:
            services.open_space_save(day=day, by=request.user, details=form.details())
        except (ValidationError, SurgeryError) as error:
            _show_errors(form, error)
        else:
            messages.success(request, "The open space has been added to the day.")
            return redirect("workshops:day_workshops", day_id=day.pk)
    return _form_page(request, form=form, day=day, title="Add open space", cancel_url=_day_url(day))


@login_required
@require_http_methods(["GET", "POST"])
def open_space_edit(request: HttpRequest, open_space_id: int) -> HttpResponse:
    block = organiser_open_space(user=request.user, open_space_id=open_space_id)
    day = block.day
    form = OpenSpaceForm(request.POST or None, day=day, open_space=block, submit_label="Save changes")
    if request.method == "POST" and form.is_valid():
        try:
            services.open_space_save(day=day, by=request.user, details=form.details(), open_space=block)
        except (ValidationError, SurgeryError) as error:
            _show_errors(form, error)
        else:
            messages.success(request, "The open space has been updated.")
            return redirect("workshops:day_workshops", day_id=day.pk)
    return _form_page(request, form=form, day=day, title=f"Change “{block.title}”", cancel_url=_day_url(day))


@login_required
@require_http_methods(["POST"])
def open_space_delete(request: HttpRequest, open_space_id: int) -> HttpResponse:
    block = organiser_open_space(user=request.user, open_space_id=open_space_id)
    try:
        services.open_space_delete(open_space=block, by=request.user)
    except SurgeryError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{block.title}” has been removed from the day.")
    return redirect("workshops:day_workshops", day_id=block.day_id)


def _day_url(day) -> str:
    return reverse("workshops:day_workshops", kwargs={"day_id": day.pk})
