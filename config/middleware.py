"""Request checks that apply to every page."""

from django.core.exceptions import BadRequest


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
