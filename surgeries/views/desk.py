"""The organisers' desk on the day."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from people import selectors as people_selectors
from people.phones import phone_for_display
from people.services import was_given_an_address
from surgeries import errors, selectors, services
from surgeries.access import organiser_day
from surgeries.forms import DeskFilterForm, OrganiserNoteForm, SlotChoiceForm, WalkInForm
from surgeries.forms_on_behalf import BookForSomeoneForm
from surgeries.models import Booking, SurgeryDay

DESK_PAGE_SIZE = 25


def _kept(search: str, show: str) -> dict[str, str]:
    """The search and list worth keeping in an address (not the defaults)."""
    return {key: value for key, value in (("q", search), ("show", show)) if value and value != "all"}


def _desk_list(day: SurgeryDay, params: QueryDict) -> dict:
    """The filtered, paged list: the search, the list chosen, the page and its rows."""
    filters = DeskFilterForm(params)
    search, show, notices = filters.filters()
    bookings = selectors.desk_bookings(day=day, now=timezone.now(), search=search, show=show)
    # get_page: a page that is not a number gives the first page, one past the end the last.
    page = Paginator(bookings, DESK_PAGE_SIZE).get_page(params.get("page"))
    kept = _kept(search, show)
    return {
        "day": day,
        "filters": filters,
        "search": search,
        "show": show,
        "notices": notices,
        "page": page,
        "sections": selectors.desk_sections(day=day, bookings=page.object_list),
        "desk_url": reverse("surgeries:desk", args=[day.pk]),
        "filter_query": urlencode(kept),
        # Where the check-in and no-show buttons come back to: this page of this list.
        "back": urlencode({**kept, "page": page.number}),
    }


def _desk_page(request, day: SurgeryDay):
    context = _desk_list(day, request.GET)
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        # The search box and the page links swap only the list.
        response = render(request, "surgeries/_desk_list.html", context)
    else:
        context["retention_days"] = settings.RETENTION_DAYS
        response = render(request, "surgeries/desk.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def desk(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    return _desk_page(request, day)


def _back_to_desk(request, day: SurgeryDay):
    """To the desk as the organiser left it: same search, list and page (each checked again)."""
    back = QueryDict(request.POST.get("back", "")[:300])
    search, show, _ = DeskFilterForm(back).filters()
    page = back.get("page", "")
    kept = _kept(search, show)
    if page.isdigit() and page != "1":
        kept["page"] = page
    address = reverse("surgeries:desk", args=[day.pk])
    return redirect(f"{address}?{urlencode(kept)}" if kept else address)


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
    return _back_to_desk(request, day)


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
    return _back_to_desk(request, day)


@login_required
def desk_move(request, day_id: int, booking_id: int):
    """Move a booking to any free session; on a big day they are offered an hour at a time."""
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
    hours = form.offer_one_hour(slots=slots, zone=day.time_zone, asked=request.GET.get("from", ""))
    context = {"day": day, "booking": booking, "form": form, **hours}
    return render(request, "surgeries/desk_move.html", context)


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
def desk_walk_in(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    data = request.POST if request.method == "POST" else None
    slots = selectors.free_slots(day=day)
    form = WalkInForm(data, slots=slots, zone=day.time_zone, limit=day.max_sessions_per_learner)
    if request.method == "POST" and form.is_valid():
        try:
            services.walk_in_book(
                day=day,
                by=request.user,
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                slot_id=form.cleaned_data["slot"],
                consent=form.cleaned_data["consent"],
                beyond_limit=form.cleaned_data.get("beyond_limit", False),
            )
        except errors.SessionLimitReached as error:
            form.add_error("beyond_limit", f"{error.message} Tick the box to book them beyond the limit.")
        except errors.SurgeryError as error:
            messages.error(request, error.message)
        else:
            # Only what the organiser typed: an existing account's own name is not theirs to learn here.
            name = form.cleaned_data["display_name"].strip() or "The walk-in"
            messages.success(request, f"{name} is booked in as a walk-in.")
            return redirect("surgeries:desk", day_id=day.pk)
    hours = form.offer_one_hour(slots=slots, zone=day.time_zone, asked=request.GET.get("from", ""))
    context = {"day": day, "form": form, **hours}
    return render(request, "surgeries/desk_walk_in.html", context)


@login_required
def desk_book_for(request, day_id: int):
    """Book for someone who asked by phone or in person, any time until the day ends."""
    day = organiser_day(user=request.user, day_id=day_id)
    search = request.GET.get("q", "").strip()[:80]
    slots = selectors.free_slots(day=day)
    members = people_selectors.members_named(organisation=day.organisation, search=search)
    data = request.POST if request.method == "POST" else None
    form = BookForSomeoneForm(data, day=day, members=members, slots=slots)
    asked_about = None  # the member a "Is this Sam B?" question is about
    if request.method == "POST" and form.is_valid():
        try:
            booked = services.booking_for_someone(
                day=day,
                by=request.user,
                someone=form.someone(),
                slot_id=form.cleaned_data["slot"],
                topic_ids=form.cleaned_data["topics"],
                on_behalf=form.cleaned_data["on_behalf"],
                consent=form.cleaned_data["consent"],
            )
        except errors.SamePhoneAsMember as error:
            form.ask_about_phone(member_name=error.member_name)
            asked_about = people_selectors.member_of(organisation=day.organisation, person_id=error.member_id)
        except errors.SurgeryError as error:
            form.add_error(None, error.message)
        else:
            return redirect("surgeries:desk_booked_for", day_id=day.pk, booking_id=booked.booking.pk)
    if asked_about is None and form.is_bound and form.cleaned_data.get("phone_match_id"):
        # The question stays on the page while it is being answered.
        asked_about = people_selectors.member_of(
            organisation=day.organisation, person_id=form.cleaned_data["phone_match_id"]
        )
    hours = form.offer_one_hour(slots=slots, zone=day.time_zone, asked=request.GET.get("from", ""))
    keep = urlencode({"q": search}) if search else ""
    context = {"day": day, "form": form, "search": search, "keep": keep, "asked_about": asked_about, **hours}
    return render(request, "surgeries/desk_book_for.html", context)


@login_required
def desk_booked_for(request, day_id: int, booking_id: int):
    """What the organiser needs after booking: the time, and whether they must tell the person."""
    day, booking = _desk_booking(request, day_id, booking_id)
    context = {
        "day": day,
        "booking": booking,
        # The same for an address whose account lives elsewhere, so the page never tells.
        "emailed": was_given_an_address(booking.learner),
        # The organiser of a day the person is booked on: the one who may see the number.
        "phone": phone_for_display(booking.learner.phone),
    }
    return render(request, "surgeries/desk_booked_for.html", context)
