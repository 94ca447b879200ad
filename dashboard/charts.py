"""The dashboard's charts: `core.charts` drawings of a `Dashboard`, each mark linked to the list
it stands for (the admin's own filters), with Korean titles and descriptions."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.charts import Mark, bar_chart, column_chart, shade_levels, tile_grid
from core.templatetags.golmok import percent_bp, won_short
from dashboard.figures import admin_list
from dashboard.selectors import Dashboard
from registry.models import User

TOP_BUSINESS_TYPES = 10
LOWEST_DISTRICTS = 10


def dashboard_charts(dashboard: Dashboard, *, viewer: User) -> dict:
    """Every chart of the page the viewer may see, by name."""
    code = dashboard.office.code
    charts = {}
    if dashboard.dongs is not None:
        charts |= _registry_charts(dashboard, viewer, code)
    if dashboard.campaign is not None:
        charts |= _campaign_charts(dashboard, viewer, code)
    if dashboard.hotline is not None:
        charts |= _hotline_charts(dashboard, viewer, code)
    if dashboard.programmes:
        charts |= _programme_charts(dashboard)
    return charts


def _stores_list(viewer: User, code: str, **filters) -> str:
    return admin_list(
        "admin:registry_store_changelist", viewer, code, status__exact="active", **filters
    )


def _registry_charts(dashboard: Dashboard, viewer: User, code: str) -> dict:
    dongs = dashboard.dongs
    rates = [d.affiliate_rate_bp for d in dongs]
    tiles = tile_grid(
        title=_("Digital affiliate rate by dong"),
        description=_(
            "One tile per dong, from lightest (the lowest rate, %(low)s) to darkest (the highest, "
            "%(high)s): the share of its active stores that are digital Onnuri affiliates. Each "
            "tile opens the dong's active stores."
        )
        % {
            "low": percent_bp(min(rates, default=0)),
            "high": percent_bp(max(rates, default=0)),
        },
        marks=[
            Mark(
                label=d.dong,
                value=d.affiliate_rate_bp,
                shown=percent_bp(d.affiliate_rate_bp),
                href=_stores_list(viewer, code, dong__id__exact=d.dong_id),
            )
            for d in dongs
        ],
        shade=shade_levels(rates, low=min(rates, default=0), high=max(rates, default=0)),
    )
    lowest = sorted(
        (d for d in dashboard.districts if d.stores),
        key=lambda d: (d.affiliate_rate_bp, d.district),
    )[:LOWEST_DISTRICTS]
    districts = bar_chart(
        title=_("Districts with the lowest digital affiliate rate"),
        description=_(
            "The %(count)s designated districts where the smallest share of member stores are "
            "digital Onnuri affiliates; each bar opens the district's active stores."
        )
        % {"count": len(lowest)},
        marks=[
            Mark(
                label=d.district,
                value=d.affiliate_rate_bp,
                shown=f"{percent_bp(d.affiliate_rate_bp)} ({d.affiliates:,}/{d.stores:,})",
                href=_stores_list(viewer, code, district=d.district_id),
            )
            for d in lowest
        ],
    )
    top = dashboard.business_types[:TOP_BUSINESS_TYPES]
    business_types = bar_chart(
        title=_("Business types"),
        description=_(
            "The %(count)s business types with the most active stores; each bar opens their list."
        )
        % {"count": len(top)},
        marks=[
            Mark(
                label=b.name or b.ksic_code,
                value=b.stores,
                href=_stores_list(viewer, code, ksic=b.ksic_code),
            )
            for b in top
        ],
    )
    return {"dongs": tiles, "districts": districts, "business_types": business_types}


def _campaign_charts(dashboard: Dashboard, viewer: User, code: str) -> dict:
    campaign = dashboard.campaign

    def payments(week: int) -> str:
        """The week's payments that earned cashback: what each column of these charts sums."""
        return admin_list(
            "admin:cashback_payment_changelist",
            viewer,
            code,
            campaign__id__exact=campaign.pk,
            week=week,
            status__exact="recorded",
            reason__in="granted,partial",
        )

    def label(week: int) -> str:
        return _("W%(week)s") % {"week": week}

    weeks = dashboard.weeks
    burn_down = column_chart(
        title=_("Budget spent each week"),
        description=_(
            "For each week of %(campaign)s, the budget (pale) and the cashback granted (dark); "
            "a red line marks a week whose budget ran out. Each column opens the week's "
            "payments that earned cashback."
        )
        % {"campaign": campaign.name},
        marks=[
            Mark(
                label=label(w.week),
                value=w.granted,
                secondary=w.budget,
                shown=_("%(granted)s of %(budget)s")
                % {"granted": won_short(w.granted), "budget": won_short(w.budget)},
                href=payments(w.week),
                flag="out" if w.exhausted_at else "",
            )
            for w in weeks
        ],
    )
    circulated = column_chart(
        title=_("Purchases that earned cashback"),
        description=_(
            "For each week, the sum of the payments that earned cashback: money spent in the "
            "office's alleys. Each column opens those payments."
        ),
        marks=[
            Mark(
                label=label(w.week),
                value=w.purchase_total,
                shown=won_short(w.purchase_total),
                href=payments(w.week),
            )
            for w in weeks
        ],
    )
    beneficiaries = column_chart(
        title=_("Customers who received cashback"),
        description=_(
            "For each week, how many different customers received cashback; each column opens "
            "the payments that earned it."
        ),
        marks=[
            Mark(
                label=label(w.week),
                value=w.beneficiaries,
                shown=_("%(n)s customers") % {"n": f"{w.beneficiaries:,}"},
                href=payments(w.week),
            )
            for w in weeks
        ],
    )
    return {"burn_down": burn_down, "circulated": circulated, "beneficiaries": beneficiaries}


def _hotline_charts(dashboard: Dashboard, viewer: User, code: str) -> dict:
    hotline = dashboard.hotline
    by_category = bar_chart(
        title=_("Cases by category, last 90 days"),
        description=_(
            "For each category, the cases received in the last 90 days (pale) and those of them "
            "still open (dark); each bar opens those open cases."
        ),
        marks=[
            Mark(
                label=c.label,
                value=c.open,
                secondary=c.received,
                shown=_("%(open)s open of %(received)s")
                % {"open": f"{c.open:,}", "received": f"{c.received:,}"},
                href=admin_list(
                    "admin:hotline_case_changelist",
                    viewer,
                    code,
                    category__exact=c.category,
                    open="yes",
                    received_days=90,
                ),
            )
            for c in hotline.by_category
        ],
    )
    received = column_chart(
        title=_("Cases received each week"),
        description=_(
            "How many cases the hotline received in each of the last 13 weeks; each column "
            "opens that week's cases."
        ),
        marks=[
            Mark(
                label=date_format(week.week_starts_on, "n/j"),
                value=week.received,
                shown=_("%(n)s cases") % {"n": f"{week.received:,}"},
                href=admin_list(
                    "admin:hotline_case_changelist",
                    viewer,
                    code,
                    received_week=week.week_starts_on.isoformat(),
                ),
            )
            for week in hotline.received_by_week
        ],
    )
    return {"by_category": by_category, "received": received}


def _programme_charts(dashboard: Dashboard) -> dict:
    awards = bar_chart(
        title=_("Support programmes: budget and awards"),
        description=_(
            "For each programme open now or closed within the last year, its budget (pale) and "
            "what has been awarded of it (dark); each bar opens the selected or awarded "
            "applications."
        ),
        marks=[
            Mark(
                label=row.name,
                value=row.awarded,
                secondary=row.budget,
                shown=_("%(awarded)s of %(budget)s")
                % {"awarded": won_short(row.awarded), "budget": won_short(row.budget)},
                href=row.awarded_list or "",
            )
            for row in dashboard.programmes
        ],
    )
    return {"programme_awards": awards}
