"""Organisers copying a day to another date and repeating it as a series.

Each step that makes days shows what it will do first and waits for a second,
explicit press, in plain forms that need no JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from surgeries import errors, services
from surgeries.access import organiser_day, organiser_series
from surgeries.forms_series import CopyDayForm, SeriesDateForm, SeriesRuleForm
from surgeries.selectors.series import series_days
from surgeries.services.copies import local_date, shift_to

COPIED = "surgeries_day_copied"


@login_required
def day_copy(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    form = CopyDayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            copied = services.day_copy(day=day, by=request.user, on=form.cleaned_data["date"])
        except errors.SurgeryError as error:
            form.add_error("date", error.message)
        else:
            # What was copied, for the next page to show once (a reload shows it again).
            request.session[COPIED] = {
                "day": copied.day.pk,
                "source": day.pk,
                "surgeons": copied.surgeons,
                "programme": copied.programme,
            }
            return redirect("surgeries:day_copied", day_id=copied.day.pk)
    return render(request, "surgeries/day_copy.html", {"day": day, "form": form})


@login_required
def day_copied(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    copied = request.session.get(COPIED) or {}
    if copied.get("day") != day.pk:
        return redirect("surgeries:day_manage", day_id=day.pk)
    return render(request, "surgeries/day_copied.html", {"day": day, "copied": copied})


def _starts(day, dates) -> list:
    """When each new date would start, for the page to show in the venue's time."""
    return [shift_to(day, held)(day.starts_at) for _on, held in dates]


def _rule_form(request, day, **kwargs) -> SeriesRuleForm:
    on = local_date(day)
    week = min((on.day - 1) // 7 + 1, 4)
    data = request.POST if request.method == "POST" else None
    return SeriesRuleForm(data, weekday=on.weekday(), week_of_month=week, **kwargs)


@login_required
def series_new(request, day_id: int):
    day = organiser_day(user=request.user, day_id=day_id)
    form = _rule_form(request, day)
    if request.method == "POST" and form.is_valid():
        rule = form.rule()
        try:
            if "confirm" in request.POST:
                series = services.series_create(day=day, by=request.user, rule=rule)
                messages.success(request, f"{series.days.count()} draft days are ready. Publish each when it is ready.")
                return redirect("surgeries:series_manage", series_id=series.pk)
            dates = services.series_dates(source=day, rule=rule)
        except errors.SurgeryError as error:
            form.add_error(None, error.message)
        else:
            if "edit" not in request.POST:
                context = {"day": day, "form": form, "rule": rule, "starts": _starts(day, dates)}
                return render(request, "surgeries/series_preview.html", context)
    return render(request, "surgeries/series_form.html", {"day": day, "form": form, "heading": "Repeat this day"})


@login_required
def series_manage(request, series_id: int):
    series = organiser_series(user=request.user, series_id=series_id)
    days = list(series_days(series))
    context = {
        "series": series,
        "source": series.source_day,
        "rule": services.rule_of(series),
        "days": days,
        "changeable": {day.pk for day in days if services.series_may_change(day)},
        "skipped": series.exceptions.filter(moved_to__isnull=True),
    }
    return render(request, "surgeries/series_manage.html", context)


@login_required
def series_edit(request, series_id: int):
    series = organiser_series(user=request.user, series_id=series_id)
    source = series.source_day
    form = _rule_form(request, source, initial=SeriesRuleForm.initial_for(series))
    if request.method == "POST" and form.is_valid():
        rule = form.rule()
        try:
            if "confirm" in request.POST:
                plan = services.series_update(series=series, by=request.user, rule=rule)
                messages.success(
                    request, f"Series changed: {len(plan.add)} dates added, {len(plan.remove)} drafts removed."
                )
                return redirect("surgeries:series_manage", series_id=series.pk)
            plan = services.series_plan(series=series, rule=rule)
        except errors.SurgeryError as error:
            form.add_error(None, error.message)
        else:
            if "edit" not in request.POST:
                starts = _starts(source, plan.add)
                context = {"day": source, "series": series, "form": form, "rule": rule, "plan": plan, "starts": starts}
                return render(request, "surgeries/series_preview.html", context)
    context = {"day": source, "series": series, "form": form, "heading": "Change the series"}
    return render(request, "surgeries/series_form.html", context)


def _date_change(request, series_id: int, change, done: str):
    series = organiser_series(user=request.user, series_id=series_id)
    form = SeriesDateForm(request.POST)
    if not form.is_valid() and "on" in form.errors:
        return HttpResponseBadRequest("That is not a date of this series.")
    if form.is_valid():
        try:
            change(series=series, **form.cleaned_data)
        except errors.SurgeryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done.format(**form.cleaned_data))
    else:
        messages.error(request, " ".join(form.errors["to"]))
    return redirect("surgeries:series_manage", series_id=series.pk)


@login_required
@require_POST
def series_skip(request, series_id: int):
    def skip(*, series, on, to):
        services.series_skip(series=series, by=request.user, on=on)

    return _date_change(request, series_id, skip, "The date of {on:%-d %B %Y} is skipped.")


@login_required
@require_POST
def series_move(request, series_id: int):
    def move(*, series, on, to):
        if to is None:
            raise errors.DayError("Choose the new date.")
        services.series_move(series=series, by=request.user, on=on, to=to)

    return _date_change(request, series_id, move, "The date of {on:%-d %B %Y} is moved to {to:%-d %B %Y}.")


@login_required
def series_refresh(request, series_id: int):
    """Bring the future drafts up to date with the first day, after a confirmation page
    that names them: their own edits are replaced."""
    series = organiser_series(user=request.user, series_id=series_id)
    if request.method == "POST":
        try:
            days = services.series_refresh(series=series, by=request.user)
        except errors.SurgeryError as error:
            messages.error(request, error.message)
        else:
            if days:
                messages.success(request, f"{len(days)} drafts now match the first day.")
            else:
                messages.info(request, "There are no drafts still to come, so nothing changed.")
        return redirect("surgeries:series_manage", series_id=series.pk)
    context = {"series": series, "source": series.source_day, "days": services.series_drafts_to_refresh(series)}
    return render(request, "surgeries/series_refresh.html", context)
