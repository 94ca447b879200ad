from django.db import migrations

# The weeks' figures as `cashback.services.week_tallies_rebuild` counts them, for every campaign
# at once: each week's recorded payments, those that earned and their purchases, and its
# customers' weeks holding cashback, into slot 0. Kept here as it was when the tallies began,
# so that later changes to the service do not change what this migration did.
FILL = """
INSERT INTO cashback_weektally
    (week_id, slot, payments, eligible_payments, purchase_total, beneficiaries)
SELECT w.id, 0, p.payments, p.eligible_payments, p.purchase_total, h.beneficiaries
FROM cashback_campaignweek w
CROSS JOIN LATERAL (
    SELECT count(*) AS payments,
        count(*) FILTER (WHERE cashback > 0) AS eligible_payments,
        COALESCE(sum(amount) FILTER (WHERE cashback > 0), 0) AS purchase_total
    FROM cashback_payment WHERE week_id = w.id AND status = 'recorded'
) p
CROSS JOIN LATERAL (
    SELECT count(*) AS beneficiaries FROM cashback_customerweek WHERE week_id = w.id AND held > 0
) h
WHERE p.payments > 0 OR h.beneficiaries > 0
"""


class Migration(migrations.Migration):
    dependencies = [("cashback", "0004_weektally")]

    operations = [migrations.RunSQL(FILL, reverse_sql="DELETE FROM cashback_weektally")]
