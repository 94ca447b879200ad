"""The API's documentation pages, made to work on an office network without internet access.

Both pages load their scripts from drf-spectacular-sidecar's static files. The stock Redoc page
also fetches Google Fonts, and Swagger UI would ask validator.swagger.io about the schema; these
views do neither. Their templates give the inline script and style the request's CSP nonce.
"""

from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView


class OfflineSwaggerView(SpectacularSwaggerView):
    template_name = "core/api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        settings = {**spectacular_settings.SWAGGER_UI_SETTINGS, "validatorUrl": None}
        response.data["settings"] = self._dump(settings)
        return response


class OfflineRedocView(SpectacularRedocView):
    template_name = "core/api/redoc.html"
