"""The organiser's view of how a day's notifications are going (wired under /days/<id>/)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from outbox.selectors import notification_summary_for
from surgeries.access import organiser_day
from surgeries.selectors import withdrawals_of


@login_required
def day_notifications(request, day_id: int):
    # Members who are not organisers are refused; people outside the organisation get
    # "not found", so a draft day's existence is not given away.
    day = organiser_day(user=request.user, day_id=day_id)
    summary = notification_summary_for(scope=day)
    context = {"day": day, "summary": summary, "withdrawals": withdrawals_of(day=day)}
    return render(request, "surgeries/day_notifications.html", context)
