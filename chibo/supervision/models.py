"""Committee members assigned by the superior committee to supervise cells (rule 14)."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.lib.bounds import validate_past_date
from chibo.lib.text import validate_multiline_text
from chibo.orgs.models import Member, Organisation, seats_changed


class AssignmentQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> "AssignmentQuerySet":
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)


class Assignment(models.Model):
    """A committee member's charge of a cell: they get its notices and may attend."""

    supervisor = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="supervisions",
        verbose_name=_("supervising committee member"),
    )
    cell = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="supervisions",
        limit_choices_to={"kind": Organisation.Kind.CELL},
        verbose_name=_("party cell"),
    )
    started_on = models.DateField(_("from"), validators=[validate_past_date])
    ended_on = models.DateField(_("until"), null=True, blank=True, validators=[validate_past_date])

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision assignment")
        verbose_name_plural = _("supervision assignments")
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["supervisor", "ended_on"], name="assignment_supervisor")]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "cell"],
                condition=Q(ended_on__isnull=True),
                name="one_open_assignment_per_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} → {self.cell}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        seats_changed()

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        seats_changed()
        return deleted


class Report(models.Model):
    """A supervisor's short report of a meeting they attended (rule 14); their score of it is a
    `quality.MeetingScore` with the supervisor's role."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="supervision_reports"
    )
    supervisor = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="supervision_reports"
    )
    went_well = models.TextField(
        _("what went well"), max_length=4000, validators=[validate_multiline_text]
    )
    to_fix = models.TextField(
        _("what to fix"), max_length=4000, validators=[validate_multiline_text]
    )
    filed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("supervision report")
        verbose_name_plural = _("supervision reports")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "supervisor"], name="one_report_per_meeting")
        ]
        indexes = [models.Index(fields=["supervisor", "filed_at"], name="report_supervisor")]

    def __str__(self) -> str:
        return f"{self.supervisor} · {self.meeting}"
