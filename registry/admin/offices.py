"""Offices (SPEC 1) with their ordinance, and the people who work in them."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin.history import HistoryAdmin
from core.admin.mixins import OfficeWallMixin, ServiceRefused
from core.templatetags.golmok import won
from registry import services
from registry.models import Dong, Office, RestrictedBusinessType, User


class DongInline(admin.TabularInline):
    model = Dong
    fields = ("name",)
    ordering = ("name",)
    extra = 0


class RestrictedBusinessTypeInline(admin.TabularInline):
    model = RestrictedBusinessType
    fields = ("ksic_code", "name")
    ordering = ("ksic_code",)
    extra = 0
    verbose_name_plural = _("business types restricted from Onnuri affiliation")


@admin.register(Office)
class OfficeAdmin(OfficeWallMixin, HistoryAdmin):
    """Staff see and edit only their own office's ordinance; only superusers add offices."""

    office_field = ""
    list_display = (
        "code",
        "name",
        "min_stores",
        "max_area_m2",
        "sales_cap",
        "reregistration_ban_months",
    )
    search_fields = ("name", "code")
    fieldsets = [
        (None, {"fields": ["code", "name"]}),
        (
            _("Designation criteria (ordinance)"),
            {
                "fields": [
                    "max_area_m2",
                    "extra_area_step_m2",
                    "extra_stores_per_step",
                    "min_stores",
                    "min_stores_commercial",
                    "min_consent_ratio",
                    "owner_consent_required",
                ]
            },
        ),
        (
            _("Onnuri affiliates"),
            {"fields": ["affiliate_sales_cap", "sales_cap", "reregistration_ban_months"]},
        ),
        (_("Signing in"), {"fields": ["otp_required"]}),
    ]

    @admin.display(description=_("affiliate annual sales cap"))
    def sales_cap(self, obj):
        return won(obj.affiliate_sales_cap) if obj and obj.pk else "-"

    def get_inlines(self, request, obj):
        # A new office starts with the default restricted list, which the service adds.
        return [DongInline] if obj is None else [DongInline, RestrictedBusinessTypeInline]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["sales_cap"]
        if not request.user.is_superuser:
            # The second factor protects the office's personal data from its own staff's
            # stolen passwords: only a superuser turns it on or off.
            readonly += ["code", "otp_required"]
        return (*super().get_readonly_fields(request, obj), *readonly)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            saved = services.office_create_or_update(
                code=form.cleaned_data["code"], name=form.cleaned_data["name"], user=request.user
            )
        except ValidationError as error:
            raise ServiceRefused(error) from error
        # The ordinance settings of the form apply on top of the defaults the service set.
        obj.pk = saved.pk
        obj._state.adding = False
        obj._history_user = request.user
        obj.save()


@admin.register(User)
class GolmokUserAdmin(OfficeWallMixin, UserAdmin):
    """Django's user admin with the office: staff see only their office's people."""

    office_editable_by_superuser = True
    list_display = ("username", "last_name", "first_name", "office", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    list_select_related = ("office",)
    actions = ["authenticator_reset"]

    @admin.action(
        description=_("Reset the authenticator app (lost or changed phone)"),
        permissions=["change"],
    )
    def authenticator_reset(self, request, queryset):
        """The user registers a new app at the next sign-in; the old one's codes stop working."""
        users = [
            user for user in queryset if services.otp_devices_reset(user=user, by=request.user)
        ]
        self.message_user(
            request,
            ngettext(
                "Reset the authenticator app of %(count)d user: a new one is registered at the "
                "next sign-in.",
                "Reset the authenticator apps of %(count)d users: new ones are registered at the "
                "next sign-in.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        # Only superusers move people between offices or hand out powers beyond the roles.
        return (*readonly, "is_superuser", "user_permissions")

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            obj.office = request.user.office
        super().save_model(request, obj, form, change)


# django-otp's own admin lists every device with its secret key; here an authenticator is only
# ever reset from the user's row, never read.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
