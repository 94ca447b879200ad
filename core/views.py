"""The answers to errors Django itself gives (handler400, 403, 404 and 500 in config/urls.py).

Pages get the plain Korean templates of `templates/400.html` and the like; the API's paths get
JSON with a `detail`, as the API's schema promises for every operation. The 500 answer needs
neither the database nor context processors: it renders when they are what failed.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def _json(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _api(request):
        return _json(_("The request could not be understood."), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _api(request):
        return _json(_("Your role does not allow this."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _api(request):
        return _json(_("No such address in the API."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _api(request):
        return _json(_("Something went wrong on our side; the error has been recorded."), 500)
    return defaults.server_error(request)
