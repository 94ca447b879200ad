from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import AccessAction, choices_check


class AccessLog(models.Model):
    """One view, change or export of a record holding personal data (SPEC 5), or one sign-in,
    sign-out, failed sign-in or lock (SPEC 8).

    Append-only and kept at least two years; only auditors may read it. The user's name is
    copied so the row still says who acted after an account is removed.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150)
    office = models.ForeignKey(
        "registry.Office",
        verbose_name=_("office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    model = models.CharField(_("record type"), max_length=100)
    object_pk = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)
        constraints = [
            choices_check(
                "action",
                AccessAction,
                "%(app_label)s_%(class)s_action_valid",
                _("Choose a valid action."),
            ),
        ]
        indexes = [models.Index(fields=["model", "object_pk"], name="registry_access_record")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"
