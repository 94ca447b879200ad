"""The dashboard's headline figures and the viewer's pending work (SPEC 6).

A figure is a count of one list: the FilterSet of that list, given the figure's filters, over
the rows the viewer may see in the office shown. The same filters make the links: `api` is the
API list with them (its `count` is the figure), `list` the admin changelist with the admin's
own parameters for the same rows (tests hold the two to the figure). A figure needs the view
permission of its list (and the registry's figures the registry's reading role); a pending
item the permission to act on it.

The three store figures are read from the tally the database keeps of the office's stores
(`registry.selectors.store_counts`) rather than counted through the FilterSet: at ten times
Seo-gu that count took 300 ms. The office wall is the only limit on which stores staff see, so
the office's tally is every viewer's count; tests hold it equal to the list's.
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet

from cashback.filters import PayoutBatchFilterSet
from cashback.models import PayoutBatch
from core.walls import for_user
from hotline.filters import CaseFilterSet
from hotline.models import Case
from registry.filters import DistrictFilterSet, MerchantApplicationFilterSet, StoreFilterSet
from registry.models import District, MerchantApplication, Office, Store, User
from registry.selectors import StoreCounts, store_counts

# The registry's figures are the office's picture of its districts and stores: shown to the roles
# that work with the registry (clerks, supervisors, cashback managers, auditors), not to the
# hotline's operators, who look stores up but see the hotline's part.
REGISTRY_READ = "registry.view_affiliateregistration"


@dataclass(frozen=True)
class FigureSpec:
    key: str
    label: Promise
    definition: Promise
    permissions: tuple[str, ...]
    filterset: type[FilterSet]
    rows: Callable[[], QuerySet]
    office_path: str
    filters: dict[str, str]
    admin_list: str
    admin_filters: dict[str, str]
    api_list: str | None = None
    # The field of StoreCounts that keeps this figure's count, for figures read from the tally.
    tallied: str | None = None


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    definition: str
    value: int
    list: str
    api: str | None


def _districts(key, label, definition, filters, admin_filters, permissions) -> FigureSpec:
    return FigureSpec(
        key=key,
        label=label,
        definition=definition,
        permissions=permissions,
        filterset=DistrictFilterSet,
        rows=District.objects.all,
        office_path="office",
        filters=filters,
        admin_list="admin:registry_district_changelist",
        admin_filters=admin_filters,
        api_list="registry-api:district-list",
    )


def _stores(key, label, definition, filters, admin_filters, tallied) -> FigureSpec:
    return FigureSpec(
        key=key,
        label=label,
        definition=definition,
        permissions=(REGISTRY_READ, "registry.view_store"),
        filterset=StoreFilterSet,
        rows=Store.objects.all,
        office_path="office",
        filters={"status": "active", **filters},
        admin_list="admin:registry_store_changelist",
        admin_filters={"status__exact": "active", **admin_filters},
        api_list="registry-api:store-list",
        tallied=tallied,
    )


def _applications(key, label, definition, permissions) -> FigureSpec:
    return FigureSpec(
        key=key,
        label=label,
        definition=definition,
        permissions=permissions,
        filterset=MerchantApplicationFilterSet,
        rows=MerchantApplication.objects.all,
        office_path="office",
        filters={"waiting": "true"},
        admin_list="admin:registry_merchantapplication_changelist",
        admin_filters={"status": "waiting"},
    )


def _cases(key, label, definition, filters, admin_filters, permissions) -> FigureSpec:
    return FigureSpec(
        key=key,
        label=label,
        definition=definition,
        permissions=permissions,
        filterset=CaseFilterSet,
        rows=Case.objects.all,
        office_path="office",
        filters=filters,
        admin_list="admin:hotline_case_changelist",
        admin_filters=admin_filters,
        api_list="hotline-api:case-list",
    )


DISTRICTS_READ = (REGISTRY_READ, "registry.view_district")
CASES_READ = ("hotline.view_case",)
CASES_WORK = ("hotline.change_case",)

FIGURES = [
    _districts(
        "districts_designated",
        _("Designated districts"),
        _("Alley-type shopping districts designated now."),
        {"status": "designated"},
        {"status__exact": "designated"},
        DISTRICTS_READ,
    ),
    _districts(
        "districts_applied",
        _("Designation applications"),
        _("Applications for designation waiting for the office's decision."),
        {"status": "applied"},
        {"status__exact": "applied"},
        DISTRICTS_READ,
    ),
    _districts(
        "districts_overdue",
        _("Overdue applications"),
        _("Designation applications past their 14-day due date."),
        {"overdue": "true"},
        {"overdue": "yes"},
        DISTRICTS_READ,
    ),
    _stores(
        "stores_active",
        _("Active stores"),
        _("Registered stores that have not closed."),
        {},
        {},
        "active",
    ),
    _stores(
        "stores_member",
        _("Member stores"),
        _("Active stores that are members of a designated district now."),
        {"member": "true"},
        {"district": "any"},
        "members",
    ),
    _stores(
        "affiliates_digital",
        _("Digital Onnuri affiliates"),
        _("Active stores with an approved card or mobile Onnuri registration."),
        {"digital_affiliate": "true"},
        {"affiliate": "digital"},
        "digital",
    ),
    _applications(
        "applications_pending",
        _("Merchant applications waiting"),
        _("Merchants' applications submitted or in review: the office has the next step."),
        ("registry.view_merchantapplication",),
    ),
    _cases(
        "cases_open",
        _("Open hotline cases"),
        _("Hotline cases not yet resolved or closed."),
        {"open": "true"},
        {"open": "yes"},
        CASES_READ,
    ),
    _cases(
        "cases_overdue",
        _("Overdue hotline cases"),
        _("Open cases past their response or result deadline."),
        {"overdue": "true"},
        {"overdue": "yes"},
        CASES_READ,
    ),
]

PENDING = [
    _districts(
        "pending_district_applications",
        _("District applications to decide"),
        _("Designation applications waiting for your office's decision."),
        {"status": "applied"},
        {"status__exact": "applied"},
        ("registry.change_district",),
    ),
    _applications(
        "pending_merchant_applications",
        _("Merchant applications to review"),
        _("Submitted or in review: the next step is the office's."),
        ("registry.change_merchantapplication",),
    ),
    _districts(
        "pending_certificates",
        _("Designation certificates to issue"),
        _(
            "Designated districts whose certificate is not issued yet "
            "(due within 14 days of designation)."
        ),
        {"certificate_due": "true"},
        {"certificate": "due"},
        ("registry.change_district",),
    ),
    _cases(
        "pending_my_cases",
        _("My open cases"),
        _("Hotline cases assigned to you and not yet resolved."),
        {"assignee": "me", "open": "true"},
        {"assignee": "me", "open": "yes"},
        CASES_WORK,
    ),
    _cases(
        "pending_my_overdue_cases",
        _("My overdue cases"),
        _("Cases assigned to you that are past a deadline."),
        {"assignee": "me", "overdue": "true"},
        {"assignee": "me", "overdue": "yes"},
        CASES_WORK,
    ),
    FigureSpec(
        key="pending_payouts",
        label=_("Payout lists to confirm"),
        definition=_("Exported payout lists waiting for confirmation of payment."),
        permissions=("cashback.change_payoutbatch",),
        filterset=PayoutBatchFilterSet,
        rows=PayoutBatch.objects.all,
        office_path="week__campaign__office",
        filters={"status": "exported"},
        admin_list="admin:cashback_payoutbatch_changelist",
        admin_filters={"status__exact": "exported"},
    ),
]


def figure_value(spec: FigureSpec, *, viewer: User, office: Office) -> int:
    """The count of the figure's list for this viewer, in this office."""
    rows = for_user(spec.rows(), viewer, spec.office_path).filter(
        **{f"{spec.office_path}_id": office.pk}
    )
    # The filters as the API list receives them from the figure's `api` link.
    data = QueryDict(urlencode(spec.filters))
    filterset = spec.filterset(data, queryset=rows, request=SimpleNamespace(user=viewer))
    if not filterset.is_valid():
        raise ValueError(f"figure {spec.key}: {filterset.errors.as_json()}")
    return filterset.qs.count()


def admin_list(name: str, viewer: User, office_code: str, **filters) -> str:
    """An admin changelist with its filters, narrowed to the office for a superuser (staff see
    only their own office anyway); figures and chart marks link this way alike."""
    if viewer.is_superuser:
        filters["office"] = office_code
    return f"{reverse(name)}?{urlencode(filters)}"


def figure_links(spec: FigureSpec, *, viewer: User, office: Office) -> tuple[str, str | None]:
    """The admin list and the API list behind the figure."""
    api_filters = dict(spec.filters)
    if spec.filterset.base_filters.get("office") is not None:
        api_filters["office"] = office.code
    listed = admin_list(spec.admin_list, viewer, office.code, **spec.admin_filters)
    api = f"{reverse(spec.api_list)}?{urlencode(api_filters)}" if spec.api_list else None
    return listed, api


def figures_for(
    specs: list[FigureSpec], *, viewer: User, office: Office, counted: dict | None = None
) -> list[Figure]:
    """The figures of `specs` the viewer may see, computed and linked.

    `counted` keeps the counts already made for this viewer and office, so a pending item that
    counts the same rows as a headline figure (district applications, merchant applications)
    is counted once.
    """
    counted = {} if counted is None else counted
    shown = []
    for spec in specs:
        if not viewer.has_perms(spec.permissions):
            continue
        same_rows = (spec.filterset, spec.office_path, tuple(sorted(spec.filters.items())))
        if same_rows not in counted and spec.tallied:
            if StoreCounts not in counted:
                counted[StoreCounts] = store_counts(office)  # the three store figures at once
            counted[same_rows] = getattr(counted[StoreCounts], spec.tallied)
        elif same_rows not in counted:
            counted[same_rows] = figure_value(spec, viewer=viewer, office=office)
        listed, api = figure_links(spec, viewer=viewer, office=office)
        shown.append(
            Figure(
                key=spec.key,
                label=str(spec.label),
                definition=str(spec.definition),
                value=counted[same_rows],
                list=listed,
                api=api,
            )
        )
    return shown
