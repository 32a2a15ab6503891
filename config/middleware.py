"""Request checks that apply to every page."""

from django.core.exceptions import BadRequest
from django.utils.cache import patch_cache_control


class RefuseNulCharactersMiddleware:
    """Refuse an address whose path or query string contains a NUL character, with 400.

    No address of ours has one, and PostgreSQL refuses any text containing it, so
    without this check a view looking the value up would fail with a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in query.getlist(key)) for key in query
        ):
            raise BadRequest("The address contains a NUL character.")
        return self.get_response(request)


class PrivateForSignedInMiddleware:
    """Every response to a signed-in person is `Cache-Control: private, no-store`.

    Their pages show their own or other people's private details (profile, bookings,
    desk, day sheets, exports, audit log), and neither a shared computer's browser nor
    a proxy may keep a copy. Pages for visitors who are not signed in stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
