from django.utils.translation import gettext_lazy as _

from registry.choices import ImportKind

from ._import import ImportCommand


class Command(ImportCommand):
    help = _(
        "Import an office's stores from CSV or XLSX with the columns business_number, "
        "trade_name, representative, phone, address, dong, ksic_code, district, affiliate_types. "
        "Nothing is written unless every row is good."
    )
    kind = ImportKind.STORES
