from django.db import transaction
from django.utils.translation import gettext as _

from core.services import attribute, field_error, save_checked
from registry.constants import DEFAULT_RESTRICTED_BUSINESS_TYPES
from registry.models import Dong, Office, RestrictedBusinessType, User


@transaction.atomic
def office_create_or_update(
    *, code: str, name: str, dongs: list[str] | None = None, user: User | None = None
) -> Office:
    """Create an office, or rename it and set its dongs (SPEC 1 `create_office`).

    A new office starts with the certificate rules' default restricted business types. When
    dongs are given they become exactly the office's dongs; a dong that still has stores or
    districts cannot be dropped.
    """
    office = Office.objects.select_for_update().filter(code=code).first()
    created = office is None
    if created:
        office = Office(code=code, name=name)
    else:
        office.name = name
    attribute(office, user, _("Created") if created else _("Updated"))
    save_checked(office)
    if created:
        office_restricted_types_reset(office=office)
    if dongs is not None:
        _dongs_set(office, dongs)
    return office


def _dongs_set(office: Office, names: list[str]) -> None:
    wanted = [n.strip() for n in names if n and n.strip()]
    if len(set(wanted)) != len(wanted):
        raise field_error("dongs", _("A dong is named twice."), "duplicate_dong")
    existing = {d.name: d for d in office.dongs.all()}
    Dong.objects.bulk_create([Dong(office=office, name=n) for n in wanted if n not in existing])
    dropped = [d for n, d in existing.items() if n not in wanted]
    in_use = [d.name for d in dropped if d.stores.exists() or d.districts.exists()]
    if in_use:
        raise field_error(
            "dongs",
            _("These dongs still have stores or districts: %(names)s")
            % {"names": ", ".join(sorted(in_use))},
            "dong_in_use",
        )
    Dong.objects.filter(pk__in=[d.pk for d in dropped]).delete()


def office_restricted_types_reset(*, office: Office) -> None:
    """Give the office the default restricted list, keeping codes it already has."""
    RestrictedBusinessType.objects.bulk_create(
        [
            RestrictedBusinessType(office=office, ksic_code=code, name=name)
            for code, name in DEFAULT_RESTRICTED_BUSINESS_TYPES
        ],
        ignore_conflicts=True,
    )
