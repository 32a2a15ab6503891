from django.contrib import admin

from surgeries.models import Booking, DaySurgeon, SurgeryDay, Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "time_zone"]
    list_filter = ["organisation"]


@admin.register(SurgeryDay)
class SurgeryDayAdmin(admin.ModelAdmin):
    """The status changes only through the site: cancelling there also cancels the day's
    bookings and workshops and tells everyone (surgeries.services.days), which a bare
    save here would skip."""

    list_display = ["title", "organisation", "starts_at", "status"]
    list_filter = ["status", "organisation"]
    readonly_fields = ["status"]


@admin.register(DaySurgeon)
class DaySurgeonAdmin(admin.ModelAdmin):
    list_display = ["person", "day", "max_sessions", "joined_via"]
    list_filter = ["day__organisation"]
    raw_id_fields = ["person", "day"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read-only: bookings change through the site so the locking rules always apply."""

    list_display = ["day", "slot", "learner", "surgeon", "status", "checked_in_at"]
    list_filter = ["status", "day__organisation"]
    # The note can hold personal details; it is not listed or searched here.
    exclude = ["note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
