from django.contrib.admin.apps import AdminConfig


class GolmokAdminConfig(AdminConfig):
    """django.contrib.admin with the project's site (core.admin.site)."""

    default_site = "core.admin.site.GolmokAdminSite"
