from django.contrib import admin
from django.urls import include, path

from config import health, metrics
from surgeries import notification_views
from surgeries import views as surgery_views

urlpatterns = [
    path("", surgery_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("", include("people.urls")),
    path("", include("outbox.urls")),
    path("days/<int:day_id>/notifications/", notification_views.day_notifications, name="day_notifications"),
    path("", include("surgeries.urls")),
    path("", include("workshops.urls")),
    path("", include("matchmaking.urls")),
    path("after/", include("surgeries.urls_afterday")),
    path("organisations/<slug:slug>/directory/", include("people.urls_directory")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
]
