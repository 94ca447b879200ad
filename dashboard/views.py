"""`/dashboard/`: the staff home, the office's figures as charts with their tables (SPEC 6).

The page renders `dashboard.selectors.dashboard_build`, the same reading the API serialises;
`charts.py` turns it into SVG with links. `?print=1` is the A4 print view of the same page.
"""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from dashboard import charts
from dashboard.selectors import dashboard_build, office_shown


@staff_member_required
def home(request: HttpRequest) -> TemplateResponse:
    office = office_shown(request.user, request.GET.get("office", ""))
    dashboard = dashboard_build(
        viewer=request.user, office=office, campaign_code=request.GET.get("campaign", "")
    )
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "dashboard": dashboard,
        "charts": charts.dashboard_charts(dashboard, viewer=request.user),
        "printing": request.GET.get("print") == "1",
    }
    return TemplateResponse(request, "dashboard/home.html", context)
