from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared kernel: helpers every app uses, with no business of its own."""

    name = "core"
    label = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        from core.database import utc_times_on_connect

        connection_created.connect(utc_times_on_connect, dispatch_uid="core.utc_times")
