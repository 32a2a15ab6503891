"""Matchmaking URLs, under the namespace "matchmaking"."""

from django.urls import path

from matchmaking import views

app_name = "matchmaking"

urlpatterns = [
    path("days/<int:day_id>/match-me/", views.request_edit, name="request"),
    path("days/<int:day_id>/best-matches/", views.best_matches, name="best_matches"),
    path("days/<int:day_id>/matchmaking/", views.proposal, name="proposal"),
    path("days/<int:day_id>/matchmaking/run/", views.run, name="run"),
    path("days/<int:day_id>/matchmaking/confirm/", views.confirm, name="confirm"),
    path("days/<int:day_id>/matchmaking/confirmations/<int:proposal_id>/", views.confirmation, name="confirmation"),
    path("days/<int:day_id>/matchmaking/pairs/<int:pair_id>/lock/", views.pair_lock, name="pair_lock"),
    path("days/<int:day_id>/matchmaking/pairs/<int:pair_id>/remove/", views.pair_remove, name="pair_remove"),
    path("days/<int:day_id>/matchmaking/requests/<int:request_id>/", views.learner_slot, name="learner_slot"),
]
