"""How registry records look in the API, and how requests are parsed before a service runs.

Output serializers present a record; input serializers only check types and shapes (dates,
numbers, choices, which office, which dong) and hand plain values to one service, which owns
every business rule. Input serializers refuse fields they do not know instead of ignoring them,
so a client never believes it changed something that it did not.

Contacts (a representative's name, a phone number, an account holder) are masked when the
serializer context says `masked`; the views decide that from the `registry.view_contact`
permission and write the access log.

One module per record: `offices`, `districts`, `stores`, `affiliations`; `common` holds the
enum fields, the dong reference and the pieces more than one of them uses. The names below are
the ones the views use.
"""

from .affiliations import (
    AffiliationApplySerializer,
    AffiliationApproveSerializer,
    AffiliationRenewSerializer,
    AffiliationSerializer,
    AffiliationStrikeOffSerializer,
    EligibilitySerializer,
    SettlementAccountSerializer,
    StoreInOfficeField,
)
from .common import (
    AffiliateStatusField,
    CertificateTypeField,
    CheckLineSerializer,
    DistrictStatusField,
    DongRefField,
    OfficeInputMixin,
    RejectSerializer,
    RevocationGroundField,
    StoreStatusField,
    StrikeOffReasonField,
    dong_lookup,
    dong_resolve,
)
from .districts import (
    DistrictChecksSerializer,
    DistrictDesignateSerializer,
    DistrictRevokeSerializer,
    DistrictSerializer,
    DistrictUpdateSerializer,
    DistrictWriteSerializer,
)
from .offices import (
    DongSerializer,
    OfficeCriteriaSerializer,
    OfficeSerializer,
    RestrictedBusinessTypeSerializer,
)
from .stores import (
    CurrentMembershipSerializer,
    DistrictInOfficeField,
    StoreAffiliationBriefSerializer,
    StoreCloseSerializer,
    StoreJoinSerializer,
    StoreLeaveSerializer,
    StoreSerializer,
    StoreUpdateSerializer,
    StoreWriteSerializer,
)

__all__ = [
    "AffiliateStatusField",
    "AffiliationApplySerializer",
    "AffiliationApproveSerializer",
    "AffiliationRenewSerializer",
    "AffiliationSerializer",
    "AffiliationStrikeOffSerializer",
    "CertificateTypeField",
    "CheckLineSerializer",
    "CurrentMembershipSerializer",
    "DistrictChecksSerializer",
    "DistrictDesignateSerializer",
    "DistrictInOfficeField",
    "DistrictRevokeSerializer",
    "DistrictSerializer",
    "DistrictStatusField",
    "DistrictUpdateSerializer",
    "DistrictWriteSerializer",
    "DongRefField",
    "DongSerializer",
    "EligibilitySerializer",
    "OfficeCriteriaSerializer",
    "OfficeInputMixin",
    "OfficeSerializer",
    "RejectSerializer",
    "RestrictedBusinessTypeSerializer",
    "RevocationGroundField",
    "SettlementAccountSerializer",
    "StoreAffiliationBriefSerializer",
    "StoreCloseSerializer",
    "StoreInOfficeField",
    "StoreJoinSerializer",
    "StoreLeaveSerializer",
    "StoreSerializer",
    "StoreStatusField",
    "StoreUpdateSerializer",
    "StoreWriteSerializer",
    "StrikeOffReasonField",
    "dong_lookup",
    "dong_resolve",
]
