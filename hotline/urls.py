"""The operator's pages, mounted at /hotline/."""

from django.urls import path

from hotline import views

app_name = "hotline"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.intake, name="intake"),
    path("stores/", views.store_search, name="store_search"),
]
