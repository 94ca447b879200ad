"""Signing in beyond the password, mounted at /accounts/ by config/urls.py (SPEC 8)."""

from django.urls import path

from registry.accounts import views

app_name = "accounts"

urlpatterns = [
    path("code/", views.otp_verify, name="otp_verify"),
    path("code/setup/", views.otp_setup, name="otp_setup"),
]
