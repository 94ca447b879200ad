from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.models import Office
from registry.selectors import business_numbers_invalid
from registry.selectors.numbers import FAULT_CHECK_DIGIT


class Command(BaseCommand):
    help = gettext_lazy(
        "List, office by office, the stores and open merchant applications whose business "
        "registration number is no longer accepted (a wrong check digit, or parts that cannot "
        "be real), for the clerk to correct. Nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "office_codes",
            nargs="*",
            metavar="OFFICE_CODE",
            help=gettext_lazy("Only these offices (five-digit codes); every office if none."),
        )

    def handle(self, *args, office_codes=(), **options):
        offices = Office.objects.order_by("code")
        if office_codes:
            offices = offices.filter(code__in=office_codes)
            unknown = sorted(set(office_codes) - set(offices.values_list("code", flat=True)))
            if unknown:
                raise CommandError(
                    _("No office has the code %(code)s.") % {"code": ", ".join(unknown)}
                )
        total = 0
        for office in offices:
            found = business_numbers_invalid(office)
            total += len(found)
            self._office(office, found)
        if total:
            self.stdout.write(
                _(
                    "%(count)s record(s) to correct. Open each one in the admin and enter the "
                    "number on the business registration certificate."
                )
                % {"count": total}
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("Every stored business number is valid.")))

    def _office(self, office, found) -> None:
        heading = {"name": office.name, "code": office.code, "count": len(found)}
        if not found:
            self.stdout.write(_("%(name)s (%(code)s): nothing to correct.") % heading)
            return
        self.stdout.write(
            self.style.WARNING(
                _("%(name)s (%(code)s): %(count)s record(s) with an invalid number") % heading
            )
        )
        for row in found:
            fault = (
                _("the check digit does not match")
                if row.fault == FAULT_CHECK_DIGIT
                else _(
                    "its parts cannot be real (tax office below 101, kind of business 00 or "
                    "serial 0000)"
                )
            )
            meta = row.model._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
            self.stdout.write(
                "  "
                + _("%(kind)s %(number)s %(name)s (%(status)s): %(fault)s. %(url)s")
                % {
                    "kind": meta.verbose_name,
                    "number": row.shown,
                    "name": row.name,
                    "status": row.status,
                    "fault": fault,
                    "url": url,
                }
            )
