"""Organisers planning days: venues, days, publishing, cancelling, inviting surgeons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from people.selectors import organisations_organised_with_requests
from surgeries import errors, selectors, services
from surgeries.access import organiser_day, organiser_organisation
from surgeries.forms import DayForm, InviteSurgeonForm, SurgeonOnlineForm, VenueForm
from surgeries.models import DaySurgeon, SurgeryDay


@login_required
def organise_home(request):
    organisations = list(organisations_organised_with_requests(user=request.user))
    if not organisations:
        raise PermissionDenied("Organising pages are for the organisers of a surgery network.")
    days = selectors.days_organised_by(user=request.user)
    return render(request, "surgeries/organise_home.html", {"organisations": organisations, "days": days})


@login_required
def venue_new(request, slug: str):
    organisation = organiser_organisation(user=request.user, slug=slug)
    form = VenueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.venue_create(organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Venue saved.")
            return redirect("surgeries:day_new", slug=organisation.slug)
    return render(request, "surgeries/form_page.html", {"form": form, "heading": f"New venue for {organisation}"})


def _save_day(request, form, save):
    try:
        return save(form.details())
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    except errors.SurgeryError as error:
        form.add_error(None, error.message)
    return None


@login_required
def day_new(request, slug: str):
    organisation = organiser_organisation(user=request.user, slug=slug)
    if not organisation.venues.exists():
        messages.info(request, "Add a venue first: every day needs one.")
        return redirect("surgeries:venue_new", slug=organisation.slug)
    form = DayForm(request.POST if request.method == "POST" else None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        day = _save_day(
            request, form, lambda d: services.day_create(organisation=organisation, by=request.user, details=d)
        )
        if day:
            messages.success(request, "Draft day saved. Only organisers can see it until you publish it.")
            return redirect("surgeries:day_manage", day_id=day.pk)
    return render(request, "surgeries/form_page.html", {"form": form, "heading": "Plan a surgery day"})


@login_required
def day_edit(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    form = DayForm(
        request.POST if request.method == "POST" else None,
        organisation=day.organisation,
        initial=DayForm.initial_for(day),
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_day(request, form, lambda d: services.day_update(day=day, by=request.user, details=d))
        if saved:
            messages.success(request, "Changes saved.")
            return redirect("surgeries:day_manage", day_id=day.pk)
    return render(request, "surgeries/form_page.html", {"form": form, "heading": f"Change {day.title}", "day": day})


@login_required
def day_manage(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    surgeons = DaySurgeon.objects.filter(day=day).select_related("person").prefetch_related("windows")
    context = {
        "day": day,
        "surgeons": surgeons,
        "invite_form": InviteSurgeonForm(day=day),
        "waiting": selectors.waiting_list(day=day),
    }
    return render(request, "surgeries/day_manage.html", context)


@login_required
@require_POST
def day_publish(request, day_id: int):
    """Publish a draft; if it has no surgeons or nothing free, first say so and ask again."""
    day = organiser_day(user=request.user, day_id=day_id)
    if day.status == SurgeryDay.Status.DRAFT and request.POST.get("anyway") != "yes":
        warnings = selectors.publish_warnings(day=day)
        if warnings:
            return render(request, "surgeries/day_publish_confirm.html", {"day": day, "warnings": warnings})
    try:
        services.day_publish(day=day, by=request.user)
    except errors.SurgeryError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The day is published. People can now see it and book.")
    return redirect("surgeries:day_manage", day_id=day.pk)


@login_required
def day_cancel(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    if request.method == "POST":
        try:
            count = services.day_cancel(day=day, by=request.user)
        except errors.SurgeryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"The day is cancelled, and so are its {count} bookings.")
        return redirect("surgeries:day_manage", day_id=day.pk)
    return render(request, "surgeries/day_cancel.html", {"day": day})


@login_required
@require_POST
def surgeon_invite(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    form = InviteSurgeonForm(request.POST, day=day)
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.surgeon_join(day=day, person=person, by=request.user)
        except errors.SurgeryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{person.display_name} is a surgeon on this day and can now set availability.")
    else:
        messages.error(request, "Please choose a member to invite.")
    return redirect("surgeries:day_manage", day_id=day.pk)


@login_required
def surgeon_online(request, day_id: int, day_surgeon_id: int):
    """An organiser marks one surgeon's sessions online (on a hybrid day) and sets their video link."""
    day = organiser_day(user=request.user, day_id=day_id)
    if day.mode == SurgeryDay.Mode.IN_PERSON:
        raise Http404("An in-person day has no online sessions.")
    day_surgeon = get_object_or_404(DaySurgeon.objects.select_related("person"), pk=day_surgeon_id, day=day)
    initial = {"is_online": day_surgeon.is_online, "video_link": day_surgeon.video_link}
    form = SurgeonOnlineForm(request.POST if request.method == "POST" else None, day=day, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.surgeon_online_set(
                day_surgeon=day_surgeon,
                by=request.user,
                is_online=form.cleaned_data.get("is_online", False),
                video_link=form.cleaned_data["video_link"],
            )
        except errors.SurgeryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Saved how {day_surgeon.person.display_name} meets people.")
            return redirect("surgeries:day_manage", day_id=day.pk)
    heading = f"Online sessions: {day_surgeon.person.display_name}"
    return render(request, "surgeries/form_page.html", {"form": form, "heading": heading, "day": day})
