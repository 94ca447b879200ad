from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.roles import ROLE_PERMISSIONS, roles_sync


class Command(BaseCommand):
    help = gettext_lazy("Create the role groups and give each exactly its permissions.")

    def handle(self, *args, **options):
        roles_sync()
        self.stdout.write(
            self.style.SUCCESS(
                _("Role groups in step: %(roles)s.") % {"roles": ", ".join(ROLE_PERMISSIONS)}
            )
        )
