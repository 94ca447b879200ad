"""Routes of the registry API, mounted at /api/v1/ by config/urls.py."""

from rest_framework.routers import DefaultRouter

from registry.api import views

app_name = "registry-api"

router = DefaultRouter()
router.register("offices", views.OfficeViewSet, basename="office")
router.register("districts", views.DistrictViewSet, basename="district")
router.register("stores", views.StoreViewSet, basename="store")
router.register("affiliations", views.AffiliationViewSet, basename="affiliation")

urlpatterns = router.urls
