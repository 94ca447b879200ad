from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CashbackConfig(AppConfig):
    name = "cashback"
    verbose_name = _("Cashback")
    default_auto_field = "django.db.models.BigAutoField"
