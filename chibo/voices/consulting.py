"""A consultation of the people from its opening to its result (DOMAIN.md rule 16, decision 18).

Each function refuses with `ConsultationError` (a message for the person) and changes nothing,
or changes what it says and returns it. Days are calendar days in Vietnam time, taken from the
clock handed in (`at`), so tests freeze them and the closing day ends at local midnight.

Nothing in a consultation changes once its meeting has started: stances end with its window,
statements wait for review until the meeting starts at the latest. So the result the meeting
page, the minutes and the resolution show is the same wherever it is read.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.access.scope import Scope
from chibo.meetings.models import Meeting
from chibo.voices.consultations import QUESTION_MAX, STATEMENT_MAX, Consultation, Stance, Statement
from chibo.voices.handling import VoiceError, _text

Moderation, Choice = Statement.Moderation, Stance.Choice
# The secretary's statements: at least one, at most a screen's worth.
SEED_MAX = 10
# Broad agreement: at least two in three of those who answered a statement agree, out of at
# least `MIN_VOTES` answers (two agreeing of three is no sign of a whole hamlet's view).
# Divided: at least a third agree and at least a third disagree, out of as many; the two
# cannot both hold, since a third disagreeing leaves less than two thirds to agree.
BROAD = (2, 3)
DIVIDED = (1, 3)
MIN_VOTES = 5
# Meetings whose consultation can still be opened: not yet held.
PREPARING = (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED)


class ConsultationError(VoiceError):
    """A change to a consultation refused, with a message for the person who asked."""


def new_citizen_token() -> str:
    """What a citizen's browser keeps (signed) to be counted once per statement."""
    return secrets.token_urlsafe(16)


def _today(at: datetime | None) -> date:
    return timezone.localdate(at or timezone.now())


def _plain(value: str, required: str, limit: int) -> str:
    try:
        return _text(value, required=required, multiline=False, limit=limit)
    except VoiceError as error:
        raise ConsultationError(str(error)) from None


def open_consultation(
    meeting: Meeting,
    scope: Scope,
    *,
    question: str,
    statements: list[str],
    opens_on: date,
    closes_on: date,
    open_to_citizens: bool = False,
    at: datetime | None = None,
) -> Consultation:
    """A consultation for the resolution of `meeting`, its statements accepted: it opens on
    `opens_on` (today at the earliest) and closes at the end of `closes_on`, before the day
    of the meeting."""
    at = at or timezone.now()
    today = _today(at)
    if not scope.can_open_consultation(meeting):
        raise ConsultationError(_("Only those who prepare the meeting may consult the people."))
    if meeting.status not in PREPARING:
        raise ConsultationError(_("The meeting has begun: it is too late to consult the people."))
    question = _plain(question, _("Write the question you ask."), QUESTION_MAX)
    texts = []
    for text in statements:
        text = _plain(text, "", STATEMENT_MAX)
        if text and text not in texts:
            texts.append(text)
    if not texts:
        raise ConsultationError(_("Write at least one statement for people to answer."))
    if len(texts) > SEED_MAX:
        raise ConsultationError(
            _("Keep to %(max)d statements; participants may add their own.") % {"max": SEED_MAX}
        )
    if opens_on < today:
        raise ConsultationError(_("The consultation cannot open before today."))
    if closes_on < opens_on:
        raise ConsultationError(_("The consultation must close on or after the day it opens."))
    if closes_on >= timezone.localdate(meeting.starts_at):
        raise ConsultationError(
            _("The consultation must close before the day of the meeting (%(day)s).")
            % {"day": timezone.localdate(meeting.starts_at).strftime("%d/%m/%Y")}
        )
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        if Consultation.objects.filter(meeting=meeting).exists():
            raise ConsultationError(_("This meeting's consultation is open already."))
        consultation = Consultation.objects.create(
            cell_id=meeting.cell_id,
            meeting=meeting,
            question=question,
            opens_on=opens_on,
            closes_on=closes_on,
            open_to_citizens=bool(open_to_citizens),
            opened_by=scope.member,
            created_at=at,
        )
        Statement.objects.bulk_create(
            Statement(
                consultation=consultation,
                text=text,
                author=scope.member,
                moderation=Moderation.ACCEPTED,
                moderated_by=scope.member,
                created_at=at,
            )
            for text in texts
        )
    return consultation


def _participant(consultation: Consultation, scope: Scope | None, citizen: str) -> dict:
    """Who takes part, as the fields of their stance; refused to anyone else."""
    if scope is not None:
        if not scope.can_take_part(consultation):
            raise ConsultationError(
                _("Only the members of the cell take part in its consultation.")
            )
        return {"member_id": scope.member_id}
    if not consultation.open_to_citizens:
        raise ConsultationError(_("This consultation is for the cell's members only."))
    if not citizen:
        raise ConsultationError(_("Your browser must keep cookies to take part."))
    return {"citizen": citizen}


def _within_window(consultation: Consultation, today: date) -> None:
    if today < consultation.opens_on:
        raise ConsultationError(
            _("The consultation opens on %(day)s.")
            % {"day": consultation.opens_on.strftime("%d/%m/%Y")}
        )
    if today > consultation.closes_on:
        raise ConsultationError(_("The consultation is closed: nothing more can be added."))


def add_statement(
    consultation: Consultation,
    text: str,
    *,
    scope: Scope | None = None,
    citizen: str = "",
    at: datetime | None = None,
) -> Statement:
    """A participant's own statement, waiting for a handler of the cell before anyone sees it."""
    at = at or timezone.now()
    who = _participant(consultation, scope, citizen)
    _within_window(consultation, _today(at))
    text = _plain(text, _("Write your statement."), STATEMENT_MAX)
    if consultation.statements.filter(text=text).exclude(moderation=Moderation.REJECTED).exists():
        raise ConsultationError(_("This statement is there already: answer it instead."))
    return Statement.objects.create(
        consultation=consultation,
        text=text,
        author_id=who.get("member_id"),
        by_citizen="citizen" in who,
        created_at=at,
    )


@transaction.atomic
def moderate(
    statement: Statement, accept: bool, scope: Scope, at: datetime | None = None
) -> Statement:
    """Accepted (participants answer it from then on) or not (nobody sees it)."""
    at = at or timezone.now()
    locked = (
        Statement.objects.select_for_update(of=("self",))
        .select_related("consultation__cell", "consultation__meeting")
        .get(pk=statement.pk)
    )
    consultation = locked.consultation
    if not scope.can_moderate_statements(consultation):
        raise ConsultationError(_("Only those who handle the cell's voices review statements."))
    if locked.moderation != Moderation.WAITING:
        raise ConsultationError(_("This statement was reviewed already."))
    if at >= consultation.meeting.starts_at:
        raise ConsultationError(_("The meeting has begun: the consultation's result is final."))
    locked.moderation = Moderation.ACCEPTED if accept else Moderation.REJECTED
    locked.moderated_by = scope.member
    locked.save(update_fields=["moderation", "moderated_by"])
    return locked


def take_stance(
    statement: Statement,
    choice: str,
    *,
    scope: Scope | None = None,
    citizen: str = "",
    at: datetime | None = None,
) -> Stance:
    """One participant's agree, disagree or pass; refused the second time, whatever the
    choice: a stance is given once and stays (decision 18)."""
    at = at or timezone.now()
    statement = Statement.objects.select_related("consultation").get(pk=statement.pk)
    consultation = statement.consultation
    who = _participant(consultation, scope, citizen)
    if choice not in Choice.values:
        raise ConsultationError(_("Choose agree, disagree or pass."))
    if statement.moderation != Moderation.ACCEPTED:
        raise ConsultationError(_("This statement is not open to answers."))
    _within_window(consultation, _today(at))
    twice = ConsultationError(
        _("You answered this statement already; your answer stays as it was.")
    )
    if Stance.objects.filter(statement=statement, **who).exists():
        raise twice
    try:
        with transaction.atomic():
            return Stance.objects.create(statement=statement, choice=choice, at=at, **who)
    except IntegrityError:  # the same person, twice at once: the database keeps one
        raise twice from None


# -- the result ---------------------------------------------------------------------------


def _at_least(part: int, whole: int, share: tuple[int, int]) -> bool:
    return part * share[1] >= whole * share[0]


@dataclass
class Line:
    """One accepted statement and how it was answered."""

    statement: Statement
    agree: int = 0
    disagree: int = 0
    passed: int = 0

    @property
    def total(self) -> int:
        return self.agree + self.disagree + self.passed

    @property
    def broad(self) -> bool:
        return self.total >= MIN_VOTES and _at_least(self.agree, self.total, BROAD)

    @property
    def divided(self) -> bool:
        return (
            self.total >= MIN_VOTES
            and _at_least(self.agree, self.total, DIVIDED)
            and _at_least(self.disagree, self.total, DIVIDED)
        )

    def percent(self, count: int) -> int:
        return round(100 * count / self.total) if self.total else 0

    @property
    def agree_percent(self) -> int:
        return self.percent(self.agree)

    @property
    def disagree_percent(self) -> int:
        return self.percent(self.disagree)

    @property
    def pass_percent(self) -> int:
        return self.percent(self.passed)


@dataclass
class Result:
    """Participation and each accepted statement's counts, in two queries."""

    consultation: Consultation
    members: int = 0
    citizens: int = 0
    lines: list[Line] = field(default_factory=list)

    @property
    def participants(self) -> int:
        return self.members + self.citizens

    @property
    def broad(self) -> list[Line]:
        return [line for line in self.lines if line.broad]

    @property
    def divided(self) -> list[Line]:
        return [line for line in self.lines if line.divided]


def lines_of(statements, counts) -> list[Line]:
    """The lines of `statements` from (statement id, choice, count) rows: one place to read
    stances into counts, for the result and for tests that make stances by hand."""
    lines = {s.pk: Line(s) for s in statements}
    attribute = {Choice.AGREE: "agree", Choice.DISAGREE: "disagree", Choice.PASS: "passed"}
    for statement_id, choice, count in counts:
        if statement_id in lines:
            setattr(lines[statement_id], attribute[choice], count)
    return list(lines.values())


def result_of(consultation: Consultation) -> Result:
    statements = list(
        consultation.statements.filter(moderation=Moderation.ACCEPTED).order_by("created_at", "pk")
    )
    stances = Stance.objects.filter(
        statement__consultation=consultation, statement__moderation=Moderation.ACCEPTED
    )
    counts = stances.values_list("statement_id", "choice").annotate(n=Count("pk")).order_by()
    participation = stances.aggregate(
        members=Count("member", distinct=True),
        citizens=Count("citizen", distinct=True, filter=~Q(citizen="")),
    )
    return Result(
        consultation,
        members=participation["members"],
        citizens=participation["citizens"],
        lines=lines_of(statements, counts),
    )
