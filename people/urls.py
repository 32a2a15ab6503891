from django.urls import path

from people import views

urlpatterns = [
    path("code-of-conduct/", views.code_of_conduct, name="code_of_conduct"),
]
