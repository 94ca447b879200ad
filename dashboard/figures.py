"""The dashboard's headline figures and the viewer's pending work (SPEC 6).

A figure is a count of one list: the FilterSet of that list, given the figure's filters, over
the rows the viewer may see in the office shown. The same filters make the links: `api` is the
API list with them (its `count` is the figure), `list` the admin changelist with the admin's
own parameters for the same rows (tests hold the two to the figure). A figure needs the view
permission of its list (and the registry's figures the registry's reading role); a pending
item the permission to act on it.
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


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    definition: str
    value: int
    list: str
    api: str | None


def _stores():
    return Store.objects.all()


def _districts():
    return District.objects.all()


FIGURES = [
    FigureSpec(
        key="districts_designated",
        label=_("Designated districts"),
        definition=_("Alley-type shopping districts designated now."),
        permissions=(REGISTRY_READ, "registry.view_district"),
        filterset=DistrictFilterSet,
        rows=_districts,
        office_path="office",
        filters={"status": "designated"},
        admin_list="admin:registry_district_changelist",
        admin_filters={"status__exact": "designated"},
        api_list="registry-api:district-list",
    ),
    FigureSpec(
        key="districts_applied",
        label=_("Designation applications"),
        definition=_("Applications for designation waiting for the office's decision."),
        permissions=(REGISTRY_READ, "registry.view_district"),
        filterset=DistrictFilterSet,
        rows=_districts,
        office_path="office",
        filters={"status": "applied"},
        admin_list="admin:registry_district_changelist",
        admin_filters={"status__exact": "applied"},
        api_list="registry-api:district-list",
    ),
    FigureSpec(
        key="districts_overdue",
        label=_("Overdue applications"),
        definition=_("Designation applications past their 14-day due date."),
        permissions=(REGISTRY_READ, "registry.view_district"),
        filterset=DistrictFilterSet,
        rows=_districts,
        office_path="office",
        filters={"overdue": "true"},
        admin_list="admin:registry_district_changelist",
        admin_filters={"overdue": "yes"},
        api_list="registry-api:district-list",
    ),
    FigureSpec(
        key="stores_active",
        label=_("Active stores"),
        definition=_("Registered stores that have not closed."),
        permissions=(REGISTRY_READ, "registry.view_store"),
        filterset=StoreFilterSet,
        rows=_stores,
        office_path="office",
        filters={"status": "active"},
        admin_list="admin:registry_store_changelist",
        admin_filters={"status__exact": "active"},
        api_list="registry-api:store-list",
    ),
    FigureSpec(
        key="stores_member",
        label=_("Member stores"),
        definition=_("Active stores that are members of a designated district now."),
        permissions=(REGISTRY_READ, "registry.view_store"),
        filterset=StoreFilterSet,
        rows=_stores,
        office_path="office",
        filters={"status": "active", "member": "true"},
        admin_list="admin:registry_store_changelist",
        admin_filters={"status__exact": "active", "district": "any"},
        api_list="registry-api:store-list",
    ),
    FigureSpec(
        key="affiliates_digital",
        label=_("Digital Onnuri affiliates"),
        definition=_("Active stores with an approved card or mobile Onnuri registration."),
        permissions=(REGISTRY_READ, "registry.view_store"),
        filterset=StoreFilterSet,
        rows=_stores,
        office_path="office",
        filters={"status": "active", "digital_affiliate": "true"},
        admin_list="admin:registry_store_changelist",
        admin_filters={"status__exact": "active", "affiliate": "digital"},
        api_list="registry-api:store-list",
    ),
    FigureSpec(
        key="applications_pending",
        label=_("Merchant applications waiting"),
        definition=_(
            "Merchants' applications submitted or in review: the office has the next step."
        ),
        permissions=("registry.view_merchantapplication",),
        filterset=MerchantApplicationFilterSet,
        rows=MerchantApplication.objects.all,
        office_path="office",
        filters={"waiting": "true"},
        admin_list="admin:registry_merchantapplication_changelist",
        admin_filters={"status": "waiting"},
    ),
    FigureSpec(
        key="cases_open",
        label=_("Open hotline cases"),
        definition=_("Hotline cases not yet resolved or closed."),
        permissions=("hotline.view_case",),
        filterset=CaseFilterSet,
        rows=Case.objects.all,
        office_path="office",
        filters={"open": "true"},
        admin_list="admin:hotline_case_changelist",
        admin_filters={"open": "yes"},
        api_list="hotline-api:case-list",
    ),
    FigureSpec(
        key="cases_overdue",
        label=_("Overdue hotline cases"),
        definition=_("Open cases past their response or result deadline."),
        permissions=("hotline.view_case",),
        filterset=CaseFilterSet,
        rows=Case.objects.all,
        office_path="office",
        filters={"overdue": "true"},
        admin_list="admin:hotline_case_changelist",
        admin_filters={"overdue": "yes"},
        api_list="hotline-api:case-list",
    ),
]

PENDING = [
    FigureSpec(
        key="pending_district_applications",
        label=_("District applications to decide"),
        definition=_("Designation applications waiting for your office's decision."),
        permissions=("registry.change_district",),
        filterset=DistrictFilterSet,
        rows=_districts,
        office_path="office",
        filters={"status": "applied"},
        admin_list="admin:registry_district_changelist",
        admin_filters={"status__exact": "applied"},
        api_list="registry-api:district-list",
    ),
    FigureSpec(
        key="pending_merchant_applications",
        label=_("Merchant applications to review"),
        definition=_("Submitted or in review: the next step is the office's."),
        permissions=("registry.change_merchantapplication",),
        filterset=MerchantApplicationFilterSet,
        rows=MerchantApplication.objects.all,
        office_path="office",
        filters={"waiting": "true"},
        admin_list="admin:registry_merchantapplication_changelist",
        admin_filters={"status": "waiting"},
    ),
    FigureSpec(
        key="pending_certificates",
        label=_("Designation certificates to issue"),
        definition=_(
            "Designated districts whose certificate is due within 14 days of designation."
        ),
        permissions=("registry.change_district",),
        filterset=DistrictFilterSet,
        rows=_districts,
        office_path="office",
        filters={"certificate_due": "true"},
        admin_list="admin:registry_district_changelist",
        admin_filters={"certificate": "due"},
        api_list="registry-api:district-list",
    ),
    FigureSpec(
        key="pending_my_cases",
        label=_("My open cases"),
        definition=_("Hotline cases assigned to you and not yet resolved."),
        permissions=("hotline.change_case",),
        filterset=CaseFilterSet,
        rows=Case.objects.all,
        office_path="office",
        filters={"assignee": "me", "open": "true"},
        admin_list="admin:hotline_case_changelist",
        admin_filters={"assignee": "me", "open": "yes"},
        api_list="hotline-api:case-list",
    ),
    FigureSpec(
        key="pending_my_overdue_cases",
        label=_("My overdue cases"),
        definition=_("Cases assigned to you that are past a deadline."),
        permissions=("hotline.change_case",),
        filterset=CaseFilterSet,
        rows=Case.objects.all,
        office_path="office",
        filters={"assignee": "me", "overdue": "true"},
        admin_list="admin:hotline_case_changelist",
        admin_filters={"assignee": "me", "overdue": "yes"},
        api_list="hotline-api:case-list",
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


def figure_links(spec: FigureSpec, *, viewer: User, office: Office) -> tuple[str, str | None]:
    """The admin list and the API list behind the figure, narrowed to the office for a
    superuser (staff see only their own office anyway)."""
    admin_filters = dict(spec.admin_filters)
    api_filters = dict(spec.filters)
    if viewer.is_superuser:
        admin_filters["office"] = office.code
    if spec.filterset.base_filters.get("office") is not None:
        api_filters["office"] = office.code
    listed = f"{reverse(spec.admin_list)}?{urlencode(admin_filters)}"
    api = f"{reverse(spec.api_list)}?{urlencode(api_filters)}" if spec.api_list else None
    return listed, api


def figures_for(specs: list[FigureSpec], *, viewer: User, office: Office) -> list[Figure]:
    """The figures of `specs` the viewer may see, computed and linked."""
    shown = []
    for spec in specs:
        if not viewer.has_perms(spec.permissions):
            continue
        listed, api = figure_links(spec, viewer=viewer, office=office)
        shown.append(
            Figure(
                key=spec.key,
                label=str(spec.label),
                definition=str(spec.definition),
                value=figure_value(spec, viewer=viewer, office=office),
                list=listed,
                api=api,
            )
        )
    return shown
