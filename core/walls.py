"""The office wall (SPEC 1): staff meet only their own office's rows, superusers every row.

One place for lists, pages, choices and the API. Rows reach their office through an `office`
field, or through their store or district; the office model is the one users belong to, so the
kernel finds it without importing the app that defines it.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet

from core.actors import Actor


@cache
def office_model() -> type[Model]:
    """The model of offices: whatever a user's `office` points at."""
    return get_user_model()._meta.get_field("office").related_model


def for_user(queryset: QuerySet, user: Actor, office_field: str = "office") -> QuerySet:
    """The office wall: staff see their own office's rows, superusers see all, others none."""
    if user.is_superuser:
        return queryset
    office_id = getattr(user, "office_id", None)
    if not office_id:
        return queryset.none()
    return queryset.filter(**{f"{office_field}_id": office_id})


def office_path(model: type[Model]) -> str | None:
    """How rows of `model` reach their office: "" for Office itself, None when they don't."""
    if model is office_model():
        return ""
    for name, via in (("office", ""), ("store", "store__"), ("district", "district__")):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.is_relation:
            continue
        if via == "":
            return "office" if field.related_model is office_model() else None
        inner = office_path(field.related_model)
        return f"{via}{inner}" if inner else None
    return None


def office_wall(queryset: QuerySet, user: Actor, path: str | None = None) -> QuerySet:
    """`for_user` for any walled model, the office model itself included."""
    path = office_path(queryset.model) if path is None else path
    if path is None:
        return queryset
    if path == "":
        if user.is_superuser:
            return queryset
        office_id = getattr(user, "office_id", None)
        return queryset.filter(pk=office_id) if office_id else queryset.none()
    return for_user(queryset, user, path)


def object_office_id(obj: Model, path: str) -> int | None:
    """The office id of one row, following `path` ("store__office" → obj.store.office_id)."""
    if path == "":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)
