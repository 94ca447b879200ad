from django.utils.translation import gettext_lazy as _

from registry.choices import ImportKind

from ._import import ImportCommand


class Command(ImportCommand):
    help = _(
        "Import an office's designated districts from CSV or XLSX with the columns name, "
        "designation_no, designated_on, dongs, area_m2, association, representative, phone. "
        "Nothing is written unless every row is good."
    )
    kind = ImportKind.DISTRICTS
