"""The registry API (/api/v1/): offices, districts, stores and Onnuri affiliate registrations.

Every viewset stands behind the office wall (`core.walls.for_user` on its queryset: another
office's record is a 404) and the role permissions (`RolePermissions`). Every write parses its
input with one serializer, calls one service inside a transaction together with its access-log
row, and answers with the record as it now stands. Services refuse with Django's
`ValidationError`; `core.api.exceptions` turns that into a 400 keyed by the request's fields.

One module per record: `offices`, `districts`, `stores`, `affiliations`; `urls.py` routes them.
"""

from .affiliations import AffiliationViewSet
from .districts import DistrictViewSet
from .offices import OfficeViewSet
from .stores import StoreViewSet

__all__ = ["AffiliationViewSet", "DistrictViewSet", "OfficeViewSet", "StoreViewSet"]
