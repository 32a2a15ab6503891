from django.contrib import admin

from surgeries.models import SurgeryDay, Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "time_zone"]
    list_filter = ["organisation"]


@admin.register(SurgeryDay)
class SurgeryDayAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "starts_at", "status"]
    list_filter = ["status", "organisation"]
