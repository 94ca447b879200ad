"""The support programmes in the admin: clerks run programmes, applications and the money after
the award; reviewers score the applications of their programmes."""

from programmes.admin import applications, money, programmes, ranking, reviews  # noqa: F401
