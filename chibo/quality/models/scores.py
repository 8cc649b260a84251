"""The quality of cell life, meeting by meeting: each meeting's score against the criteria and
its grade (rules 11–13)."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from chibo.lib.text import validate_multiline_text
from chibo.meetings.models import Meeting
from chibo.orgs.models import Member


class Grade(models.TextChoices):
    """Rule 11: a meeting's grade."""

    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    AVERAGE = "average", _("Average")
    WEAK = "weak", _("Weak")


class MeetingScoreQuerySet(models.QuerySet):
    def standing(self) -> "MeetingScoreQuerySet":
        """The score that stands for each meeting (rule 13): the superior committee's decision,
        else the cell's own self-score; the supervisor's never stands."""
        decided = MeetingScore.objects.filter(
            meeting=OuterRef("meeting"), role=MeetingScore.Role.COMMITTEE
        )
        return self.filter(
            Q(role=MeetingScore.Role.COMMITTEE) | Q(role=MeetingScore.Role.CELL) & ~Exists(decided)
        )


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

    objects = MeetingScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting score")
        verbose_name_plural = _("meeting scores")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "role"], name="one_score_per_role"),
            models.CheckConstraint(condition=Q(total__lte=100), name="score_out_of_100"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.get_role_display()} · {self.total}"
