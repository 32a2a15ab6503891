"""The organisers' pages about the people of a day: messages to them, the attendee
list as a download, and the printed sign-in sheet and desk list.

Every page is for the day's organisers only (`organiser_day`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from people.models import AuditEntry
from people.services import audit_record_many
from surgeries import exporters, selectors, services
from surgeries.access import organiser_day
from surgeries.errors import MessageError, RecipientsChanged
from surgeries.forms import DayMessageConfirmForm, DayMessageForm, ReminderWordingForm
from surgeries.models import DayMessage, ReminderWording

# A printed page holds this many names, so a sheet never runs on with no header.
NAMES_PER_PAGE = 30
# What the attendee list can show that is special-category data, for the audit log.
SPECIAL_FIELDS = frozenset({"access_needs", "perspectives"})


@login_required
def day_messages(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    form = DayMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.day_message_draft(day=day, by=request.user, **form.cleaned_data)
        except MessageError as error:
            form.add_error("body", error.message)
        else:
            return redirect("surgeries:day_message_preview", day_id=day.pk, message_id=message.pk)
    context = {"day": day, "form": form, "sent": selectors.day_messages_sent(day=day)}
    return render(request, "surgeries/day_messages.html", context)


def _message(request, day_id: int, message_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    return day, get_object_or_404(DayMessage, pk=message_id, day=day)


@login_required
def day_message_preview(request, day_id: int, message_id: int):
    day, message = _message(request, day_id, message_id)
    count = message.recipient_count
    if not message.is_sent:
        count = selectors.message_recipients(day=day, group=message.group, is_essential=message.is_essential).count()
    context = {
        "day": day,
        "message": message,
        "count": count,
        "confirm_form": DayMessageConfirmForm(initial={"expected_count": count}),
    }
    return render(request, "surgeries/day_message_preview.html", context)


@login_required
@require_POST
def day_message_send(request, day_id: int, message_id: int):
    day, message = _message(request, day_id, message_id)
    form = DayMessageConfirmForm(request.POST)
    preview = redirect("surgeries:day_message_preview", day_id=day.pk, message_id=message.pk)
    if not form.is_valid():
        messages.error(request, "Please check the message again before sending it.")
        return preview
    if message.is_sent:
        messages.info(request, "This message was sent already; it has not been sent again.")
        return redirect("surgeries:day_messages", day_id=day.pk)
    try:
        sent = services.day_message_send(
            message_id=message.pk, by=request.user, expected_count=form.cleaned_data["expected_count"]
        )
    except RecipientsChanged as error:
        messages.warning(request, error.message)
        return preview
    except MessageError as error:
        messages.error(request, error.message)
        return preview
    people = "person" if sent.recipient_count == 1 else "people"
    messages.success(request, f"Your message is on its way to {sent.recipient_count} {people}.")
    return redirect("surgeries:day_messages", day_id=day.pk)


@login_required
def reminder_wording(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    kinds = ReminderWording.Reminder
    saved = {w.kind: w for w in ReminderWording.objects.filter(day=day)}
    forms = {
        kind: ReminderWordingForm(
            request.POST if request.method == "POST" and request.POST.get("kind") == kind.value else None,
            prefix=kind.name.lower(),
            initial={
                "subject": getattr(saved.get(kind), "subject", ""),
                "opening": getattr(saved.get(kind), "opening", ""),
            },
        )
        for kind in kinds
    }
    if request.method == "POST":
        form = forms.get(request.POST.get("kind"))
        if form is None:
            messages.error(request, "Choose one of the reminders.")
        elif form.is_valid():
            services.reminder_wording_set(day=day, kind=request.POST["kind"], **form.cleaned_data)
            messages.success(
                request, f"The wording of the {kinds(request.POST['kind']).label.split(' (')[0].lower()} is saved."
            )
            return redirect("surgeries:reminder_wording", day_id=day.pk)
    rows = [{"kind": kind, "form": form} for kind, form in forms.items()]
    return render(request, "surgeries/reminder_wording.html", {"day": day, "rows": rows})


# --- lists and sheets -----------------------------------------------------------


def _attendees(request, day_id: int):
    """The day and its attendee rows, noting in the audit log whose special-category data was shown."""
    day = organiser_day(user=request.user, day_id=day_id)
    rows = selectors.attendee_rows(day=day, viewer=request.user)
    shown = {row.learner_id: sorted(SPECIAL_FIELDS & set(row.shown)) for row in rows}
    audit_record_many(actor=request.user, action=AuditEntry.Action.VIEWED, fields_by_subject=shown)
    return day, rows


@login_required
def attendees_csv(request, day_id: int):
    day, rows = _attendees(request, day_id)
    return exporters.attendees_csv(day, rows)


@login_required
def attendees_xlsx(request, day_id: int):
    day, rows = _attendees(request, day_id)
    return exporters.attendees_xlsx(day, rows)


def _pages(rows: list) -> list[list]:
    return [rows[start : start + NAMES_PER_PAGE] for start in range(0, len(rows), NAMES_PER_PAGE)] or [[]]


@login_required
def sign_in_sheet(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    # Names and times only: a sheet on a table is seen by everyone who signs it.
    rows = list(selectors.day_bookings(day=day))
    return render(request, "surgeries/sign_in_sheet.html", {"day": day, "pages": _pages(rows), "total": len(rows)})


@login_required
def desk_list(request, day_id: int):
    day, rows = _attendees(request, day_id)
    return render(request, "surgeries/desk_list.html", {"day": day, "pages": _pages(rows), "total": len(rows)})
