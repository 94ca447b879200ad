"""Authentication backend: Django's model backend, reading a user's permissions in one query."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class RoleBackend(ModelBackend):
    """Permissions come from roles (groups) and, rarely, from the user directly.

    Django's backend reads the two sources in two queries the first time a user object is
    asked; API requests authenticate a fresh user object each time, so every call paid both.
    Here they are one UNION query, cached on the user object exactly as Django caches them.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                permissions = Permission.objects.all()
            else:
                permissions = Permission.objects.filter(user=user_obj).union(
                    Permission.objects.filter(group__user=user_obj)
                )
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        return user_obj._perm_cache
