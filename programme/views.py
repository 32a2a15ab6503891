"""The day's programme, and a person's own bookings: list, cancel, reschedule, calendar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from programme.agenda import my_bookings as agenda_my_bookings
from programme.calendar import feed_ics
from programme.selectors import (
    COMPACT_ABOVE,
    SURGEONS_PER_PAGE,
    calendar_feed_of,
    kept_hours,
    kept_surgeon_ids,
    kept_timeline,
)
from surgeries import errors, selectors, services
from surgeries.access import ORGANISER, visible_day
from surgeries.calendar import bookings_to_ics
from surgeries.day_version import day_version
from surgeries.forms import SlotChoiceForm
from surgeries.models import Booking, CalendarFeed
from surgeries.page_cache import keep_until, kept_for_visitors

ICS_TYPE = "text/calendar; charset=utf-8"
PROGRAMME_VIEWS = ("compact", "full")


@kept_for_visitors
def programme(request, day_id: int):
    """Everyone sees free and booked; only organisers (and the two people in it) see who.

    A big day opens on the compact view, one line an hour; the full view shows a
    page of surgeons at a time.
    """
    day = visible_day(user=request.user, day_id=day_id)
    # What the programme shows is kept in the cache under the day's version.
    version = day_version(day.pk)
    surgeon_ids = kept_surgeon_ids(day=day, version=version)
    big = len(surgeon_ids) > COMPACT_ABOVE
    view, notices = request.GET.get("view", ""), []
    if view not in PROGRAMME_VIEWS:
        if view:
            notices.append("That view of the programme is not one we know, so it shows the usual one.")
        view = "compact" if big else "full"
    context = {"day": day, "view": view, "notices": notices, "big": big, "surgeon_count": len(surgeon_ids)}
    if view == "compact":
        context["hours"] = kept_hours(day=day, version=version)
    else:
        # get_page: a page that is not a number gives the first page, one past the end the last.
        page = Paginator(surgeon_ids, SURGEONS_PER_PAGE).get_page(request.GET.get("page"))
        context["page"] = page
        context["timeline"] = kept_timeline(
            day=day,
            version=version,
            sees_names=day.viewer_access == ORGANISER,
            viewer_id=request.user.pk if request.user.is_authenticated else None,
            page=page.number,
            day_surgeon_ids=list(page.object_list),
        )
    response = render(request, "programme/programme.html", context)
    # The day's status at the top changes by the clock (booking opens or closes).
    keep_until(response, day.next_clock_change(timezone.now()))
    return response


def _own_active_booking(request, booking_id: int) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related("day__venue", "day__organisation", "slot", "surgeon"),
        pk=booking_id,
        learner=request.user,
        status=Booking.Status.ACTIVE,
    )


@login_required
def my_bookings(request):
    feed = calendar_feed_of(person=request.user)
    feed_url = request.build_absolute_uri(reverse("surgeries:calendar_feed", args=[feed.token])) if feed else None
    context = {"mine": agenda_my_bookings(person=request.user), "feed_url": feed_url}
    return render(request, "programme/my_bookings.html", context)


@login_required
def cancel(request, booking_id: int):
    booking = _own_active_booking(request, booking_id)
    if request.method == "POST":
        try:
            services.booking_cancel(booking_id=booking.pk, by=request.user)
        except errors.SurgeryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Your booking is cancelled.")
        return redirect("surgeries:my_bookings")
    return render(request, "programme/cancel.html", {"booking": booking, "day": booking.day})


@login_required
def reschedule(request, booking_id: int):
    booking = _own_active_booking(request, booking_id)
    slots = [
        s
        for s in selectors.free_slots(day=booking.day, exclude_person_id=request.user.pk)
        if s.surgeon_id != booking.surgeon_id or s.pk != booking.slot_id
    ]
    form = SlotChoiceForm(request.POST if request.method == "POST" else None, slots=slots, zone=booking.day.time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_reschedule(booking_id=booking.pk, new_slot_id=form.cleaned_data["slot"], by=request.user)
        except errors.SurgeryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Your booking has moved to the new time.")
            return redirect("surgeries:my_bookings")
    # A big day has a thousand free sessions: they are offered an hour at a time.
    hours = form.offer_one_hour(slots=slots, zone=booking.day.time_zone, asked=request.GET.get("from", ""))
    context = {"booking": booking, "day": booking.day, "form": form, **hours}
    return render(request, "programme/reschedule.html", context)


def _ics_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The calendar feed is fetched without signing in, so the middleware that keeps
    # signed-in pages out of caches does not see it.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def booking_ics(request, booking_id: int):
    bookings = selectors.calendar_bookings(person=request.user).filter(pk=booking_id)
    booking = get_object_or_404(bookings)
    return _ics_response(bookings_to_ics([booking], viewer_id=request.user.pk), f"surgery-session-{booking.pk}.ics")


def calendar_feed(request, token: str):
    """Calendar apps cannot log in, so the secret token in the address is the key."""
    # An address from before an account was closed must stop working.
    feed = get_object_or_404(CalendarFeed.objects.select_related("person"), token=token, person__is_active=True)
    return _ics_response(feed_ics(person=feed.person), "surgery-day.ics")


@login_required
@require_POST
def calendar_feed_reset(request):
    services.calendar_feed_renew(person=request.user)
    messages.success(request, "Your calendar address is ready. Any older address no longer works.")
    return redirect("surgeries:my_bookings")
