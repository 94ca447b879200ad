"""Staff accounts' second factor (SPEC 8): registering an authenticator app, and resetting it.

A user holds at most one authenticator (a django-otp TOTP device). It is made unconfirmed when
the user is first asked for a code, and confirmed by the first right code, so a scan that went
wrong never locks anyone out. Each confirmation and reset is written to the access log.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import access_log
from core.choices import AccessAction
from registry.models import User


def otp_device_confirmed(*, user: User) -> TOTPDevice | None:
    """The user's registered authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def otp_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator being registered: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(
        user=user, name=_("Authenticator app"), confirmed=False
    )


@transaction.atomic
def otp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm the pending authenticator with its first code; False when the code is wrong.

    The one confirmed device is the user's authenticator from then on; other pending ones go.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    access_log(
        user=user,
        action=AccessAction.CHANGE,
        obj=user,
        detail=_("Registered an authenticator app for signing in"),
    )
    return True


@transaction.atomic
def otp_devices_reset(*, user: User, by: User) -> int:
    """Forget the user's authenticator (a lost phone): the next sign-in registers a new one."""
    deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        access_log(
            user=by,
            action=AccessAction.CHANGE,
            obj=user,
            detail=_("Reset the authenticator app used for signing in"),
        )
    return deleted
