from django.contrib import admin

from workshops.models import OpenSpace, Registration, Workshop, WorkshopWaitingEntry


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "day", "starts_at", "room", "capacity", "status"]
    list_filter = ["status", "day__organisation"]
    search_fields = ["title"]
    # Places and facilitators change through the services, which keep commitments in step.
    readonly_fields = ["status", "cancelled_at"]


@admin.register(OpenSpace)
class OpenSpaceAdmin(admin.ModelAdmin):
    list_display = ["title", "day", "starts_at", "room"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["workshop", "person", "status", "seat_number", "created_at"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in Registration._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(WorkshopWaitingEntry)
class WorkshopWaitingEntryAdmin(admin.ModelAdmin):
    list_display = ["workshop", "person", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in WorkshopWaitingEntry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
