"""Experiment, not product code: the live path with the week's row locked by one final statement.

`python -m bench.cashback --proposed-record` serves this WSGI application instead of
`config.wsgi`: the product unchanged except `cashback.services._record`, replaced for the run by
the ordering proposed in bench/README.md. The payment row comes first (its unique ref), then
the customer's week with one upsert that locks it, then ONE statement that locks the week,
spends from it, moves the customer's holding, writes the ledger entry and settles the payment's
cashback and reason, so the hot row is held for one statement and the COMMIT instead of six
round trips with Python between them. Same rules (`rules.allot` semantics), same lock order
(customer week, then week), same ledger and constraints; `ledger_disagreements` is checked
after the run as for the product.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.cashback_settings")
application = get_wsgi_application()

# Models can be imported once Django is set up.
from django.db import connection  # noqa: E402

from cashback import rules, services  # noqa: E402
from cashback.models import CampaignWeek, Payment  # noqa: E402

SPEND = """
WITH week AS (
    SELECT LEAST(%(capped)s, budget - granted) AS amount,
        EXISTS (SELECT 1 FROM cashback_payoutbatch b
                WHERE b.week_id = %(week)s AND b.status = 'confirmed') AS frozen
    FROM cashback_campaignweek WHERE id = %(week)s FOR UPDATE
), spent AS (
    UPDATE cashback_campaignweek w SET granted = w.granted + week.amount,
        exhausted_at = CASE WHEN w.granted + week.amount = w.budget AND w.exhausted_at IS NULL
                            THEN %(paid_at)s ELSE w.exhausted_at END
    FROM week WHERE w.id = %(week)s AND week.amount > 0 AND NOT week.frozen
    RETURNING week.amount
), held AS (
    UPDATE cashback_customerweek c SET held = c.held + spent.amount FROM spent
    WHERE c.id = %(holding)s RETURNING spent.amount
), ledger AS (
    INSERT INTO cashback_ledgerentry (week_id, payment_id, customer, kind, amount, created_at)
    SELECT %(week)s, %(payment)s, %(customer)s, 'grant', amount, now() FROM held
), paid AS (
    UPDATE cashback_payment p SET cashback = COALESCE(spent.amount, 0),
        reason = CASE WHEN spent.amount = %(raw)s THEN 'granted'
                      WHEN spent.amount > 0 THEN 'partial' ELSE 'budget_exhausted' END
    FROM (SELECT 1) one LEFT JOIN spent ON true
    WHERE p.id = %(payment)s AND NOT (SELECT frozen FROM week)
    RETURNING p.cashback, p.reason
)
SELECT (SELECT frozen FROM week), (SELECT cashback FROM paid), (SELECT reason FROM paid)
"""

HOLD = (
    "INSERT INTO cashback_customerweek (week_id, customer, held, cap) VALUES (%s, %s, 0, %s) "
    "ON CONFLICT (week_id, customer) DO UPDATE SET held = cashback_customerweek.held "
    "RETURNING id, cap - held"
)


def _record(campaign, data, standing, assessment):
    week = (
        CampaignWeek.objects.get(campaign=campaign, number=assessment.week)
        if assessment.week
        else None
    )
    payment = Payment.objects.create(
        campaign=campaign, ref=data.ref, customer=data.customer,
        business_number=data.business_number, store_id=standing.store_id if standing else None,
        amount=data.amount, method=data.method, paid_at=data.paid_at, week=week,
        cashback=0, reason=assessment.reason or rules.WEEKLY_CAP_REACHED,
    )  # fmt: skip
    if week is None:
        return payment
    if assessment.reason is not None:
        services._refuse_if_confirmed(week)
        return payment
    with connection.cursor() as cursor:
        cursor.execute(HOLD, [week.pk, data.customer, week.cap])
        holding, room = cursor.fetchone()
        capped = min(assessment.raw, max(room, 0))
        if capped <= 0:
            services._refuse_if_confirmed(week)
            return payment
        cursor.execute(
            SPEND,
            {
                "capped": capped, "week": week.pk, "paid_at": data.paid_at,
                "holding": holding, "payment": payment.pk, "customer": data.customer,
                "raw": assessment.raw,
            },
        )  # fmt: skip
        frozen, cashback, reason = cursor.fetchone()
    if frozen:
        raise services.WeekFrozen(f"week {week.number} is confirmed and frozen")
    payment.cashback, payment.reason = cashback, reason
    return payment


services._record = _record
