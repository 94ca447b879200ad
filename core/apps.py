from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared kernel: helpers every app uses, with no business of its own."""

    name = "core"
    label = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from core import sessions, signin

        # Sign-ins start the session's clocks and, with every sign-out, failure and lock, go
        # into the access log (SPEC 8). Connected before axes' own receivers (core comes first
        # in INSTALLED_APPS and axes.signals is imported only below), so a failure is logged
        # before the lock it causes.
        user_logged_in.connect(sessions.session_stamp, dispatch_uid="golmok_session_stamp")
        user_logged_in.connect(signin.signed_in, dispatch_uid="golmok_signed_in")
        user_logged_out.connect(signin.signed_out, dispatch_uid="golmok_signed_out")
        user_login_failed.connect(signin.sign_in_failed, dispatch_uid="golmok_sign_in_failed")

        from axes.signals import user_locked_out

        user_locked_out.connect(signin.locked_out, dispatch_uid="golmok_locked_out")

        from django.db.backends.signals import connection_created

        from core.database import utc_times_on_connect

        connection_created.connect(utc_times_on_connect, dispatch_uid="core.utc_times")
