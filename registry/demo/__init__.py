"""Believable demo data: Seo-gu, Gwangju, as SPEC 2.7 describes it.

The registry's steps of `seed_demo` (see `core.demo`) fill the database with the office (29140
광주광역시 서구, its 18 dongs, its ordinance), 119 designated districts across all the dongs,
about 11,000 stores with valid business numbers, their memberships and Onnuri registrations,
pending and overdue applications, merchants' self-registrations, and one staff user per role.

- `profile`: Seo-gu as the generator sees it, and the tables names are made of;
- `plan`: `office_plan()` builds any office's data from an `OfficeProfile` as plain values;
- `write`: `office_write()` inserts what an office does not have yet;
- `steps` and `applications`: the steps themselves, and the logins `demo_login` prints.

The benchmark uses `office_plan()` and `office_write()` to build offices at scale.
"""

from registry.demo import applications, steps
from registry.demo.plan import OfficePlan, office_plan
from registry.demo.profile import SEOGU_PROFILE, DongProfile, OfficeProfile
from registry.demo.steps import DEMO_STAFF, demo_logins_ensure
from registry.demo.write import office_write

__all__ = [
    "DEMO_STAFF",
    "SEOGU_PROFILE",
    "DongProfile",
    "OfficePlan",
    "OfficeProfile",
    "applications",
    "demo_logins_ensure",
    "office_plan",
    "office_write",
    "steps",
]
