"""Programme applications in the clerks' admin: the list and page (`admin`), the steps behind
the page's buttons (`steps`) and their forms (`forms`)."""

from programmes.admin.applications.admin import ApplicationAdmin

__all__ = ["ApplicationAdmin"]
