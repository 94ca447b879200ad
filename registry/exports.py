"""CSV exports of registry lists, masked by role and written to the access log (SPEC 5)."""

import csv
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from core.audit import access_log_many
from core.choices import AccessAction
from core.numbers import brn_format, name_mask, phone_mask
from registry.choices import AffiliateStatus
from registry.models import AffiliateRegistration, Membership, Store

CONTACT_PERMISSION = "registry.view_contact"


class _Echo:
    """A file-like object whose write returns the line, for streaming CSV responses."""

    def write(self, value: str) -> str:
        return value


def store_rows(queryset: QuerySet[Store], *, unmasked: bool) -> Iterator[list[str]]:
    """The store list as rows: header first, then one row per store, contacts masked unless
    the reader's role needs them."""
    yield [
        _("business registration number"),
        _("trade name"),
        _("representative"),
        _("phone"),
        _("road-name address"),
        _("dong"),
        _("KSIC code"),
        _("business type"),
        _("district"),
        _("Onnuri types"),
        _("status"),
    ]
    stores = queryset.select_related("dong").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(left_on__isnull=True).select_related("district"),
            to_attr="current_memberships",
        ),
        Prefetch(
            "affiliations",
            queryset=AffiliateRegistration.objects.filter(status=AffiliateStatus.APPROVED),
            to_attr="approved_affiliations",
        ),
    )
    for store in stores.iterator(chunk_size=2000):
        current = store.current_memberships[0].district.name if store.current_memberships else ""
        yield [
            brn_format(store.business_number),
            store.trade_name,
            store.representative if unmasked else name_mask(store.representative),
            store.phone if unmasked else phone_mask(store.phone),
            store.road_address,
            store.dong.name,
            store.ksic_code,
            store.business_type,
            current,
            "|".join(sorted(a.certificate_type for a in store.approved_affiliations)),
            store.get_status_display(),
        ]


def stores_csv_lines(queryset: QuerySet[Store], *, user) -> Iterator[str]:
    """CSV text lines (UTF-8 with BOM so spreadsheet programs read Korean), logging the export.

    One access-log row is written per exported store before the first line is produced.
    """
    unmasked = user.has_perm(CONTACT_PERMISSION)
    access_log_many(
        user=user,
        action=AccessAction.EXPORT,
        objects=queryset.only("pk", "office_id", "trade_name", "business_number"),
        detail=_("CSV export, contacts unmasked") if unmasked else _("CSV export, contacts masked"),
    )
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in store_rows(queryset, unmasked=unmasked):
        yield writer.writerow(row)
