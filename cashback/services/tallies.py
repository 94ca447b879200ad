"""The weeks' tallies rebuilt from the payments and the customers' weeks, for the writers that
put payments in without the services (data loaded in SQL)."""

from django.db import connection, transaction

from cashback.choices import PaymentStatus
from cashback.models import Campaign
from cashback.services.common import payments_gate_hold

_FORGET = """
DELETE FROM cashback_weektally
WHERE week_id IN (SELECT id FROM cashback_campaignweek WHERE campaign_id = %(campaign)s)
"""

# The four figures of each week counted over its rows, into slot 0; weeks with nothing to count
# get no row. Each week's payments and customers' weeks are read by their week's index.
_COUNT = """
INSERT INTO cashback_weektally
    (week_id, slot, payments, eligible_payments, purchase_total, beneficiaries)
SELECT w.id, 0, p.payments, p.eligible_payments, p.purchase_total, h.beneficiaries
FROM cashback_campaignweek w
CROSS JOIN LATERAL (
    SELECT count(*) AS payments,
        count(*) FILTER (WHERE cashback > 0) AS eligible_payments,
        COALESCE(sum(amount) FILTER (WHERE cashback > 0), 0) AS purchase_total
    FROM cashback_payment WHERE week_id = w.id AND status = %(recorded)s
) p
CROSS JOIN LATERAL (
    SELECT count(*) AS beneficiaries FROM cashback_customerweek WHERE week_id = w.id AND held > 0
) h
WHERE w.campaign_id = %(campaign)s AND (p.payments > 0 OR h.beneficiaries > 0)
"""


@transaction.atomic
def week_tallies_rebuild(*, campaign: Campaign) -> None:
    """Count the campaign's weekly figures again from its payments and customers' weeks, each
    week's into one tally row, replacing what the tallies held.

    For writers that bypass the services, such as data loaded in SQL; the services keep the
    tallies themselves. The campaign's payment gate is held alone meanwhile, so no payment or
    cancellation can add to a tally between the count and the write.
    """
    payments_gate_hold(campaign)
    params = {"campaign": campaign.pk, "recorded": PaymentStatus.RECORDED.value}
    with connection.cursor() as cursor:
        cursor.execute(_FORGET, params)
        cursor.execute(_COUNT, params)
