"""Request guards every page and API call shares."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RefuseNullCharacters:
    """Answer 400 to a query string holding a NUL character.

    PostgreSQL cannot store or compare text holding NUL, so such a value would fail deep in a
    list filter or a lookup as a server error; forms and the API's fields refuse it already,
    but list filters and page parameters read the query string directly. The API answers in
    JSON, as its schema says.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            message = _(
                "The address holds a character that is not allowed. Check it and try again."
            )
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": message}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
