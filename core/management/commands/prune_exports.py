"""Delete the files of old list downloads: they hold personal data and are kept only a while."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import export_files_prune


class Command(BaseCommand):
    help = gettext_lazy(
        "Delete the files of list downloads made in the background that finished more than "
        "--days days ago; the jobs stay as the record of what was exported."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help=gettext_lazy("Keep files this many days (7).")
        )

    def handle(self, *args, days: int, **options):
        if days < 0:
            raise CommandError(_("--days cannot be negative."))
        pruned = export_files_prune(older_than=timedelta(days=days))
        self.stdout.write(
            self.style.SUCCESS(_("%(count)s exported file(s) deleted.") % {"count": pruned})
        )
