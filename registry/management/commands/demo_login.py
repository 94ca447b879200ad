import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.demo import demo_password
from registry.demo import DEMO_STAFF, demo_logins_ensure
from registry.roles import ROLE_LABELS


class Command(BaseCommand):
    help = gettext_lazy(
        "Demo only: make sure the superuser 'admin' exists, give it and the demo role users the "
        "demo password (DEMO_ADMIN_PASSWORD, else golmok-demo-2026) and print the login. "
        "Refuses to run unless DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext_lazy("Run even though DEBUG is off. Never on a real installation."),
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "demo_login sets a published password and only runs with DEBUG on; "
                    "pass --force to run it anyway."
                )
            )
        password = demo_password()
        admin, staff = demo_logins_ensure(password)
        host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
        roles = {username: role for username, role, _name in DEMO_STAFF}
        lines = [
            "",
            _("Golmok demo login (demo only: never use this password on a real installation)"),
            *(
                f"  {label}: {value}"
                for label, value in (
                    (_("URL"), f"http://{host}:{port}/admin/"),
                    (_("Username"), admin.username),
                    (_("Password"), password),
                )
            ),
        ]
        if staff:
            lines.append(_("Role users (same password):"))
            lines += [
                f"  {user.username:<11} {ROLE_LABELS[roles[user.username]]}"
                + (f" · {user.office.name}" if user.office else "")
                for user in staff
            ]
        else:
            lines.append(_("No role users yet: run `python manage.py seed_demo` first."))
        self.stdout.write("\n".join(lines) + "\n")
