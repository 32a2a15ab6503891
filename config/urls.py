from django.contrib import admin
from django.urls import include, path

from afterday import urls as afterday_urls
from config import health, metrics
from programme import urls as programme_urls
from surgeries import urls as surgery_urls
from surgeries import views as surgery_views
from surgeries.views import notifications as notification_views
from workshops import urls as workshop_urls

urlpatterns = [
    path("", surgery_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("", include("people.urls")),
    path("", include("outbox.urls")),
    path("days/<int:day_id>/notifications/", notification_views.day_notifications, name="day_notifications"),
    # The programme and "My bookings" live in programme, under the surgeries' names.
    path("", include((surgery_urls.urlpatterns + programme_urls.surgery_urlpatterns, surgery_urls.app_name))),
    # Workshop feedback and "did not come" marks live in afterday, under the workshops' names.
    path("", include((workshop_urls.urlpatterns + afterday_urls.workshop_urlpatterns, workshop_urls.app_name))),
    path("", include("matchmaking.urls")),
    path("after/", include("afterday.urls")),
    path("organisations/<slug:slug>/", include("directory.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
]
