"""Routes of the support programmes API, mounted at /api/v1/programmes/ (SPEC 7)."""

from rest_framework.routers import SimpleRouter

from programmes.api import views

app_name = "programmes-api"

router = SimpleRouter()
router.register("", views.ProgrammeViewSet, basename="programme")

urlpatterns = router.urls
