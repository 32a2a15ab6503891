from django.urls import path

from people import views
from people.notifications import views as notification_views

urlpatterns = [
    path("code-of-conduct/", views.code_of_conduct, name="code_of_conduct"),
    path(
        "account/emails/",
        notification_views.notification_preferences,
        name="notification_preferences",
    ),
]
