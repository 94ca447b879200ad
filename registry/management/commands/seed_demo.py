import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.demo import seed_demo
from registry.constants import SEOGU_CODE, SEOGU_NAME


class Command(BaseCommand):
    help = gettext_lazy(
        "Fill the database with believable Seo-gu demo data (SPEC 2.7): 18 dongs, 119 "
        "designated districts, about 11,000 stores, Onnuri affiliates, pending applications and "
        "one staff user per role. Running it again adds only what is missing."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        results = seed_demo()
        seconds = time.monotonic() - started
        if not any(count for _label, count in results):
            self.stdout.write(
                _("The demo data of %(name)s (%(code)s) is already in place; nothing was added.")
                % {"name": SEOGU_NAME, "code": SEOGU_CODE}
            )
            return
        for label, count in results:
            self.stdout.write(
                "  " + _("%(what)s: %(count)s added") % {"what": label, "count": f"{count:,}"}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data of %(name)s (%(code)s) ready in %(seconds)s s.")
                % {"name": SEOGU_NAME, "code": SEOGU_CODE, "seconds": f"{seconds:.1f}"}
            )
        )
