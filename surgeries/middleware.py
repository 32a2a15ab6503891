import zoneinfo

from django.utils import timezone

from surgeries.models import SurgeryDay


class VenueTimeZoneMiddleware:
    """On pages about one surgery day (URLs with `day_id`), show times in its venue's zone.

    Forms and `{{ value|time }}` then use the venue's clock; templates still name
    the zone through the venue_time filters.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        day_id = view_kwargs.get("day_id")
        if day_id is None:
            return None
        zone = SurgeryDay.objects.filter(pk=day_id).values_list("venue__time_zone", flat=True).first()
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        return None
