"""Browsing days and booking a session."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from people.selectors import active_topics_of
from people.topic_forms import topic_form_html
from surgeries import errors, selectors, services
from surgeries.access import visible_day
from surgeries.forms import BookingForm, FreeTimesForm
from surgeries.models import Slot
from surgeries.page_cache import keep_until, kept_for_visitors
from surgeries.selectors.free_times_cache import DayFreeTimes


def home(request):
    days = selectors.upcoming_published_days()
    return render(request, "home.html", {"upcoming_days": days})


@kept_for_visitors
def day_detail(request, day_id: int):
    """The day, and its free times as the person narrows them.

    An htmx request from the filter form or a "See all" link gets only the free
    times part; everyone else, with or without JavaScript, the whole page.
    """
    day = visible_day(user=request.user, day_id=day_id)
    user = request.user
    now = timezone.now()
    # Kept in the cache per day version; a signed-in surgeon's own slots are left out.
    free = DayFreeTimes(day=day, now=now, person_id=user.pk if user.is_authenticated else None)
    form = FreeTimesForm(request.GET, day=day, topics=free.topics(), signed_in=user.is_authenticated)
    query = form.query(page=request.GET.get("page", ""))
    takes_bookings, ignored = day.takes_bookings(now), form.ignored()

    def render_free_times(times) -> str:
        # The part's links are to this page's own address, the same for everyone.
        part = {"free": times, "takes_bookings": takes_bookings, "ignored": ignored, "request": request}
        return render_to_string("surgeries/_free_times.html", part)

    # What the part shows besides the free times: Book buttons, and notes on values
    # it ignored (a few fixed sentences).
    variant = hashlib.sha256(repr((takes_bookings, ignored)).encode()).hexdigest()[:16]

    context = {
        "day": day,
        "takes_bookings": takes_bookings,
        "opens_later": day.opens_for_booking_later(now),
        "filter_form": form,
        "ignored": ignored,
        "free_times_html": free.html(query, variant=variant, render=render_free_times),
        "query": query,
    }
    if _wants_fragment(request) and day.status == day.Status.PUBLISHED:
        response = HttpResponse(context["free_times_html"])
    else:
        if user.is_authenticated:
            mine = selectors.my_part_in_day(day=day, person=user)
            context.update(my_day_bookings=mine.bookings, waiting=mine.waiting, is_surgeon=mine.is_surgeon)
            if day.learner_limit_reached(len(mine.bookings)):
                context["limit_reached"] = errors.SessionLimitReached(len(mine.bookings)).message
            context["waiting_form"] = BookingForm(topics=active_topics_of(organisation_id=day.organisation_id))
        response = render(request, "surgeries/day_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    changes = [moment for moment in (day.next_clock_change(now), free.changes_at) if moment]
    keep_until(response, min(changes, default=None))
    return response


def _wants_fragment(request) -> bool:
    # htmx restoring a page it has no copy of asks for the whole page.
    return request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers


@login_required
def book(request, day_id: int, slot_id: int):
    day = visible_day(user=request.user, day_id=day_id)
    slot = get_object_or_404(Slot.objects.select_related("surgeon", "day_surgeon"), pk=slot_id, day=day)
    topics = active_topics_of(organisation_id=day.organisation_id)
    form = BookingForm(request.POST if request.method == "POST" else None, topics=topics)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_create(
                slot_id=slot.pk,
                learner=request.user,
                topic_ids=[t.pk for t in form.cleaned_data["topics"]],
                note=form.cleaned_data["note"],
            )
        except errors.BookingError as error:
            messages.error(request, error.message)
            return redirect("surgeries:day_detail", day_id=day.pk)
        messages.success(request, "You are booked in. We look forward to seeing you.")
        return redirect("surgeries:my_bookings")
    offered = slot.day_surgeon.topics.all()
    online = day.sessions_online(surgeon_online=slot.day_surgeon.is_online)
    context = {"day": day, "slot": slot, "form": form, "offered": offered, "online": online}
    context["opens_later"] = day.opens_for_booking_later(timezone.now())
    if not form.is_bound and not context["opens_later"]:
        # The empty form is the same for everyone booking with this organisation: kept rendered.
        context["form_html"] = topic_form_html(request, form, name="booking", organisation_id=day.organisation_id)
    return render(request, "surgeries/book.html", context)


@login_required
@require_POST
def waiting_join(request, day_id: int):
    day = visible_day(user=request.user, day_id=day_id)
    form = BookingForm(request.POST, topics=active_topics_of(organisation_id=day.organisation_id))
    if not form.is_valid():
        messages.error(request, "Please check what you entered and try again.")
        return redirect("surgeries:day_detail", day_id=day.pk)
    try:
        services.waiting_list_join(
            day=day,
            person=request.user,
            topic_ids=[t.pk for t in form.cleaned_data["topics"]],
            note=form.cleaned_data["note"],
        )
    except errors.BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You are on the waiting list. If a session frees up, we will book you in.")
    return redirect("surgeries:day_detail", day_id=day.pk)


@login_required
@require_POST
def waiting_leave(request, day_id: int):
    day = visible_day(user=request.user, day_id=day_id)
    services.waiting_list_leave(day=day, person=request.user)
    messages.success(request, "You have left the waiting list.")
    return redirect("surgeries:day_detail", day_id=day.pk)
