"""Evaluating members and cells (rules 17–20): the rounds a committee opens, one evaluation per
member and cell along the chain self-assessment → the cell's comment → the committee's
appraisal → the decision, and the hash-chained trail of every step."""

import hashlib
import json
import uuid
from calendar import monthrange
from datetime import UTC, date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chibo.lib.bounds import COUNT_MAX, validate_date, validate_year
from chibo.lib.text import validate_multiline_text, validate_plain_text
from chibo.orgs.models import Member, Organisation, User


class Classification(models.TextChoices):
    """Rule 18: the grades of a member or an organisation, best first."""

    # In context: a meeting's "Good" (rule 11) is another grade with another name.
    EXCELLENT = "excellent", pgettext_lazy("evaluation", "Excellent")
    GOOD = "good", pgettext_lazy("evaluation", "Good")
    COMPLETED = "completed", pgettext_lazy("evaluation", "Completed")
    NOT_COMPLETED = "not_completed", pgettext_lazy("evaluation", "Not completed")


class EvaluationRound(models.Model):
    """A committee's call to evaluate every member and cell of its subtree for a period."""

    class Period(models.TextChoices):
        YEAR = "year", _("year")
        QUARTER = "quarter", _("quarter")
        AD_HOC = "ad_hoc", _("ad hoc")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="evaluation_rounds",
        verbose_name=_("committee"),
    )
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    starts_on = models.DateField(_("from"), validators=[validate_date])
    ends_on = models.DateField(_("until"), validators=[validate_date])
    # Blank: named after its period (`name`), in the reader's language.
    title = models.CharField(
        _("title"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    deadline = models.DateField(_("self-assessments due by"), validators=[validate_date])
    opened_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-ends_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period="quarter", quarter__gte=1, quarter__lte=4)
                | (~Q(period="quarter") & Q(quarter__isnull=True)),
                name="round_quarter_of_quarterly",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="round_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The title typed, or else the round's period in the active language."""
        if self.title:
            return self.title
        if self.period == self.Period.YEAR:
            return str(YEAR_ROUND) % {"year": self.year}
        if self.period == self.Period.QUARTER:
            return str(QUARTER_ROUND) % {"quarter": self.quarter, "year": self.year}
        return str(AD_HOC_ROUND) % {
            "from": date_format(self.starts_on, "SHORT_DATE_FORMAT"),
            "until": date_format(self.ends_on, "SHORT_DATE_FORMAT"),
        }


# The names of rounds left untitled (`EvaluationRound.name`).
YEAR_ROUND = _("Evaluation and classification %(year)d")
QUARTER_ROUND = _("Evaluation and classification, quarter %(quarter)d/%(year)d")
AD_HOC_ROUND = _("Evaluation and classification, %(from)s – %(until)s")


class Evaluation(models.Model):
    """One member's or one cell's evaluation in a round, step by step (rule 17).

    `cell` is the member's cell when the round opened (or the cell rated) and `grassroots` the
    committee right above it: whoever comments, appraises and decides is found from them, and
    rule 19's quota is counted per `grassroots`. Once decided, nothing changes (`locked`).
    """

    class Form(models.TextChoices):
        MEMBER = "2a", _("Form 2A: party member")
        LEADER = "2b", _("Form 2B: member holding a leadership position")
        ORGANISATION = "2c", _("Form 2C: party organisation")

    class Step(models.TextChoices):
        OPENED = "opened", _("awaiting self-assessment")
        SELF_ASSESSED = "self_assessed", _("self-assessed")
        COMMENTED = "commented", _("commented by the cell")
        APPRAISED = "appraised", _("appraised by the committee")
        DECIDED = "decided", _("decided")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="evaluations")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations"
    )
    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    grassroots = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    form = models.CharField(_("form"), max_length=2, choices=Form.choices)
    status = models.CharField(_("status"), max_length=20, choices=Step.choices, default=Step.OPENED)

    # Self-assessment (forms 2A, 2B, 2C).
    strengths = models.TextField(
        _("strengths"), blank=True, max_length=4000, validators=[validate_multiline_text]
    )
    shortcomings = models.TextField(
        _("shortcomings"), blank=True, max_length=4000, validators=[validate_multiline_text]
    )
    results = models.TextField(
        _("tasks done and their results"),
        blank=True,
        max_length=4000,
        validators=[validate_multiline_text],
    )
    leadership = models.TextField(
        _("results of the organisation or area led"),
        blank=True,
        max_length=4000,
        validators=[validate_multiline_text],
    )
    self_score = models.PositiveSmallIntegerField(
        _("self-assessed score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    self_grade = models.CharField(
        _("self-proposed grade"), max_length=20, choices=Classification.choices, blank=True
    )
    self_assessed_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Facts of rule 18: task counts from the records of the period, the rest declared.
    tasks_due = models.PositiveIntegerField(default=0)
    tasks_done = models.PositiveIntegerField(default=0)
    tasks_on_time = models.PositiveIntegerField(default=0)
    tasks_exceeding = models.PositiveIntegerField(
        _("tasks done beyond what was asked"),
        default=0,
        validators=[MaxValueValidator(COUNT_MAX)],
    )
    shortcomings_fixed = models.BooleanField(_("earlier shortcomings all fixed"), default=False)
    disciplined = models.BooleanField(_("disciplined during the period"), default=False)

    comment = models.TextField(
        _("the cell's comment"), blank=True, max_length=4000, validators=[validate_multiline_text]
    )
    commented_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    appraisal = models.TextField(
        _("the committee's appraisal"),
        blank=True,
        max_length=4000,
        validators=[validate_multiline_text],
    )
    appraised_score = models.PositiveSmallIntegerField(
        _("proposed score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    appraised_grade = models.CharField(
        _("proposed grade"), max_length=20, choices=Classification.choices, blank=True
    )
    appraised_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    grade = models.CharField(_("grade"), max_length=20, choices=Classification.choices, blank=True)
    quota_reason = models.TextField(
        _("reason for exceeding the quota"),
        blank=True,
        max_length=2000,
        validators=[validate_multiline_text],
    )
    decided_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["round", "grassroots", "status"], name="evaluation_grassroots"),
            models.Index(fields=["round", "cell", "status"], name="evaluation_cell"),
            models.Index(fields=["member", "round"], name="evaluation_member"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, organisation__isnull=True)
                | Q(member__isnull=True, organisation__isnull=False),
                name="evaluation_of_member_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["round", "member"],
                condition=Q(member__isnull=False),
                name="one_evaluation_per_member",
            ),
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_evaluation_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(self_score__lte=100) & Q(appraised_score__lte=100) & Q(score__lte=100),
                name="evaluation_scores_out_of_100",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided")
                | (Q(score__isnull=False, decided_at__isnull=False) & ~Q(grade="")),
                name="evaluation_decision_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.subject}"

    @property
    def subject(self) -> str:
        """Who or what is rated: needs `member` or `organisation` loaded."""
        return self.member.full_name if self.member_id else self.organisation.name

    @property
    def locked(self) -> bool:
        return self.status == self.Step.DECIDED

    def actor_of(self, step: str) -> int | None:
        """The member who took `step` (none for a step not taken, or taken by an administrator)."""
        return getattr(self, f"{step}_by_id", None)


class EvaluationEvent(models.Model):
    """One step of an evaluation, appended and never changed.

    Each event's `hash` covers what it recorded and the hash of the event before it, so an
    event altered or removed afterwards breaks every hash after it (`verify`).
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    step = models.CharField(_("step"), max_length=20, choices=Evaluation.Step.choices)
    # Protected: who took a step must stay known, and is part of the hash.
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()
    # What the step recorded: its texts, score and grade, so the trail shows every revision.
    payload = models.JSONField(default=dict)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("evaluation event")
        verbose_name_plural = _("evaluation events")
        ordering = ["evaluation_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "sequence"], name="one_event_per_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} #{self.sequence} {self.step}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("Evaluation events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Evaluation events are append-only.")

    def digest(self, previous: str, evaluation_code: uuid.UUID) -> str:
        """The hash of this event chained to `previous`, over a canonical JSON of its fields."""
        body = json.dumps(
            {
                "evaluation": str(evaluation_code),
                "sequence": self.sequence,
                "step": self.step,
                "actor": self.actor_id,
                "at": self.at.astimezone(UTC).isoformat(),
                "payload": self.payload,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256((previous + body).encode()).hexdigest()

    def seal(self, previous: str, evaluation_code: uuid.UUID) -> "EvaluationEvent":
        self.hash = self.digest(previous, evaluation_code)
        return self


def verify(evaluation: Evaluation, events: list[EvaluationEvent]) -> str | None:
    """What is wrong with the trail of `evaluation` (all its events, in order), or None.

    Every hash must chain; and replaying the fields the events recorded must give the
    evaluation as it stands, so a record changed behind the trail's back shows too.
    """
    previous, state = "", {}
    for expected, event in enumerate(events):
        if event.sequence != expected or event.digest(previous, evaluation.code) != event.hash:
            return _("Step %(number)d (%(step)s) was altered or removed after it was recorded.") % {
                "number": expected + 1,
                "step": dict(Evaluation.Step.choices).get(event.step, event.step),
            }
        previous = event.hash
        state |= event.payload
    missing = object()
    changed = sorted(
        key for key, value in state.items() if getattr(evaluation, key, missing) != value
    )
    if changed:
        return _("The evaluation differs from what its trail recorded: %(fields)s.") % {
            "fields": ", ".join(changed)
        }
    return None


def period_of(period: str, year: int, quarter: int | None) -> tuple[date, date] | None:
    """The first and last day of a year or a quarter; ad hoc periods are given by hand."""
    if period == EvaluationRound.Period.YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    if period == EvaluationRound.Period.QUARTER and quarter:
        last_month = 3 * quarter
        return date(year, last_month - 2, 1), date(
            year, last_month, monthrange(year, last_month)[1]
        )
    return None
