from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from core.api.docs import OfflineRedocView, OfflineSwaggerView

urlpatterns = [
    # Staff start on the dashboard; the public pages get their own paths.
    path("", RedirectView.as_view(pattern_name="dashboard:home", permanent=False)),
    path("dashboard/", include("dashboard.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("registry.accounts.urls")),
    path("registry/", include("registry.urls")),
    path("register/", include("registry.public.urls")),
    path("programmes/", include("programmes.urls")),
    path("hotline/", include("hotline.urls")),
    path("api/v1/", include("registry.api.urls")),
    path("api/v1/cashback/", include("cashback.api.urls")),
    path("api/v1/hotline/", include("hotline.api.urls")),
    path("api/v1/programmes/", include("programmes.api.urls")),
    path("api/v1/dashboard/", include("dashboard.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", OfflineSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", OfflineRedocView.as_view(url_name="schema"), name="redoc"),
]

# Korean error pages (templates/400.html …), and JSON answers on the API's paths.
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
