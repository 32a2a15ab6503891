"""The organiser's view of how a day's notifications are going.

Kept apart from the day pages, which are being built separately; the URL is wired
in config/urls.py under /days/<id>/.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from people.notifications.selectors import notification_summary_for
from people.selectors import is_organiser
from surgeries.models import SurgeryDay


@login_required
def day_notifications(request, day_id: int):
    day = get_object_or_404(SurgeryDay.objects.select_related("venue", "organisation"), pk=day_id)
    # Not found rather than forbidden: a draft day's existence is not for everyone.
    if not is_organiser(user=request.user, organisation=day.organisation):
        raise Http404("No such surgery day.")
    summary = notification_summary_for(scope=day)
    return render(request, "surgeries/day_notifications.html", {"day": day, "summary": summary})
