"""Routes of the cashback API, mounted at /api/v1/cashback/ (SPEC 3.3)."""

from rest_framework.routers import SimpleRouter

from cashback.api import views

app_name = "cashback-api"

router = SimpleRouter()
router.register("campaigns", views.CampaignViewSet, basename="campaign")

urlpatterns = router.urls
