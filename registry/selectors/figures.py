"""The registry's figures for the dashboard (SPEC 6): each dong's and each district's stores and
digital affiliates, and the mix of business types. Every count is of active stores, and an
affiliate is an active store holding an approved card or mobile registration, as the headline
figures `stores_active` and `affiliates_digital` count them."""

from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from registry.choices import DistrictStatus, StoreStatus
from registry.models import District, Dong, Store

from .affiliates import affiliations_digital


def rate_bp(part: int, whole: int) -> int:
    """`part` of `whole` in basis points, rounded half up; 0 of nothing is 0."""
    return (part * 10_000 * 2 + whole) // (whole * 2) if whole else 0


class _AffiliateRate:
    stores: int
    affiliates: int

    @property
    def affiliate_rate_bp(self) -> int:
        """The share of the active stores that are digital affiliates."""
        return rate_bp(self.affiliates, self.stores)


@dataclass(frozen=True)
class DongFigures(_AffiliateRate):
    dong_id: int
    dong: str
    districts: int
    stores: int
    affiliates: int


@dataclass(frozen=True)
class DistrictFigures(_AffiliateRate):
    district_id: int
    district: str
    stores: int
    affiliates: int


@dataclass(frozen=True)
class BusinessTypeFigures:
    ksic_code: str
    name: str
    stores: int


def _digital() -> Exists:
    return Exists(affiliations_digital().filter(store=OuterRef("pk")))


def dong_figures(dongs: QuerySet[Dong], stores: QuerySet[Store]) -> list[DongFigures]:
    """Every dong of `dongs` in name order, with its designated districts, its active stores
    (of `stores`) and their digital affiliates; two queries."""
    counted = (
        stores.filter(status=StoreStatus.ACTIVE)
        .order_by()
        .values("dong_id")
        .annotate(stores=Count("pk"), affiliates=Count("pk", filter=Q(_digital())))
    )
    by_dong = {row["dong_id"]: row for row in counted}
    rows = dongs.order_by("name").annotate(
        designated=Count(
            "districts", filter=Q(districts__status=DistrictStatus.DESIGNATED), distinct=True
        )
    )
    return [
        DongFigures(
            dong_id=dong.pk,
            dong=dong.name,
            districts=dong.designated,
            stores=by_dong.get(dong.pk, {}).get("stores", 0),
            affiliates=by_dong.get(dong.pk, {}).get("affiliates", 0),
        )
        for dong in rows
    ]


def district_figures(districts: QuerySet[District]) -> list[DistrictFigures]:
    """Every designated district of `districts` in name order, with its active member stores
    and their digital affiliates; one query."""
    rows = (
        districts.filter(status=DistrictStatus.DESIGNATED)
        .order_by("name", "pk")
        .annotate(
            stores=Count(
                "memberships__store",
                filter=Q(
                    memberships__left_on__isnull=True,
                    memberships__store__status=StoreStatus.ACTIVE,
                ),
                distinct=True,
            ),
            affiliates=Count(
                "memberships__store",
                filter=Q(
                    memberships__left_on__isnull=True,
                    memberships__store__status=StoreStatus.ACTIVE,
                    memberships__store__in=Store.objects.filter(_digital()),
                ),
                distinct=True,
            ),
        )
    )
    return [
        DistrictFigures(
            district_id=row.pk, district=row.name, stores=row.stores, affiliates=row.affiliates
        )
        for row in rows
    ]


def business_type_mix(stores: QuerySet[Store]) -> list[BusinessTypeFigures]:
    """Active stores by KSIC code, largest first (ties by code), with the name they carry."""
    rows = (
        stores.filter(status=StoreStatus.ACTIVE)
        .order_by()
        .values("ksic_code")
        .annotate(stores=Count("pk"), name=Max("business_type"))
        .order_by("-stores", "ksic_code")
    )
    return [
        BusinessTypeFigures(
            ksic_code=row["ksic_code"], name=row["name"] or "", stores=row["stores"]
        )
        for row in rows
    ]
