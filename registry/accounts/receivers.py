"""Sign-in receivers of the registry: what the user's office asks of this sign-in."""

from registry.accounts.middleware import SECOND_FACTOR_OWED
from registry.roles import second_factor_required


def second_factor_mark(*, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: a user whose office requires the second factor owes it.

    Decided once at sign-in, so later requests need no query to know it; an office that starts
    requiring it asks each user from the next sign-in on.
    """
    if second_factor_required(user):
        request.session[SECOND_FACTOR_OWED] = True
