"""`python manage.py settle_payments CAMPAIGN_CODE FILE` (SPEC 3.4)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from cashback.models import Campaign
from cashback.settlement import SettlementRefused, settle_payments, summary_lines


class Command(BaseCommand):
    help = _(
        "Decide and record a CSV file of payments (ref,customer,business_number,amount,method,"
        "paid_at) in (paid_at, ref) order, skipping refs already recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign_code")
        parser.add_argument("file")
        parser.add_argument("--no-progress", action="store_true", help=_("Hide the progress bar."))

    def handle(self, *args, campaign_code: str, file: str, no_progress: bool, **options):
        campaign = Campaign.objects.filter(code=campaign_code).first()
        if campaign is None:
            raise CommandError(_("No campaign has the code %(code)s.") % {"code": campaign_code})
        show = not no_progress and sys.stderr.isatty()
        bars: dict[str, tqdm] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if not show:
                return
            bar = bars.get(stage)
            if bar is None:
                label = _("reading") if stage == "read" else _("deciding")
                bar = bars[stage] = tqdm(total=total or None, desc=label, unit=" rows")
            bar.update(done - bar.n)

        try:
            with open(file, encoding="utf-8-sig", newline="") as stream:
                result = settle_payments(campaign=campaign, stream=stream, progress=progress)
        except FileNotFoundError as exc:
            raise CommandError(_("There is no file %(file)s.") % {"file": file}) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(_("The file is not UTF-8 text.")) from exc
        except SettlementRefused as exc:
            for line, message in exc.problems:
                text = _("line %(line)s: %(message)s") % {"line": line, "message": message}
                self.stderr.write(text)
            raise CommandError(_("Nothing was recorded: the file has malformed rows.")) from exc
        finally:
            for bar in bars.values():
                bar.close()
        for line in summary_lines(result):
            self.stdout.write(line)
