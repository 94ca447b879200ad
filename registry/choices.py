"""Stable lowercase values for every status and kind in the registry, with translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry import rules


class DistrictStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    DESIGNATED = "designated", _("Designated")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


class RevocationGround(models.TextChoices):
    FALSEHOOD = "falsehood", _("Designation obtained by falsehood")
    CRITERIA_NOT_MET = "criteria_not_met", _("Criteria no longer met")
    TRADING_STOPPED = "trading_stopped", _("Trading stopped for a year or more")


class AttachmentKind(models.TextChoices):
    MAP = "map", _("Map (lot numbers and area)")
    ARTICLES = "articles", _("Articles of the merchants' organisation")
    ROSTER = "roster", _("Merchant roster")
    CONSENT = "consent", _("Consent forms")
    OTHER = "other", _("Other")


class StoreStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class EnterpriseType(models.TextChoices):
    """The social-economy types of SPEC 7 a business may carry (none for most stores)."""

    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    PRELIMINARY_SOCIAL_ENTERPRISE = (
        "preliminary_social_enterprise",
        _("Preliminary social enterprise"),
    )
    SOCIAL_COOPERATIVE = "social_cooperative", _("Social cooperative")
    VILLAGE_ENTERPRISE = "village_enterprise", _("Village enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")


class CertificateType(models.TextChoices):
    PAPER = "paper", _("Paper")
    CARD = "card", _("Card")
    MOBILE = "mobile", _("Mobile")


DIGITAL_CERTIFICATE_TYPES = (CertificateType.CARD, CertificateType.MOBILE)


class AffiliateStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Struck off")


class StrikeOffReason(models.TextChoices):
    STORE_CLOSED = "store_closed", _("Store closed")
    MOVED_OUT = "moved_out", _("Moved out of an eligible zone")
    MISUSE = "misuse", _("Misuse of certificates")
    OTHER = "other", _("Other")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = rules.APPLICATION_SUBMITTED, _("Submitted")
    IN_REVIEW = rules.APPLICATION_IN_REVIEW, _("In review")
    APPROVED = rules.APPLICATION_APPROVED, _("Approved")
    REJECTED = rules.APPLICATION_REJECTED, _("Rejected")
    CHANGES_REQUESTED = rules.APPLICATION_CHANGES_REQUESTED, _("Changes requested")


# The applications' statuses by name, for the refusals the rules build.
APPLICATION_STATUS_LABELS = dict(ApplicationStatus.choices)


class DocumentKind(models.TextChoices):
    BUSINESS_CERTIFICATE = "business_certificate", _("Business registration certificate")
    CORRECTION = "correction", _("Document sent with corrections")


class ImportKind(models.TextChoices):
    DISTRICTS = "districts", _("Districts")
    STORES = "stores", _("Stores")
