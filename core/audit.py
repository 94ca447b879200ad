"""Writing the personal-data access log (SPEC 5).

Services log the changes they make (`change_log`), in their own transaction; faces log what they
show (views, lists, downloads, exports).

The log's table belongs to the app that owns users and offices (`ACCESS_LOG_MODEL`, like
`AUTH_USER_MODEL`), so this kernel writes it without importing that app.
"""

from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext

from core.actors import Actor
from core.choices import AccessAction
from core.network import client_address
from core.personal import holds_personal, searched_kinds


def access_log_model() -> type[models.Model]:
    return apps.get_model(settings.ACCESS_LOG_MODEL, require_ready=True)


def access_log(
    *,
    user: Actor | None,
    action: AccessAction | str,
    obj: models.Model | None = None,
    model: str = "",
    detail: str = "",
) -> models.Model:
    """Record that `user` viewed, changed or exported `obj` (or a whole list of `model`)."""
    return access_log_model().objects.create(
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
    *,
    user: Actor | None,
    action: AccessAction | str,
    objects: Iterable[models.Model],
    detail: str = "",
) -> None:
    """One access-log row per record, written in one statement (exports, bulk actions)."""
    log_model = access_log_model()
    rows = [
        log_model(
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
    log_model.objects.bulk_create(rows, batch_size=1000)


def _office_id(obj: models.Model | None, user: Actor | None) -> int | None:
    # The record's own office where it has one, else the acting user's: never a query.
    return getattr(obj, "office_id", None) or getattr(user, "office_id", None)


def change_log(*, user: Actor | None, obj: models.Model, reason: str, added: bool = False) -> None:
    """A service's record that it added or changed `obj`, a record holding personal data.

    Services call it inside their own transaction, after the save, with the reason the history
    row carries: the change and its log row commit together or not at all, whichever face (admin,
    API, command, import) called the service.
    """
    access_log(
        user=user,
        action=AccessAction.ADD if added else AccessAction.CHANGE,
        obj=obj,
        detail=reason,
    )


def personal_shown(
    *,
    user: Actor | None,
    objects: Iterable[models.Model],
    face: str,
    masked: bool,
    single: bool = False,
) -> None:
    """The access-log rule for every face that shows records holding personal data (SPEC 5).

    Records shown with their personal data unmasked are logged, one row each. A page about one
    record (`single`: its change page, history, a version, a certificate) is logged even when
    masked, as a view of that record; a masked list is not, since it shows no personal data.
    Records holding none are never logged. `face` names the page in the row ("history").
    """
    if masked and not single:
        return
    holding = [obj for obj in objects if obj is not None and holds_personal(obj)]
    if not holding:
        return
    state = gettext("personal data masked") if masked else gettext("personal data unmasked")
    access_log_many(user=user, action=AccessAction.VIEW, objects=holding, detail=f"{face}, {state}")


def personal_search_log(*, user: Actor | None, model: str, kinds: Iterable[str], term: str) -> None:
    """A search by fields holding personal data (a phone, a name) by a reader who may not see
    them: one row, so an auditor sees every try, whole values only as they are (SPEC 5)."""
    access_log(
        user=user,
        action=AccessAction.VIEW,
        model=model,
        detail=gettext("search by %(kinds)s, whole values only: %(term)s")
        % {"kinds": searched_kinds(kinds), "term": term.strip()[:100]},
    )


def sign_in_log(
    *,
    action: AccessAction,
    username: str,
    user: Actor | None = None,
    request: HttpRequest | None = None,
    detail: str = "",
) -> models.Model:
    """One sign-in, sign-out, failed sign-in or lock (SPEC 8), with the address and the page.

    `username` is what was typed, kept even when no such account exists; `user` is the account
    when there is one, so the row falls under its office for that office's auditors.
    """
    where = [client_address(request) or "", request.path] if request is not None else []
    user_model = get_user_model()
    return access_log_model().objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=(username or "")[:150],
        office_id=getattr(user, "office_id", None),
        action=action,
        model=user_model._meta.label,
        object_pk=str(user.pk) if getattr(user, "pk", None) else "",
        object_repr=(username or "")[:200],
        detail=" · ".join(part for part in [*where, detail] if part)[:300],
    )
