from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programmes.models.application import Application
from programmes.models.programme import Criterion


class Review(models.Model):
    """A reviewer's review of one application: either a conflict of interest declared (no
    scores, not counted) or one score per criterion, whose weighted sum is `total`. One review
    per reviewer and application; reviews are not changed once given."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="programme_reviews",
    )
    conflict = models.BooleanField(_("conflict of interest"), default=False)
    total = models.DecimalField(
        _("weighted total"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application_id", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                name="%(app_label)s_%(class)s_one_per_reviewer",
                violation_error_message=_("This reviewer has already reviewed the application."),
            ),
            models.CheckConstraint(
                condition=Q(conflict=True, total__isnull=True) | Q(conflict=False, total__gte=0),
                name="%(app_label)s_%(class)s_total_unless_conflict",
                violation_error_message=_(
                    "A review with a conflict of interest has no scores; any other has a total."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.reviewer)


class Score(models.Model):
    """The points one reviewer gave one criterion (0 to the criterion's maximum)."""

    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review_id", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"],
                name="%(app_label)s_%(class)s_one_per_criterion",
                violation_error_message=_("This criterion is already scored in the review."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"
