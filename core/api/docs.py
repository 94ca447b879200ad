"""The API's documentation pages, made to work on an office network without internet access.

Both pages load their scripts from drf-spectacular-sidecar's static files. The stock Redoc page
also fetches Google Fonts, and Swagger UI would ask validator.swagger.io about the schema; these
views do neither. Their templates give the inline script and style the request's CSP nonce.
Redoc's sidebar also shows Redocly's logo from cdn.redoc.ly; the CSP's img-src refuses it, and
Redoc then leaves it out.
"""

from django.conf import settings
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView


class OfflineSwaggerView(SpectacularSwaggerView):
    template_name = "core/api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        ui_settings = {**spectacular_settings.SWAGGER_UI_SETTINGS, "validatorUrl": None}
        response.data["settings"] = self._dump(ui_settings)
        return response


class OfflineRedocView(SpectacularRedocView):
    template_name = "core/api/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        # Redoc's bundle adds <style> elements as it loads, before any nonce can reach it, so
        # this page alone allows inline styles; its scripts still need the nonce.
        response = super().get(request, *args, **kwargs)
        response._csp_config = {
            **settings.SECURE_CSP,
            "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        }
        return response


_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_REFUSALS = {
    "400": (
        {"type": "object"},
        _(
            "Refused: messages keyed by the request's fields or parameters (`non_field_errors` "
            "for the record as a whole, with its `code`). Nothing was written."
        ),
    ),
    "401": (_DETAIL, _("No token, or a token that is not valid: `detail` says which.")),
    "403": (_DETAIL, _("Your role does not allow this.")),
    "404": (_DETAIL, _("No such record in the offices you may see, or no such page of a list.")),
}


def document_refusals(result, generator, request, public):
    """drf-spectacular postprocessing hook: the answers every operation may give besides its
    own, so that the schema tells clients the whole truth and a test can hold the API to it.

    Every operation may answer 401 (no or a bad token) and 403 (a role without the
    permission); one that takes path or query parameters may answer 404 (no such record, no
    such page); one that takes query parameters or a body may answer 400. An operation's own
    description of an answer is kept.
    """
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            places = {p.get("in") for p in operation.get("parameters", [])}
            wanted = ["401", "403"]
            if places & {"path", "query"}:
                wanted.append("404")
            if "query" in places or "requestBody" in operation:
                wanted.append("400")
            responses = operation["responses"]
            for code in wanted:
                schema, description = _REFUSALS[code]
                answer = responses.setdefault(code, {"description": str(description)})
                answer.setdefault("content", {"application/json": {"schema": schema}})
    return result
