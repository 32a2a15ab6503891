from django.conf import settings
from django.shortcuts import render


def code_of_conduct(request):
    return render(request, "people/code_of_conduct.html", {"version": settings.CODE_OF_CONDUCT_VERSION})
