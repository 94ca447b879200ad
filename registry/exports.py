"""The registry's lists as people take them away (core.exports): districts, stores, Onnuri
affiliations and merchants' applications, each with the columns its admin list exports.

Also the CSV of selected stores (the store list's action), in its own long-standing layout. Both
mask contacts by role and write each exported record to the access log (SPEC 5).
"""

from collections.abc import Iterator

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import access_log_many
from core.choices import AccessAction
from core.clock import local_date, local_today
from core.exports import Column, ExportSpec, csv_lines, every_row, field_column
from core.numbers import brn_format, phone_format
from core.personal import NAME, PHONE, mask, may_see_personal
from registry.choices import AffiliateStatus, CertificateType
from registry.models import (
    AffiliateRegistration,
    District,
    Dong,
    Membership,
    MerchantApplication,
    Store,
)
from registry.selectors import district_overdue


def _current_memberships(to_attr: str) -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(left_on__isnull=True).select_related("district"),
        to_attr=to_attr,
    )


def _current_district(memberships: list[Membership]) -> str | None:
    return memberships[0].district.name if memberships else None


def _type_labels(types) -> list[str]:
    return [str(CertificateType(t).label) for t in types]


# --- districts ---------------------------------------------------------------------------------


def _districts_prepare(queryset: QuerySet[District]) -> QuerySet[District]:
    members = (
        Membership.objects.filter(district=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("district")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(export_members=Coalesce(Subquery(members), 0)).prefetch_related(
        Prefetch("dongs", queryset=Dong.objects.order_by("name"))
    )


DISTRICT_EXPORT = ExportSpec(
    columns=(
        field_column(District, "name"),
        field_column(District, "designation_no"),
        field_column(District, "status"),
        Column(gettext_lazy("dongs"), lambda d: [dong.name for dong in d.dongs.all()]),
        field_column(District, "area_m2"),
        field_column(District, "excluded_area_m2"),
        Column(gettext_lazy("counted area (m²)"), lambda d: d.counted_area_m2),
        field_column(District, "store_count"),
        Column(gettext_lazy("current members"), lambda d: d.export_members),
        field_column(District, "association_name"),
        field_column(District, "representative"),
        field_column(District, "association_phone", show=phone_format),
        field_column(District, "applied_on"),
        Column(gettext_lazy("overdue"), district_overdue),
        field_column(District, "designated_on"),
        field_column(District, "revoked_on"),
        field_column(District, "revocation_ground"),
    ),
    prepare=_districts_prepare,
    personal=lambda d: bool(d.representative or d.association_phone),
)


# --- stores ------------------------------------------------------------------------------------


def _stores_prepare(queryset: QuerySet[Store]) -> QuerySet[Store]:
    return queryset.select_related("dong").prefetch_related(
        _current_memberships("export_memberships"),
        Prefetch(
            "affiliations",
            queryset=AffiliateRegistration.objects.filter(status=AffiliateStatus.APPROVED),
            to_attr="export_affiliations",
        ),
    )


def _store_types_held(store: Store) -> list[str]:
    held = {a.certificate_type for a in store.export_affiliations}
    return _type_labels(t for t in CertificateType.values if t in held)


STORE_EXPORT = ExportSpec(
    columns=(
        field_column(Store, "business_number", show=brn_format),
        field_column(Store, "trade_name"),
        field_column(Store, "representative"),
        field_column(Store, "phone", show=phone_format),
        field_column(Store, "road_address"),
        field_column(Store, "dong"),
        field_column(Store, "ksic_code"),
        field_column(Store, "business_type"),
        Column(
            gettext_lazy("current district"),
            lambda s: _current_district(s.export_memberships),
        ),
        Column(gettext_lazy("Onnuri types held"), _store_types_held),
        field_column(Store, "is_small_business"),
        field_column(Store, "annual_sales"),
        field_column(Store, "opened_on"),
        field_column(Store, "status"),
        field_column(Store, "closed_on"),
    ),
    prepare=_stores_prepare,
    personal=every_row,
)


# --- Onnuri affiliations -----------------------------------------------------------------------


def _affiliations_prepare(queryset: QuerySet[AffiliateRegistration]) -> QuerySet:
    return queryset.select_related("store", "store__dong").prefetch_related(
        Prefetch(
            "store__memberships",
            queryset=Membership.objects.filter(left_on__isnull=True).select_related("district"),
            to_attr="export_memberships",
        )
    )


AFFILIATION_EXPORT = ExportSpec(
    columns=(
        field_column(AffiliateRegistration, "store__business_number", show=brn_format),
        field_column(AffiliateRegistration, "store__trade_name"),
        field_column(AffiliateRegistration, "store__dong"),
        Column(
            gettext_lazy("current district"),
            lambda r: _current_district(r.store.export_memberships),
        ),
        field_column(AffiliateRegistration, "certificate_type"),
        field_column(AffiliateRegistration, "status"),
        field_column(AffiliateRegistration, "applied_on"),
        field_column(AffiliateRegistration, "affiliate_number"),
        field_column(AffiliateRegistration, "approved_on"),
        field_column(AffiliateRegistration, "valid_until"),
        field_column(AffiliateRegistration, "settlement_bank"),
        field_column(AffiliateRegistration, "settlement_account"),
        field_column(AffiliateRegistration, "settlement_holder"),
        field_column(AffiliateRegistration, "revoked_on"),
        field_column(AffiliateRegistration, "strike_off_reason"),
    ),
    prepare=_affiliations_prepare,
    personal=lambda r: bool(r.settlement_account or r.settlement_holder),
)


# --- merchants' applications -------------------------------------------------------------------


APPLICATION_EXPORT = ExportSpec(
    columns=(
        Column(gettext_lazy("tracking number"), lambda a: a.tracking_number_display),
        field_column(MerchantApplication, "status"),
        field_column(MerchantApplication, "submitted_at"),
        Column(
            gettext_lazy("days waiting"),
            lambda a: (local_today() - local_date(a.submitted_at)).days,
        ),
        field_column(MerchantApplication, "business_number", show=brn_format),
        field_column(MerchantApplication, "trade_name"),
        field_column(MerchantApplication, "representative"),
        field_column(MerchantApplication, "phone", show=phone_format),
        field_column(MerchantApplication, "email"),
        field_column(MerchantApplication, "road_address"),
        field_column(MerchantApplication, "dong"),
        field_column(MerchantApplication, "district"),
        field_column(MerchantApplication, "ksic_code"),
        field_column(MerchantApplication, "business_type"),
        Column(gettext_lazy("Onnuri types requested"), lambda a: _type_labels(a.certificate_types)),
        field_column(MerchantApplication, "decided_at"),
    ),
    prepare=lambda queryset: queryset.select_related("dong", "district"),
    personal=every_row,
)


# --- the CSV of selected stores (the store list's action) --------------------------------------


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
        _current_memberships("current_memberships"),
        Prefetch(
            "affiliations",
            queryset=AffiliateRegistration.objects.filter(status=AffiliateStatus.APPROVED),
            to_attr="approved_affiliations",
        ),
    )
    for store in stores.iterator(chunk_size=2000):
        yield [
            brn_format(store.business_number),
            store.trade_name,
            store.representative if unmasked else mask(NAME, store.representative),
            store.phone if unmasked else mask(PHONE, store.phone),
            store.road_address,
            store.dong.name,
            store.ksic_code,
            store.business_type,
            _current_district(store.current_memberships) or "",
            "|".join(sorted(a.certificate_type for a in store.approved_affiliations)),
            store.get_status_display(),
        ]


def stores_csv_lines(queryset: QuerySet[Store], *, user) -> Iterator[str]:
    """CSV text lines (UTF-8 with BOM so spreadsheet programs read Korean), logging the export.

    One access-log row is written per exported store before the first line is produced; text
    a spreadsheet program would run as a formula is neutralised (core.exports).
    """
    unmasked = may_see_personal(user)
    access_log_many(
        user=user,
        action=AccessAction.EXPORT,
        objects=queryset.only("pk", "office_id", "trade_name", "business_number"),
        detail=_("CSV export, contacts unmasked") if unmasked else _("CSV export, contacts masked"),
    )
    yield from csv_lines(store_rows(queryset, unmasked=unmasked))
