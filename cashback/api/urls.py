"""Routes of the cashback API, mounted at /api/v1/cashback/ (SPEC 3.3)."""

from django.urls import path

from cashback.api import views

app_name = "cashback-api"

urlpatterns = [
    path("campaigns/", views.CampaignListCreateView.as_view(), name="campaigns"),
    path("campaigns/<slug:code>/", views.CampaignDetailView.as_view(), name="campaign"),
    path("campaigns/<slug:code>/payments/", views.PaymentCreateView.as_view(), name="payments"),
    path(
        "campaigns/<slug:code>/payments/<str:ref>/cancel/",
        views.PaymentCancelView.as_view(),
        name="payment-cancel",
    ),
    path("campaigns/<slug:code>/weeks/", views.WeekListView.as_view(), name="weeks"),
    path(
        "campaigns/<slug:code>/weeks/<int:week>/budget/",
        views.WeekBudgetView.as_view(),
        name="week-budget",
    ),
]
