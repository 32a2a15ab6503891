from django.contrib import admin
from django.urls import include, path

from surgeries import views as surgery_views

urlpatterns = [
    path("", surgery_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("", include("people.urls")),
    path("", include("surgeries.urls_matchmaking")),
    path("admin/", admin.site.urls),
]
