from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: staff belong to one office and see only its records.

    Superusers may have no office and see every office. What a staff user may do within the
    office comes from the role groups (clerk, supervisor, hotline operator, cashback manager,
    auditor).
    """

    office = models.ForeignKey(
        "registry.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"
