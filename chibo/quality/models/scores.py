"""The quality of cell life: each meeting's score (rules 11–13) and the monthly indicators that
roll it up the tree."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.lib.text import validate_multiline_text
from chibo.meetings.models import Meeting
from chibo.orgs.models import Member, Organisation


class Grade(models.TextChoices):
    """Rule 11: a meeting's grade."""

    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    AVERAGE = "average", _("Average")
    WEAK = "weak", _("Weak")


class MeetingScore(models.Model):
    """One party's score of a meeting against the criteria of rule 12 (rule 13: the cell scores
    itself, the supervising committee member may score, the superior committee decides)."""

    class Role(models.TextChoices):
        CELL = "cell", _("the cell's self-score")
        SUPERVISOR = "supervisor", _("the supervisor's score")
        COMMITTEE = "committee", _("the superior committee's decision")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="scores")
    role = models.CharField(_("scored by"), max_length=20, choices=Role.choices)
    # Points per criterion of rule 12, keyed by the criterion's key: {"duration": 5, …}.
    points = models.JSONField()
    total = models.PositiveSmallIntegerField(_("total"))
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    note = models.TextField(
        _("note"), blank=True, max_length=2000, validators=[validate_multiline_text]
    )
    by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting score")
        verbose_name_plural = _("meeting scores")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "role"], name="one_score_per_role"),
            models.CheckConstraint(condition=Q(total__lte=100), name="score_out_of_100"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.get_role_display()} · {self.total}"


class MonthlyIndicators(models.Model):
    """What happened in one organisation's subtree in one month, as additive counts.

    A cell's row is computed from its meetings; a committee's row is the sum of its children's,
    so the dashboard of a province reads a few dozen rows however long its history. Rates are
    computed from the counts when read (`chibo.quality.indicators`), never stored.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="monthly_indicators"
    )
    month = models.DateField(help_text="the first day of the month")
    cells = models.PositiveIntegerField(default=0)
    regular_held = models.PositiveIntegerField(default=0)
    # Cells that held a thematic meeting in the quarter up to and including this month.
    thematic_quarter = models.PositiveIntegerField(default=0)
    meetings = models.PositiveIntegerField(default=0)
    expected = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    notices = models.PositiveIntegerField(default=0)
    notices_on_time = models.PositiveIntegerField(default=0)
    lead_hours = models.PositiveBigIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    speakers = models.PositiveIntegerField(default=0)
    self_criticism = models.PositiveIntegerField(default=0)
    # Meetings the formalism detector flags (copied records, silent members, a fixed agenda).
    formal = models.PositiveIntegerField(default=0)
    tasks_due = models.PositiveIntegerField(default=0)
    tasks_on_time = models.PositiveIntegerField(default=0)
    scored = models.PositiveIntegerField(default=0)
    score_sum = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    weak = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly indicators")
        verbose_name_plural = _("monthly indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="one_indicator_row_per_month"
            )
        ]
        indexes = [models.Index(fields=["month", "organisation"], name="indicators_month")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.month:%m/%Y}"
