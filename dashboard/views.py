"""`/dashboard/`: the staff home, the office's figures as charts with their tables (SPEC 6), and
the office's weekly report as a page and as an A4 PDF.

Both render `dashboard.selectors.dashboard_build`, the same reading the API serialises;
`charts.py` turns it into SVG with links. `?print=1` is the print view of the dashboard.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from dashboard import charts
from dashboard.report import report_monday, week_activity
from dashboard.selectors import DashboardNotFound, dashboard_build, office_shown


def _dashboard_context(request: HttpRequest) -> dict:
    try:
        office = office_shown(request.user, request.GET.get("office", ""))
        dashboard = dashboard_build(
            viewer=request.user, office=office, campaign_code=request.GET.get("campaign", "")
        )
    except DashboardNotFound as missing:
        raise Http404(str(missing)) from missing
    return {
        **admin.site.each_context(request),
        "dashboard": dashboard,
        "charts": charts.dashboard_charts(dashboard, viewer=request.user),
    }


def _no_office(request: HttpRequest) -> TemplateResponse:
    """Staff whose account no office holds yet: what happened and what to do, not a 404."""
    context = {**admin.site.each_context(request), "title": _("No office linked")}
    return TemplateResponse(request, "dashboard/no_office.html", context, status=403)


@staff_member_required
def home(request: HttpRequest) -> TemplateResponse:
    if request.user.office_id is None and not request.user.is_superuser:
        return _no_office(request)
    context = _dashboard_context(request)
    context |= {"title": _("Dashboard"), "printing": request.GET.get("print") == "1"}
    return TemplateResponse(request, "dashboard/home.html", context)


@staff_member_required
def weekly_report(request: HttpRequest, pdf: bool = False) -> HttpResponse:
    """The week's report (`?week=` any day of it; last week by default), as a page or a PDF."""
    try:
        monday = report_monday(request.GET.get("week", ""))
    except ValueError:
        return HttpResponseBadRequest(
            _(
                "Give a day of a week that has begun, from the year 2000 on, as year-month-day "
                "(for example 2026-03-09)."
            )
        )
    if request.user.office_id is None and not request.user.is_superuser:
        return _no_office(request)
    context = _dashboard_context(request)
    dashboard = context["dashboard"]
    # The office and campaign asked for go along to the neighbouring weeks and the PDF.
    kept = {k: request.GET[k] for k in ("office", "campaign") if request.GET.get(k)}
    context |= {
        "keep": f"&{urlencode(kept)}" if kept else "",
        "title": _("Weekly report"),
        "activity": week_activity(
            viewer=request.user, office=dashboard.office, monday=monday, weeks=dashboard.weeks
        ),
        "pdf": pdf,
    }
    if not pdf:
        return TemplateResponse(request, "dashboard/report.html", context)
    from weasyprint import HTML, URLFetcher  # loaded for PDFs only: it brings Pango

    html = render_to_string("dashboard/report.html", context, request=request)
    # Everything the report shows is in its HTML; nothing is fetched, from here or elsewhere.
    document = HTML(
        string=html,
        base_url=request.build_absolute_uri("/"),
        url_fetcher=URLFetcher(allowed_protocols={"data"}),
    ).write_pdf()
    response = HttpResponse(document, content_type="application/pdf")
    name = f"golmok-weekly-{dashboard.office.code}-{monday.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
