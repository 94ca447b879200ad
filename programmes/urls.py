"""The public pages of support programmes, mounted at /programmes/ (SPEC 7)."""

from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("status/", views.status_lookup, name="status"),
    path("status/application/", views.status_detail, name="status_detail"),
    path("status/end/", views.status_end, name="status_end"),
    path("done/", views.application_done, name="done"),
    path("check/", views.number_check, name="number_check"),
    path("<slug:code>/", views.programme_page, name="programme"),
]
