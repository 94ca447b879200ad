"""The registry's demo steps: the office, one staff user per role, and the office's plan written
step by step; and the logins `demo_login` prints."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from core.demo import DemoContext, demo_step
from registry import roles
from registry.constants import SEOGU_CODE, SEOGU_DONGS, SEOGU_NAME
from registry.demo.plan import OfficePlan, office_plan
from registry.demo.profile import SEOGU_PROFILE
from registry.demo.write import (
    affiliations_write,
    districts_write,
    memberships_write,
    stores_write,
)
from registry.models import Office, User
from registry.services import office_create_or_update

DEMO_STAFF = (
    ("clerk", roles.CLERK, "박지현"),
    ("supervisor", roles.SUPERVISOR, "김성훈"),
    ("operator", roles.HOTLINE_OPERATOR, "이수민"),
    ("cashback", roles.CASHBACK_MANAGER, "정다은"),
    ("auditor", roles.AUDITOR, "최영호"),
    # The review committee of the support programmes' demo (programmes/demo.py).
    ("reviewer1", roles.PROGRAMME_REVIEWER, "한지우"),
    ("reviewer2", roles.PROGRAMME_REVIEWER, "오세영"),
    ("reviewer3", roles.PROGRAMME_REVIEWER, "윤태호"),
    ("reviewer4", roles.PROGRAMME_REVIEWER, "강미경"),
    ("reviewer5", roles.PROGRAMME_REVIEWER, "서준혁"),
)


def demo_plan(ctx: DemoContext) -> OfficePlan:
    """Seo-gu's plan, built once for every step of the run."""
    return ctx.memo(
        "registry.plan", lambda: office_plan(SEOGU_PROFILE, seed=ctx.seed, today=ctx.today)
    )


def demo_clerk(office: Office) -> User | None:
    """The clerk who decided the demo's districts and registrations."""
    return User.objects.filter(office=office, groups__name=roles.CLERK).order_by("pk").first()


@demo_step("office", label=_("office and dongs"), order=10)
def office_step(ctx: DemoContext) -> int:
    office = Office.objects.filter(code=SEOGU_CODE).first()
    have = set(office.dongs.values_list("name", flat=True)) if office else set()
    missing = [n for n in SEOGU_DONGS if n not in have]
    if office is None:
        office = office_create_or_update(code=SEOGU_CODE, name=SEOGU_NAME, dongs=missing)
        # Seo-gu's ordinance (15 stores since 2024); set on a new office only, never over the
        # settings of an office someone already runs. No service edits the ordinance yet.
        Office.objects.filter(pk=office.pk).update(min_stores=SEOGU_PROFILE.min_stores)
        office.min_stores = SEOGU_PROFILE.min_stores
    elif missing:
        office = office_create_or_update(
            code=office.code, name=office.name, dongs=[*have, *missing]
        )
    ctx.office = office
    return len(missing)


@demo_step("staff", label=_("staff users"), order=20)
def staff_step(ctx: DemoContext) -> int:
    if not Group.objects.filter(name__in=[role for _u, role, _n in DEMO_STAFF]).exists():
        roles.roles_sync()
    taken = set(
        User.objects.filter(username__in=[u for u, _r, _n in DEMO_STAFF]).values_list(
            "username", flat=True
        )
    )
    added = 0
    for username, role, full_name in DEMO_STAFF:
        if username in taken:
            continue
        user = User.objects.create(
            username=username,
            first_name=full_name,
            office=ctx.office,
            is_staff=True,
            password=ctx.password_hash,
        )
        user.groups.set(Group.objects.filter(name=role))
        added += 1
    return added


@demo_step("districts", label=_("districts"), order=30)
def districts_step(ctx: DemoContext) -> int:
    return districts_write(ctx.office, demo_plan(ctx), clerk=demo_clerk(ctx.office))


@demo_step("stores", label=_("stores"), order=40)
def stores_step(ctx: DemoContext) -> int:
    return stores_write(ctx.office, demo_plan(ctx))


@demo_step("memberships", label=_("memberships"), order=50)
def memberships_step(ctx: DemoContext) -> int:
    return memberships_write(ctx.office, demo_plan(ctx))


@demo_step("affiliations", label=_("Onnuri registrations"), order=60)
def affiliations_step(ctx: DemoContext) -> int:
    return affiliations_write(ctx.office, demo_plan(ctx), clerk=demo_clerk(ctx.office))


def demo_logins_ensure(password: str) -> tuple[User, list[User]]:
    """The `admin` superuser and the demo role users, all with `password` (demo only)."""
    hashed = make_password(password)
    admin, _created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    admin.is_staff = admin.is_superuser = admin.is_active = True
    admin.password = hashed
    admin.save()
    staff = list(
        User.objects.filter(
            username__in=[u for u, _r, _n in DEMO_STAFF], office__code=SEOGU_CODE
        ).select_related("office")
    )
    User.objects.filter(pk__in=[u.pk for u in staff]).update(password=hashed)
    order = {u: n for n, (u, _r, _f) in enumerate(DEMO_STAFF)}
    return admin, sorted(staff, key=lambda u: order[u.username])
