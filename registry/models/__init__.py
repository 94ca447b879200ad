from .affiliate import AffiliateRegistration
from .applications import ApplicationDocument, MerchantApplication
from .audit import AccessLog
from .district import District, DistrictAttachment
from .exports import ExportJob
from .imports import ImportJob
from .office import Dong, Office, RestrictedBusinessType
from .people import User
from .store import Membership, Store, StoreTally

__all__ = [
    "AccessLog",
    "AffiliateRegistration",
    "ApplicationDocument",
    "District",
    "DistrictAttachment",
    "Dong",
    "ExportJob",
    "ImportJob",
    "Membership",
    "MerchantApplication",
    "Office",
    "RestrictedBusinessType",
    "Store",
    "StoreTally",
    "User",
]
