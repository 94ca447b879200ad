from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.models import Dong, Office
from registry.services import office_create_or_update


class Command(BaseCommand):
    help = gettext_lazy(
        "Create an office (or rename it and set its dongs): create_office CODE NAME "
        "[--dong NAME]..."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "code", help=gettext_lazy("Five-digit administrative code, e.g. 29140.")
        )
        parser.add_argument("name", help=gettext_lazy("The office's name, e.g. 광주광역시 서구."))
        parser.add_argument(
            "--dong",
            action="append",
            dest="dongs",
            metavar="NAME",
            help=gettext_lazy(
                "An administrative dong of the office; repeat for each. When given, these become "
                "exactly the office's dongs."
            ),
        )

    def handle(self, *args, code: str, name: str, dongs=None, **options):
        existed = Office.objects.filter(code=code.strip()).exists()
        try:
            office = office_create_or_update(code=code.strip(), name=name.strip(), dongs=dongs)
        except ValidationError as exc:
            raise CommandError(_refusal(exc)) from exc
        message = (
            _("Updated office %(name)s (%(code)s) with %(count)s dongs.")
            if existed
            else _("Created office %(name)s (%(code)s) with %(count)s dongs.")
        )
        self.stdout.write(
            self.style.SUCCESS(
                message % {"name": office.name, "code": office.code, "count": office.dongs.count()}
            )
        )


def _refusal(error: ValidationError) -> str:
    """The service's messages, each named by the field it is about."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    labels = {f.name: str(f.verbose_name) for f in Office._meta.fields}
    labels["dongs"] = str(Dong._meta.verbose_name_plural)
    return " ".join(
        f"{labels.get(name, name)}: {message}"
        for name, messages in error.message_dict.items()
        for message in messages
    )
