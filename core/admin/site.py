"""The project's admin site: staff land on their dashboard when they sign in."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView
from django.http import HttpResponseRedirect
from django.urls import reverse

# Where staff start their day (the dashboard's page, SPEC 6), by its URL name.
STAFF_HOME = "dashboard:home"


class GolmokAdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        """Signing in without a page to return to leads to the staff home, not the app list."""
        if not LoginView().get_redirect_url(request):
            home = reverse(STAFF_HOME)
            if request.method == "GET" and self.has_permission(request):
                return HttpResponseRedirect(home)
            extra_context = {**(extra_context or {}), REDIRECT_FIELD_NAME: home}
        return super().login(request, extra_context)

    def each_context(self, request):
        return {**super().each_context(request), "staff_home_url": reverse(STAFF_HOME)}
