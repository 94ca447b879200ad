from .affiliate import AffiliateRegistration
from .audit import AccessLog
from .district import District, DistrictAttachment
from .imports import ImportJob
from .office import Dong, Office, RestrictedBusinessType
from .people import User
from .store import Membership, Store

__all__ = [
    "AccessLog",
    "AffiliateRegistration",
    "District",
    "DistrictAttachment",
    "Dong",
    "ImportJob",
    "Membership",
    "Office",
    "RestrictedBusinessType",
    "Store",
    "User",
]
