from django.contrib import admin

from outbox.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: rows change state only through the sweep and the services."""

    list_display = ["id", "kind", "recipient", "state", "due_at", "attempts", "sent_at", "last_error"]
    list_filter = ["state", "kind"]
    raw_id_fields = ["recipient"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
