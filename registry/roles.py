"""The role groups of SPEC 1 and the permissions each one holds.

Roles belong to the registry, beside users and offices. Each app gives each role its own
permissions in its `roles.py`; groups are kept in step with the gathered table after every
migrate (and by `manage.py sync_roles`), so a new permission reaches its role without anyone
editing groups by hand. Codenames of apps that are not installed are skipped.
"""

from importlib import import_module

from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

CLERK = "clerk"
SUPERVISOR = "supervisor"
HOTLINE_OPERATOR = "hotline_operator"
CASHBACK_MANAGER = "cashback_manager"
AUDITOR = "auditor"
# Scores applications of the support programmes they are assigned to (SPEC 7).
PROGRAMME_REVIEWER = "programme_reviewer"
# Not a person: the payment operator's system, which posts and cancels payments by API.
PAYMENT_OPERATOR = "payment_operator"

ROLE_LABELS = {
    CLERK: _("Clerk"),
    SUPERVISOR: _("Supervisor"),
    HOTLINE_OPERATOR: _("Hotline operator"),
    CASHBACK_MANAGER: _("Cashback manager"),
    AUDITOR: _("Auditor"),
    PROGRAMME_REVIEWER: _("Programme reviewer"),
    PAYMENT_OPERATOR: _("Payment operator (system)"),
}

_REGISTRY_WORK = [
    "registry.view_office",
    "registry.view_dong",
    "registry.view_restrictedbusinesstype",
    "registry.add_district",
    "registry.change_district",
    "registry.view_district",
    "registry.add_districtattachment",
    "registry.change_districtattachment",
    "registry.view_districtattachment",
    "registry.delete_districtattachment",
    "registry.add_store",
    "registry.change_store",
    "registry.view_store",
    "registry.view_contact",
    "registry.add_membership",
    "registry.change_membership",
    "registry.view_membership",
    "registry.add_affiliateregistration",
    "registry.change_affiliateregistration",
    "registry.view_affiliateregistration",
    "registry.add_importjob",
    "registry.view_importjob",
    "registry.change_merchantapplication",
    "registry.view_merchantapplication",
    "registry.view_applicationdocument",
]
# Reading the registry does not include unmasked contacts: only roles that call merchants get those.
_REGISTRY_READ = [p for p in _REGISTRY_WORK if ".view_" in p and p != "registry.view_contact"]

# The registry's share of each role; cashback, hotline and the apps to come add theirs in their
# own `roles.py` (a ROLE_PERMISSIONS of the same shape), gathered by `role_permissions()`.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    CLERK: [
        *_REGISTRY_WORK,
        "registry.change_office",
        "registry.add_restrictedbusinesstype",
        "registry.change_restrictedbusinesstype",
        "registry.delete_restrictedbusinesstype",
    ],
    SUPERVISOR: [*_REGISTRY_READ],
    HOTLINE_OPERATOR: [
        "registry.view_store",
        "registry.view_contact",
        "registry.view_district",
        "registry.view_dong",
    ],
    CASHBACK_MANAGER: [
        "registry.view_store",
        "registry.view_district",
        "registry.view_affiliateregistration",
    ],
    PAYMENT_OPERATOR: [],
    PROGRAMME_REVIEWER: [],
    AUDITOR: [
        *_REGISTRY_READ,
        "registry.view_contact",
        "registry.view_accesslog",
        "registry.view_user",
    ],
}


def sees_personal_data(user) -> bool:
    """Whether the user's roles show names, phones and accounts unmasked (SPEC 5): clerks,
    hotline operators, auditors and superusers."""
    from django.conf import settings

    return user.is_active and user.has_perm(settings.CONTACT_PERMISSION)


def second_factor_required(user) -> bool:
    """SPEC 8: staff who can see personal data confirm their sign-in with a one-time code when
    their office requires it (`Office.otp_required`)."""
    office = getattr(user, "office", None)
    return bool(
        user.is_authenticated
        and user.is_staff
        and office is not None
        and office.otp_required
        and sees_personal_data(user)
    )


def role_permissions() -> dict[str, list[str]]:
    """Every role with the permissions all installed apps give it (their `roles` modules)."""
    from django.apps import apps

    gathered = {role: list(codes) for role, codes in ROLE_PERMISSIONS.items()}
    for app_config in apps.get_app_configs():
        if app_config.name == "registry" or not module_has_submodule(app_config.module, "roles"):
            continue
        shares = import_module(f"{app_config.name}.roles").ROLE_PERMISSIONS
        for role, codes in shares.items():
            gathered.setdefault(role, []).extend(codes)
    return gathered


def roles_sync() -> None:
    """Create the role groups and give each exactly the permissions of the table."""
    from django.contrib.auth.models import Group, Permission

    table = role_permissions()
    wanted = {code for codes in table.values() for code in codes}
    by_code = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in={code.split(".", 1)[1] for code in wanted}
        )
    }
    for role, codes in table.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([by_code[code] for code in codes if code in by_code])


def roles_sync_after_migrate(**kwargs) -> None:
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # Permissions of every app must exist before the groups can hold them.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    roles_sync()
