from django.db import migrations
from django.db.models import OuterRef, Subquery


def freeze_confirmed_weeks(apps, schema_editor):
    """Weeks whose payout was confirmed before the flag existed are frozen from that moment."""
    CampaignWeek = apps.get_model("cashback", "CampaignWeek")
    PayoutBatch = apps.get_model("cashback", "PayoutBatch")
    confirmed = PayoutBatch.objects.filter(week=OuterRef("pk"), status="confirmed")
    CampaignWeek.objects.filter(payout__status="confirmed").update(
        frozen_at=Subquery(confirmed.values("confirmed_at")[:1])
    )


def unfreeze_all(apps, schema_editor):
    apps.get_model("cashback", "CampaignWeek").objects.update(frozen_at=None)


class Migration(migrations.Migration):
    dependencies = [("cashback", "0002_campaignweek_frozen_at")]

    operations = [migrations.RunPython(freeze_confirmed_weeks, unfreeze_all)]
