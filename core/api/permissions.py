"""Who may call what: the role permissions of SPEC 1, read per action.

Reading needs `view_<model>`, creating `add_<model>`, and every change (PATCH and the actions
that move a record along) `change_<model>`. A viewset may name other permissions for an action
in `action_permissions`. The office wall is not here: every viewset narrows its queryset with
`core.walls.for_user`, so another office's record is simply not found (404).
"""

from rest_framework import exceptions
from rest_framework.permissions import DjangoModelPermissions


class RolePermissions(DjangoModelPermissions):
    """DjangoModelPermissions with `view_*` for reads and `change_*` for actions."""

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if getattr(view, "_ignore_model_permissions", False):
            return True
        model = self._queryset(view).model
        return request.user.has_perms(self.required_permissions(request, view, model))

    def required_permissions(self, request, view, model) -> list[str]:
        action = getattr(view, "action", None)
        named = getattr(view, "action_permissions", {}).get(action)
        if named is not None:
            return list(named)
        kwargs = {"app_label": model._meta.app_label, "model_name": model._meta.model_name}
        if action not in (None, "create") and request.method == "POST":
            # A POST on a record (approve, close, join…) changes it.
            return [f"{kwargs['app_label']}.change_{kwargs['model_name']}"]
        if request.method not in self.perms_map:
            raise exceptions.MethodNotAllowed(request.method)
        return [perm % kwargs for perm in self.perms_map[request.method]]
