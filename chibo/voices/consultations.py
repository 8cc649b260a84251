"""Consulting the people before resolving (DOMAIN.md rule 16): a short question and a few
statements that the cell's members, and citizens through the public door if the secretary
chooses, agree with, disagree with or pass, in a window of days that closes before the meeting
where the resolution is discussed (decision 18).

The models only; `chibo.voices.consulting` opens, moderates, takes stances and reads results.
"""

import uuid
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.lib.text import validate_plain_text
from chibo.meetings.models import Meeting
from chibo.orgs.models import Member, Organisation

# A statement is read and answered on a phone in a few seconds: a sentence or two.
STATEMENT_MAX = 280
QUESTION_MAX = 280


class Consultation(models.Model):
    """One consultation, for the resolution of one meeting. Its window is in calendar days of
    Vietnam time, both ends included, and closes before the day of the meeting."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cell = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consultations",
        limit_choices_to={"kind": Organisation.Kind.CELL},
        verbose_name=_("party cell"),
    )
    # The meeting where the resolution is discussed: one consultation each.
    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="consultation", verbose_name=_("meeting")
    )
    question = models.CharField(
        _("question"), max_length=QUESTION_MAX, validators=[validate_plain_text]
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    open_to_citizens = models.BooleanField(_("open to citizens through the public door"))
    opened_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("public consultation")
        verbose_name_plural = _("public consultations")
        ordering = ["-opens_on", "-pk"]
        indexes = [models.Index(fields=["cell", "closes_on"], name="consultation_cell_closes")]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__lte=models.F("closes_on")),
                name="consultation_opens_before_it_closes",
            )
        ]

    def __str__(self) -> str:
        return self.question[:60]

    def is_open_on(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on

    def is_closed_on(self, day: date) -> bool:
        return day > self.closes_on


class Statement(models.Model):
    """One statement to agree with, disagree with or pass. The secretary's are accepted when
    the consultation opens; a participant's own waits for a handler of the cell (decision 18)."""

    class Moderation(models.TextChoices):
        WAITING = "waiting", _("waiting for review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("not accepted")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="statements"
    )
    # Stored and shown as plain text, never rendered as HTML.
    text = models.CharField(
        _("statement"), max_length=STATEMENT_MAX, validators=[validate_plain_text]
    )
    author = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_citizen = models.BooleanField(default=False)
    moderation = models.CharField(
        _("review"), max_length=10, choices=Moderation.choices, default=Moderation.WAITING
    )
    moderated_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["consultation", "moderation"], name="statement_moderation")]

    def __str__(self) -> str:
        return self.text[:60]


class Stance(models.Model):
    """One participant's agree, disagree or pass on one statement: a member, or a citizen known
    only by the token kept in their browser. Given once; the database refuses a second."""

    class Choice(models.TextChoices):
        AGREE = "agree", _("agree")
        DISAGREE = "disagree", _("disagree")
        PASS = "pass", _("pass")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="stances")
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    citizen = models.CharField(max_length=32, blank=True, default="")
    choice = models.CharField(_("stance"), max_length=10, choices=Choice.choices)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("stance")
        verbose_name_plural = _("stances")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "member"],
                condition=Q(member__isnull=False),
                name="one_stance_per_member",
            ),
            models.UniqueConstraint(
                fields=["statement", "citizen"],
                condition=~Q(citizen=""),
                name="one_stance_per_citizen",
            ),
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(citizen=""))
                | (Q(member__isnull=True) & ~Q(citizen="")),
                name="stance_by_member_or_citizen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} · {self.choice}"
