"""Who acts: the type of the user a service, a wall or a log line is given."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the alias is evaluated lazily, so importing it never loads auth's models
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

# A signed-in user of the project's user model, or the anonymous visitor of a public page.
type Actor = AbstractBaseUser | AnonymousUser
