"""The quality of cell life rolled up the tree: one row of counts per organisation and month."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chibo.orgs.models import Organisation


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
    # Required points of the committees' guidance falling due this month, and those of them
    # the cell put on the agenda of a meeting it held in the guidance's months.
    guidance_required = models.PositiveIntegerField(default=0)
    guidance_adopted = models.PositiveIntegerField(default=0)
    # Members addressed by the studies of documents falling due this month, and those of them
    # who sent their learning note by the deadline (`library.studying`).
    study_due = models.PositiveIntegerField(default=0)
    study_done = models.PositiveIntegerField(default=0)
    # Voices (rule 15; `chibo.voices.measures` says what each counts).
    voices_received = models.PositiveIntegerField(default=0)
    voices_answered = models.PositiveIntegerField(default=0)
    voices_answered_on_time = models.PositiveIntegerField(default=0)
    voices_answered_1d = models.PositiveIntegerField(default=0)
    voices_answered_3d = models.PositiveIntegerField(default=0)
    voices_answered_7d = models.PositiveIntegerField(default=0)
    voices_answered_30d = models.PositiveIntegerField(default=0)
    voices_passed_up = models.PositiveIntegerField(default=0)
    voices_overdue = models.PositiveIntegerField(default=0)
    # Resolutions on a matter touching the people adopted this month, and those of them whose
    # meeting consulted the people first (rule 16; `chibo.voices.consulting.people_counts`).
    people_resolutions = models.PositiveIntegerField(default=0)
    people_consulted = models.PositiveIntegerField(default=0)

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
