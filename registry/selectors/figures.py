"""The registry's figures for the dashboard (SPEC 6): each dong's and each district's stores and
digital affiliates, and the mix of business types. Every count is of active stores, and an
affiliate is an active store holding an approved card or mobile registration, as the headline
figures `stores_active` and `affiliates_digital` count them.

They are read from the tally the database keeps (`StoreTally`), not counted live: at ten times
Seo-gu counting 200,000 stores with their memberships and registrations took half a second.
Tests hold every figure here equal to the live count of the list it links to."""

from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet, Sum

from registry.choices import DistrictStatus
from registry.models import District, Dong, Office, StoreTally


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


@dataclass(frozen=True)
class StoreCounts:
    """The office's active stores, those that are members of a designated district now, and
    the digital affiliates: SPEC 6's `stores_active`, `stores_member` and `affiliates_digital`."""

    active: int
    members: int
    digital: int


def _tallies(office: Office) -> QuerySet[StoreTally]:
    return StoreTally.objects.filter(office=office, stores__gt=0).order_by()


def _stores_and_affiliates(tallies: QuerySet[StoreTally], by: str) -> dict[int, tuple[int, int]]:
    """Active stores and digital affiliates of the tallies, by the id in field `by`."""
    rows = tallies.values(by).annotate(
        active=Sum("stores"), affiliates=Sum("stores", filter=Q(digital=True), default=0)
    )
    return {row[by]: (row["active"], row["affiliates"]) for row in rows}


def store_counts(office: Office) -> StoreCounts:
    """The office's three store figures from the tally, in one query."""
    designated = Q(district__status=DistrictStatus.DESIGNATED)
    row = _tallies(office).aggregate(
        active=Sum("stores", default=0),
        members=Sum("stores", filter=designated, default=0),
        digital=Sum("stores", filter=Q(digital=True), default=0),
    )
    return StoreCounts(**row)


def dong_figures(office: Office) -> list[DongFigures]:
    """Every dong of the office in name order, with its designated districts, its active
    stores and their digital affiliates; two queries."""
    counted = _stores_and_affiliates(_tallies(office), "dong_id")
    rows = (
        Dong.objects.filter(office=office)
        .order_by("name")
        .annotate(
            designated=Count(
                "districts", filter=Q(districts__status=DistrictStatus.DESIGNATED), distinct=True
            )
        )
    )
    return [
        DongFigures(
            dong_id=dong.pk,
            dong=dong.name,
            districts=dong.designated,
            stores=counted.get(dong.pk, (0, 0))[0],
            affiliates=counted.get(dong.pk, (0, 0))[1],
        )
        for dong in rows
    ]


def district_figures(districts: QuerySet[District]) -> list[DistrictFigures]:
    """Every designated district of `districts` in name order, with its active member stores
    and their digital affiliates; two queries."""
    rows = list(districts.filter(status=DistrictStatus.DESIGNATED).order_by("name", "pk"))
    counted = _stores_and_affiliates(
        StoreTally.objects.filter(district__in=[d.pk for d in rows], stores__gt=0).order_by(),
        "district_id",
    )
    return [
        DistrictFigures(
            district_id=row.pk,
            district=row.name,
            stores=counted.get(row.pk, (0, 0))[0],
            affiliates=counted.get(row.pk, (0, 0))[1],
        )
        for row in rows
    ]


def business_type_mix(office: Office) -> list[BusinessTypeFigures]:
    """The office's active stores by KSIC code, largest first (ties by code), with the name
    they carry."""
    rows = (
        _tallies(office)
        .values("ksic_code")
        .annotate(active=Sum("stores"), name=Max("business_type"))
        .order_by("-active", "ksic_code")
    )
    return [
        BusinessTypeFigures(
            ksic_code=row["ksic_code"], name=row["name"] or "", stores=row["active"]
        )
        for row in rows
    ]
