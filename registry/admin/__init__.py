"""The clerks' admin for the registry, one module per concept."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import (  # noqa: F401
    affiliates,
    applications,
    audit,
    districts,
    exports,
    imports,
    offices,
    stores,
)

admin.site.site_header = _("Golmok alley-economy registry")
admin.site.site_title = _("Golmok")
admin.site.index_title = _("Registry administration")
admin.site.site_url = None  # staff reach their dashboard from the header instead
