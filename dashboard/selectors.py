"""Everything the dashboard shows, read once for the page and the API alike (SPEC 6).

`dashboard_build` reads the other apps' selectors for the office shown, keeping to what the
viewer's permissions allow: the page renders the result and the API serialises it, so the two
can never disagree.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cashback.models import Campaign
from cashback.selectors import WeekFigures, campaign_shown, campaign_week_figures
from core.clock import local_date
from core.walls import for_user
from hotline.models import Case
from hotline.selectors import HotlineDashboard, hotline_dashboard
from registry.models import District, Office, User
from registry.selectors import (
    BusinessTypeFigures,
    DistrictFigures,
    DongFigures,
    business_type_mix,
    district_figures,
    dong_figures,
)

from .figures import FIGURES, PENDING, REGISTRY_READ, Figure, figures_for
from .programmes import ProgrammeRow, programme_pending, programme_rows


class DashboardNotFound(LookupError):
    """The office or campaign asked for is not one the viewer may see (the faces answer 404)."""


class NoOfficeLinked(DashboardNotFound):
    """A staff account not linked to any office yet: it has no dashboard until an administrator
    links it (the page says so rather than answering 404)."""


REGISTRY_PERMISSIONS = (REGISTRY_READ, "registry.view_district", "registry.view_store")
CAMPAIGN_PERMISSION = "cashback.view_campaign"
HOTLINE_PERMISSION = "hotline.view_case"


@dataclass(frozen=True)
class Dashboard:
    office: Office
    as_of: datetime
    figures: list[Figure]
    pending: list[Figure]
    dongs: list[DongFigures] | None
    districts: list[DistrictFigures] | None
    business_types: list[BusinessTypeFigures] | None
    campaign: Campaign | None
    campaigns: list[Campaign]
    weeks: list[WeekFigures]
    hotline: HotlineDashboard | None
    programmes: list[ProgrammeRow] | None = None

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


def office_shown(viewer: User, code: str = "") -> Office:
    """Staff see their own office; a superuser the office named by `code`, else their own, else
    the first. An unknown code, or staff without an office, find nothing (DashboardNotFound)."""
    code = (code or "").strip()
    if viewer.is_superuser:
        if code:
            office = Office.objects.filter(code=code).first()
        else:
            office = viewer.office or Office.objects.order_by("code").first()
    else:
        office = viewer.office
        if office is None:
            raise NoOfficeLinked(
                _(
                    "Your account is not linked to an office yet. Ask an administrator to link "
                    "it to your office."
                )
            )
    if office is None:
        raise DashboardNotFound(_("No such office."))
    return office


def dashboard_build(
    *, viewer: User, office: Office, campaign_code: str = "", now: datetime | None = None
) -> Dashboard:
    """Read the office's figures for the viewer; parts the viewer may not see are left empty
    (None); an unknown campaign code raises DashboardNotFound."""
    now = now or timezone.now()
    registry_part = viewer.has_perms(REGISTRY_PERMISSIONS)
    districts = for_user(District.objects.all(), viewer).filter(office=office)
    campaign, campaigns, weeks = None, [], []
    if viewer.has_perm(CAMPAIGN_PERMISSION):
        offered = for_user(Campaign.objects.all(), viewer).filter(office=office)
        campaigns = list(offered.order_by("-first_day", "-pk"))
        campaign = campaign_shown(offered, local_date(now), campaign_code)
        if campaign_code and campaign is None:
            raise DashboardNotFound(_("No such campaign in this office."))
        weeks = campaign_week_figures(campaign) if campaign else []
    counted: dict = {}  # counts the headline figures and the pending work share
    hotline = None
    if viewer.has_perm(HOTLINE_PERMISSION):
        cases = for_user(Case.objects.all(), viewer).filter(office=office)
        hotline = hotline_dashboard(cases, now=now)
    return Dashboard(
        office=office,
        as_of=now,
        figures=figures_for(FIGURES, viewer=viewer, office=office, counted=counted),
        pending=figures_for(
            [*PENDING, *programme_pending()], viewer=viewer, office=office, counted=counted
        ),
        dongs=dong_figures(office) if registry_part else None,
        districts=district_figures(districts) if registry_part else None,
        business_types=business_type_mix(office) if registry_part else None,
        campaign=campaign,
        campaigns=campaigns,
        weeks=weeks,
        hotline=hotline,
        programmes=programme_rows(viewer=viewer, office=office, now=now),
    )
