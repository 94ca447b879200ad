"""The public pages, mounted at /register/ (SPEC 2.5)."""

from django.urls import path, re_path

from . import views

app_name = "register"

urlpatterns = [
    path("", views.register, name="form"),
    re_path(r"^(?P<code>[0-9]{5})/$", views.register, name="office_form"),
    path("done/", views.register_done, name="done"),
    path("check/", views.number_check, name="number_check"),
    path("status/", views.status_lookup, name="status"),
    path("status/application/", views.status_detail, name="status_detail"),
    path("status/end/", views.status_end, name="status_end"),
]
