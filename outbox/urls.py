from django.urls import path

from outbox import views

urlpatterns = [
    path("account/emails/", views.notification_preferences, name="notification_preferences"),
]
