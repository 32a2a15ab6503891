"""The site's URLs plus `/bench/trivial`, a constant page, for `manage.py web_bench` only.

Selected with ROOT_URLCONF=config.bench_urls. The trivial page goes through the same
middleware (sessions, security headers, request ids) as every other page, so the
benchmark can say how much of a page's time is the page itself.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

TRIVIAL_BODY = "ok\n"


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(TRIVIAL_BODY, content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/trivial", trivial, name="bench_trivial"), *site_urlpatterns]
