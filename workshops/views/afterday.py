"""After a workshop: the participant's feedback, and marking who did not come on the register."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from workshops import errors
from workshops.forms_afterday import WorkshopFeedbackForm
from workshops.models import Registration, WorkshopFeedback
from workshops.services import afterday as services
from workshops.views.access import refuse


@login_required
def workshop_feedback(request: HttpRequest, registration_id: int) -> HttpResponse:
    """The participant's own place only: anyone else is told the page does not exist."""
    registration = get_object_or_404(
        Registration.objects.select_related("workshop__day__venue"),
        pk=registration_id,
        status=Registration.Status.ACTIVE,
    )
    if registration.person_id != request.user.pk:
        raise Http404
    existing = WorkshopFeedback.objects.filter(registration=registration).first()
    fields = ("usefulness", "comment", "comment_audience")
    initial = {name: getattr(existing, name) for name in fields} if existing else None
    form = WorkshopFeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_feedback_give(registration_id=registration.pk, by=request.user, **form.cleaned_data)
        except errors.WorkshopError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Thank you. Your feedback is saved.")
            return redirect("afterday:my_sessions")
    workshop = registration.workshop
    context = {"form": form, "registration": registration, "workshop": workshop, "day": workshop.day}
    return render(request, "workshops/workshop_feedback.html", context)


@login_required
@require_POST
def registration_no_show(request: HttpRequest, workshop_id: int, registration_id: int) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.select_related("person", "workshop__day__organisation"),
        pk=registration_id,
        workshop_id=workshop_id,
    )
    if not services.can_take_attendance(user=request.user, workshop=registration.workshop):
        refuse(user=request.user, day=registration.workshop.day)
    clear = request.POST.get("clear") == "1"
    try:
        services.registration_mark_no_show(registration_id=registration.pk, by=request.user, no_show=not clear)
    except errors.NotAllowed:
        raise PermissionDenied from None
    except errors.WorkshopError as error:
        messages.error(request, error.message)
    else:
        name = registration.person.display_name
        messages.success(request, f"{name} is marked as here." if clear else f"{name} is marked as did not come.")
    return redirect("workshops:attendee_register", workshop_id=workshop_id)
