"""Personal data (SPEC 5): which fields hold it, who may read it unmasked, how it is masked and
how it may be searched. Every face (admin pages, history pages, certificates, exports, the API,
searches) asks this module, so the rule is written once.

Which fields hold personal data is the `PERSONAL_DATA` setting (model label → field → kind), so
this kernel names no app's models; who may read them unmasked is the roles holding
`settings.CONTACT_PERMISSION` (clerks, hotline operators and auditors: the roles that call
merchants or check the calls; supervisors and cashback managers read names, phones and
settlement accounts masked). Searching by a field holding personal data only matches whole values
for a reader who may not see it, so a masked value cannot be rebuilt digit by digit from the
searches' answers.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db.models import Model, Q
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.actors import Actor
from core.numbers import account_mask, email_mask, name_mask, phone_digits, phone_mask

NAME, PHONE, ACCOUNT, EMAIL = "name", "phone", "account", "email"
MASKS: dict[str, Callable[[str], str]] = {
    NAME: name_mask,
    PHONE: phone_mask,
    ACCOUNT: account_mask,
    EMAIL: email_mask,
}


def _label(model: type[Model] | Model | str) -> str:
    if isinstance(model, str):
        return model
    # A django-simple-history version stands for the record it is a version of.
    model = getattr(model, "instance_type", None) or model
    return model._meta.label


def personal_fields(model: type[Model] | Model | str) -> dict[str, str]:
    """The fields of `model` holding personal data, each with its kind (name, phone, …)."""
    return dict(settings.PERSONAL_DATA.get(_label(model), {}))


def holds_personal(obj: Model) -> bool:
    """Whether this record holds personal data: one of its personal fields is filled in."""
    return any(getattr(obj, field, "") for field in personal_fields(obj))


def may_see_personal(user: Actor | None) -> bool:
    """Whether the user's role may read personal data unmasked."""
    return bool(user is not None and user.has_perm(settings.CONTACT_PERMISSION))


def mask(kind: str, value: Any) -> str:
    """The value as a reader who may not see it reads it; empty stays empty."""
    if value in (None, ""):
        return "" if value is None else value
    return MASKS[kind](str(value))


def field_mask(model: type[Model] | Model | str, field: str) -> Callable[[str], str] | None:
    """The mask of one field, or None when the field holds no personal data."""
    kind = personal_fields(model).get(field)
    return MASKS[kind] if kind else None


def masked_values(model: type[Model] | Model | str, values: dict[str, Any]) -> dict[str, Any]:
    """`values` (a field → value mapping) with the personal fields masked."""
    fields = personal_fields(model)
    return {
        name: mask(fields[name], value) if name in fields else value
        for name, value in values.items()
    }


def shown(user: Actor | None, obj: Model, field: str) -> Any:
    """The field's value as `user` may read it: as it is, or masked."""
    value = getattr(obj, field)
    kind = personal_fields(obj).get(field)
    if kind is None or may_see_personal(user):
        return value
    return mask(kind, value)


# --- searching ------------------------------------------------------------------------------


def search_term(kind: str, term: str) -> str:
    """The term as the field stores it: a phone's digits, a name or email as typed."""
    term = (term or "").strip()
    return phone_digits(term) if kind == PHONE else term


def personal_match(user: Actor | None, path: str, kind: str, term: str) -> Q:
    """The condition matching `term` against the personal field at `path`.

    A reader who may see the field finds a piece of it; a reader who may not finds only the whole
    value (a phone's digits, a name ignoring case), so a search cannot rebuild what the list
    masks, one digit or one character at a time.
    """
    value = search_term(kind, term)
    if not value:
        return Q(pk__in=[])
    if may_see_personal(user):
        return Q(**{f"{path}__contains" if kind == PHONE else f"{path}__icontains": value})
    return Q(**{path: value} if kind == PHONE else {f"{path}__iexact": value})


KIND_LABELS = {
    NAME: pgettext_lazy("person", "name"),
    PHONE: gettext_lazy("phone"),
    ACCOUNT: gettext_lazy("settlement account"),
    EMAIL: gettext_lazy("email"),
}


def searched_kinds(kinds: Iterable[str]) -> str:
    """The kinds of personal data a search looked in, as the access log names them."""
    return ", ".join(str(KIND_LABELS[kind]) for kind in sorted(set(kinds)))
