"""Writing the personal-data access log (SPEC 5) from views, admin and exports."""

from collections.abc import Iterable

from django.db import models

from registry.choices import AccessAction
from registry.models import AccessLog


def access_log(
    *,
    user,
    action: AccessAction | str,
    obj: models.Model | None = None,
    model: str = "",
    detail: str = "",
) -> AccessLog:
    """Record that `user` viewed, changed or exported `obj` (or a whole list of `model`)."""
    return AccessLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "anonymous",
        office_id=_office_id(obj, user),
        action=action,
        model=obj._meta.label if obj is not None else model,
        object_pk=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        detail=detail[:300],
    )


def access_log_many(
    *, user, action: AccessAction | str, objects: Iterable[models.Model], detail: str = ""
) -> None:
    """One access-log row per record, written in one statement (exports, bulk actions)."""
    rows = [
        AccessLog(
            user=user if getattr(user, "pk", None) else None,
            username=getattr(user, "username", "") or "anonymous",
            office_id=_office_id(obj, user),
            action=action,
            model=obj._meta.label,
            object_pk=str(obj.pk),
            object_repr=str(obj)[:200],
            detail=detail[:300],
        )
        for obj in objects
    ]
    AccessLog.objects.bulk_create(rows, batch_size=1000)


def _office_id(obj: models.Model | None, user) -> int | None:
    # The record's own office where it has one, else the acting user's: never a query.
    return getattr(obj, "office_id", None) or getattr(user, "office_id", None)
