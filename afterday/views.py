"""After the day: feedback, next-steps notes, "My sessions", the impact report, and
workshop feedback and "did not come" marks.

Thin views: check who is asking, call a selector or a service, render. Someone with
nothing to do with a booking or organisation gets 404; a member of the organisation
who is not the right person gets 403 (see surgeries/access.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from afterday import exporters, services
from afterday.charts import bar_chart
from afterday.forms import (
    DayFeedbackForm,
    ReportPeriodForm,
    SessionFeedbackForm,
    SessionNoteForm,
    WorkshopFeedbackForm,
)
from afterday.selectors import sessions as selectors
from afterday.selectors.report import ImpactReport, impact_report, kept_day_report, kept_day_report_html
from surgeries import errors
from surgeries.access import organiser_day, organiser_organisation, refuse, refuse_viewer, visible_day
from surgeries.models import Booking
from workshops import errors as workshop_errors
from workshops.models import Registration


def _booking_for(request, booking_id: int, *, party: str) -> Booking:
    """The booking if the viewer is its learner (or surgeon); 403 for other members, 404 for outsiders."""
    booking = get_object_or_404(
        Booking.objects.select_related("slot", "day__venue", "day__organisation", "learner", "surgeon"),
        pk=booking_id,
        status=Booking.Status.ACTIVE,
    )
    if getattr(booking, f"{party}_id") != request.user.pk:
        refuse(user=request.user, organisation=booking.day.organisation)
    return booking


@login_required
def my_sessions(request):
    return render(request, "afterday/my_sessions.html", {"mine": selectors.my_sessions(person=request.user)})


@login_required
def session_feedback(request, booking_id: int):
    booking = _booking_for(request, booking_id, party="learner")
    existing = selectors.session_feedback_of(booking=booking, author=request.user)
    fields = ("usefulness", "comment", "comment_audience")
    initial = {name: getattr(existing, name) for name in fields} if existing else None
    form = SessionFeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_feedback_give(booking_id=booking.pk, by=request.user, **form.cleaned_data)
        except errors.SurgeryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Thank you. Your feedback is saved.")
            return redirect("afterday:my_sessions")
    context = {"form": form, "booking": booking, "day": booking.day}
    return render(request, "afterday/session_feedback.html", context)


@login_required
def day_feedback(request, day_id: int):
    day = visible_day(user=request.user, day_id=day_id)
    role = services.helper_role(day=day, person=request.user)
    if role is None:
        refuse_viewer(day)
    existing = selectors.day_feedback_of(day=day, author=request.user, role=role)
    initial = {"usefulness": existing.usefulness, "comment": existing.comment} if existing else None
    form = DayFeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.day_feedback_give(day=day, by=request.user, **form.cleaned_data)
        except errors.SurgeryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Thank you. Your feedback is saved.")
            return redirect("afterday:my_sessions")
    return render(request, "afterday/day_feedback.html", {"form": form, "day": day})


@login_required
def session_note(request, booking_id: int):
    booking = _booking_for(request, booking_id, party="surgeon")
    existing = selectors.session_note_of(booking=booking)
    form = SessionNoteForm(request.POST or None, initial={"text": existing.text} if existing else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_note_write(booking_id=booking.pk, by=request.user, text=form.cleaned_data["text"])
        except errors.SurgeryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Next steps for {booking.learner.display_name} are saved.")
            return redirect("afterday:my_sessions")
    return render(request, "afterday/session_note.html", {"form": form, "booking": booking, "day": booking.day})


@login_required
def notes_download(request):
    """The learner's next steps as a plain-text (Markdown) file they can keep."""
    notes = selectors.learner_notes(person=request.user)
    body = render(request, "afterday/notes.md", {"notes": notes, "person": request.user}).content
    response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-next-steps.md"'
    return response


# --- Impact report -----------------------------------------------------------------


def _charts(report: ImpactReport) -> list[dict]:
    return [
        {
            "id": "chart-topics",
            "title": "Topics asked for",
            "svg": bar_chart(
                chart_id="chart-topics",
                title="Topics asked for",
                description="How many times each topic was asked for. The table below gives the same numbers.",
                rows=[(row.name, row.asked) for row in report.topics],
            ),
        },
        {
            "id": "chart-usefulness",
            "title": "How useful learners found their sessions",
            "svg": bar_chart(
                chart_id="chart-usefulness",
                title="How useful learners found their sessions",
                description="Number of answers for each score from 5 (very useful) to 1 (not useful).",
                rows=report.usefulness,
            ),
        },
        {
            "id": "chart-perspectives",
            "title": "Perspectives people brought",
            "svg": bar_chart(
                chart_id="chart-perspectives",
                title="Perspectives people brought",
                description="People taking part with each perspective, counting only perspectives shared with "
                "organisers.",
                rows=report.perspectives,
            ),
        },
    ]


def _sections_with_charts(report: ImpactReport) -> list[tuple]:
    """Each section with its chart (or None); the section's tables give the same numbers."""
    return [
        (
            section,
            bar_chart(
                chart_id=f"chart-{section.key}",
                title=section.chart_title,
                description=section.chart_description,
                rows=section.chart_rows,
            )
            if section.chart_rows
            else None,
        )
        for section in report.sections
    ]


def _report_html(report: ImpactReport, context: dict) -> str:
    """The report below the page's heading; it shows nothing of who asks."""
    shown = bool(report.day_count)
    part = {
        **context,
        "report": report,
        "charts": _charts(report) if shown else [],
        "sections": _sections_with_charts(report) if shown else [],
    }
    return render_to_string("afterday/_report_body.html", part)


def _report_page(request, report_html: str, context: dict):
    return render(request, "afterday/report.html", {**context, "report_html": report_html})


@login_required
def day_report(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    html = kept_day_report_html(day=day, render=lambda report: _report_html(report, {"day": day}))
    return _report_page(request, html, {"day": day})


def _period(request, organisation) -> tuple[ReportPeriodForm, ImpactReport | None]:
    form = ReportPeriodForm(request.GET if request.GET else None, initial=ReportPeriodForm.default_period())
    period = form.cleaned_data if form.is_bound and form.is_valid() else None
    if not form.is_bound:
        period = ReportPeriodForm.default_period()
    report = impact_report(organisation=organisation, **period) if period else None
    return form, report


@login_required
def organisation_report(request, slug: str):
    organisation = organiser_organisation(user=request.user, slug=slug)
    form, report = _period(request, organisation)
    if report is None:
        return render(request, "afterday/report.html", {"form": form, "organisation": organisation})
    context = {"form": form, "organisation": organisation}
    return _report_page(request, _report_html(report, context), context)


@login_required
def day_report_csv(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    return exporters.report_csv(kept_day_report(day=day), f"impact-day-{day.pk}.csv")


@login_required
def organisation_report_csv(request, slug: str):
    organisation = organiser_organisation(user=request.user, slug=slug)
    _form, report = _period(request, organisation)
    if report is None:
        return redirect("afterday:organisation_report", slug=slug)
    stamp = timezone.localdate().isoformat()
    return exporters.report_csv(report, f"impact-{organisation.slug}-{stamp}.csv")


# --- Workshops -------------------------------------------------------------------


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
    existing = selectors.workshop_feedback_of(registration=registration)
    fields = ("usefulness", "comment", "comment_audience")
    initial = {name: getattr(existing, name) for name in fields} if existing else None
    form = WorkshopFeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_feedback_give(registration_id=registration.pk, by=request.user, **form.cleaned_data)
        except errors.SurgeryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Thank you. Your feedback is saved.")
            return redirect("afterday:my_sessions")
    workshop = registration.workshop
    context = {"form": form, "registration": registration, "workshop": workshop, "day": workshop.day}
    return render(request, "afterday/workshop_feedback.html", context)


@login_required
@require_POST
def registration_no_show(request: HttpRequest, workshop_id: int, registration_id: int) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.select_related("person", "workshop__day__organisation"),
        pk=registration_id,
        workshop_id=workshop_id,
    )
    if not services.can_take_attendance(user=request.user, workshop=registration.workshop):
        refuse(user=request.user, organisation=registration.workshop.day.organisation)
    clear = request.POST.get("clear") == "1"
    try:
        services.registration_mark_no_show(registration_id=registration.pk, by=request.user, no_show=not clear)
    except errors.NotAllowed:
        raise PermissionDenied from None
    except workshop_errors.WorkshopError as error:
        messages.error(request, error.message)
    else:
        name = registration.person.display_name
        messages.success(request, f"{name} is marked as here." if clear else f"{name} is marked as did not come.")
    return redirect("workshops:attendee_register", workshop_id=workshop_id)
