"""The API's documentation pages, made to work on an office network without internet access.

Both pages load their scripts from drf-spectacular-sidecar's static files. The stock Redoc page
also fetches Google Fonts, and Swagger UI would ask validator.swagger.io about the schema; these
views do neither. Their templates give the inline script and style the request's CSP nonce.
Redoc's sidebar also shows Redocly's logo from cdn.redoc.ly; the CSP's img-src refuses it, and
Redoc then leaves it out.
"""

from django.conf import settings
from django.utils.csp import CSP
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
