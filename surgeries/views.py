from django.shortcuts import render

from surgeries import selectors


def home(request):
    days = selectors.upcoming_published_days()
    return render(request, "home.html", {"upcoming_days": days})
