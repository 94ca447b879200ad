"""Routes of the hotline API, mounted at /api/v1/hotline/ (SPEC 4)."""

from rest_framework.routers import SimpleRouter

from hotline.api import views

app_name = "hotline-api"

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")

urlpatterns = router.urls
