"""The one-time sign-in link sent to someone an organiser booked for."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from people import selectors, services

# The backend that would have signed them in with a password; the link stands in for it.
LINK_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@require_http_methods(["GET", "POST"])
def sign_in_link(request, token: str):
    """Opening the link only shows a button: mail scanners that open links must not use it up."""
    if request.method == "POST":
        try:
            person = services.sign_in_link_use(token=token)
        except services.PeopleError as error:
            return render(request, "people/sign_in_link.html", {"usable": False, "error": str(error)}, status=410)
        login(request, person, backend=LINK_BACKEND)
        messages.success(request, f"You are signed in, {person.display_name}.")
        return redirect(settings.LOGIN_REDIRECT_URL)
    link = selectors.sign_in_link_by_token_hash(token_hash=services.hash_token(token))
    usable = link is not None and link.is_usable
    context = {"usable": usable, "error": "" if usable else services.SIGN_IN_LINK_NOT_VALID}
    return render(request, "people/sign_in_link.html", context, status=200 if usable else 410)
