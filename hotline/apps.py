from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "hotline"
    verbose_name = _("Alley Economy 119 hotline")
    default_auto_field = "django.db.models.BigAutoField"
