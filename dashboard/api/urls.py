"""Route of the dashboard API, mounted at /api/v1/dashboard/ by config/urls.py."""

from django.urls import path

from dashboard.api.views import DashboardView

app_name = "dashboard-api"
urlpatterns = [path("", DashboardView.as_view(), name="dashboard")]
