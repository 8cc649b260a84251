"""Evaluating members and cells along the chain of rule 17.

A committee opens a round for its subtree; each evaluation is then self-assessed, commented
on by the cell, appraised by the committee and decided by the standing committee above. Each
step is checked against rules 18 and 19, appended to the evaluation's hash-chained trail, and
announced to whoever takes the next one. A step may be taken again until the next one is; the
decision, never.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.audit import evaluations as audit_trail
from chibo.lib.months import month_of, shift
from chibo.meetings.models import DONE_ON_TIME, ActionItem
from chibo.notify.models import Notification
from chibo.orgs.models import LEADS_CELL, STANDING, Member, Organisation, Position, User
from chibo.quality.evaluation.rules import (
    CellScore,
    Facts,
    Rated,
    cell_score,
    highest_grade,
    quota,
    refusal,
)
from chibo.quality.indicators import aggregate
from chibo.quality.models import (
    Classification,
    Evaluation,
    EvaluationEvent,
    EvaluationRound,
    MonthlyIndicators,
)

Step = Evaluation.Step
ORDER = list(Step)
BATCH = 1000
# What each step records, besides who took it.
FIELDS = {
    Step.OPENED: ["form", "member_id", "organisation_id", "cell_id", "grassroots_id"],
    Step.SELF_ASSESSED: [
        "strengths",
        "shortcomings",
        "results",
        "leadership",
        "tasks_exceeding",
        "shortcomings_fixed",
        "self_score",
        "self_grade",
    ],
    Step.COMMENTED: ["comment"],
    Step.APPRAISED: ["appraisal", "disciplined", "appraised_score", "appraised_grade"],
    Step.DECIDED: ["score", "grade", "quota_reason"],
}
TASK_COUNTS = ["tasks_due", "tasks_done", "tasks_on_time"]
# The score and grade each graded step gives, checked against rule 18.
GRADED = {
    Step.SELF_ASSESSED: ("self_score", "self_grade"),
    Step.APPRAISED: ("appraised_score", "appraised_grade"),
    Step.DECIDED: ("score", "grade"),
}
TOO_EARLY = {
    Step.COMMENTED: gettext_lazy("The cell comments after the self-assessment."),
    Step.APPRAISED: gettext_lazy("The committee appraises after the cell's comment."),
    Step.DECIDED: gettext_lazy("The standing committee decides after the committee's appraisal."),
}
# Who hears of each step: what they are asked to do next.
NEXT = {
    Step.OPENED: Notification.Kind.EVALUATION_DUE,
    Step.SELF_ASSESSED: Notification.Kind.EVALUATION_COMMENT,
    Step.COMMENTED: Notification.Kind.EVALUATION_APPRAISE,
    Step.APPRAISED: Notification.Kind.EVALUATION_DECIDE,
    Step.DECIDED: Notification.Kind.EVALUATION_DECIDED,
}


@transaction.atomic
def open_round(organisation: Organisation, user: User, **fields) -> EvaluationRound:
    """Open a round for the committee's subtree: one evaluation for every member with
    obligations (exempt members are not rated) and every cell, made in bulk, each recorded in
    its trail and announced to whoever self-assesses it."""
    _refuse_overlap(organisation, fields)
    opened = EvaluationRound.objects.create(
        organisation=organisation, opened_by=Member.objects.filter(user=user).first(), **fields
    )
    evaluations, assessors = _everyone_in(opened)
    created = Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    now = timezone.now()
    events = EvaluationEvent.objects.bulk_create(
        [_event(evaluation, 0, Step.OPENED, user, now) for evaluation in created],
        batch_size=BATCH,
    )
    audit_trail.round_opened(opened, user, events)
    Notification.objects.bulk_create(
        (
            Notification(recipient_id=user_id, kind=NEXT[Step.OPENED], evaluation=evaluation)
            for evaluation in created
            for user_id in assessors[evaluation.member_id, evaluation.organisation_id]
        ),
        batch_size=BATCH,
    )
    return opened


def _everyone_in(opened: EvaluationRound) -> tuple[list[Evaluation], dict]:
    """The unsaved evaluations of a round, and who self-assesses each, keyed by
    (member, organisation): the member, or a cell's secretary and deputy. A few queries
    however big the subtree."""
    subtree = opened.organisation.path
    cells = dict(Organisation.objects.cells().within(opened.organisation).values_list("pk", "path"))
    steplen = Organisation.steplen
    # A cell's grassroots organisation is the committee right above it.
    parents = dict(
        Organisation.objects.filter(path__in={p[:-steplen] for p in cells.values()}).values_list(
            "path", "pk"
        )
    )
    grassroots = {cell: parents[path[:-steplen]] for cell, path in cells.items()}
    leaders = set(
        Position.objects.current()
        .filter(member__cell__path__startswith=subtree)
        .values_list("member", flat=True)
    )
    members = (
        Member.objects.with_obligations()
        .filter(cell__path__startswith=subtree)
        .values_list("pk", "cell", "user", "user__is_active")
    )
    assessors: dict[tuple, list[int]] = defaultdict(list)
    evaluations = []
    for pk, cell, user_id, active in members:
        form = Evaluation.Form.LEADER if pk in leaders else Evaluation.Form.MEMBER
        evaluations.append(
            Evaluation(
                round=opened, member_id=pk, cell_id=cell, grassroots_id=grassroots[cell], form=form
            )
        )
        if active:
            assessors[pk, None].append(user_id)
    for cell in cells:
        evaluations.append(
            Evaluation(
                round=opened,
                organisation_id=cell,
                cell_id=cell,
                grassroots_id=grassroots[cell],
                form=Evaluation.Form.ORGANISATION,
            )
        )
    cell_leaders = Position.objects.current().filter(
        kind__in=LEADS_CELL,
        organisation__kind=Organisation.Kind.CELL,
        organisation__path__startswith=subtree,
        member__user__is_active=True,
    )
    for cell, user_id in cell_leaders.values_list("organisation", "member__user"):
        assessors[None, cell].append(user_id)
    return evaluations, assessors


def _refuse_overlap(organisation: Organisation, fields: dict) -> None:
    """A year or a quarter is evaluated once: no second round over the same members."""
    if fields["period"] == EvaluationRound.Period.AD_HOC:
        return
    same_period = EvaluationRound.objects.filter(
        period=fields["period"], year=fields["year"], quarter=fields.get("quarter")
    )
    covering = same_period.filter(
        Q(organisation__path__startswith=organisation.path)
        | Q(organisation__path__in=organisation.ancestor_paths())
    ).first()
    if covering is not None:
        raise ValidationError(
            _("“%(title)s” already evaluates this period for some of these members and cells.")
            % {"title": covering.name},
            code="overlap",
        )


@transaction.atomic
def take_step(evaluation: Evaluation, step: str, user: User, data: dict) -> Evaluation:
    """Record `step` on the evaluation with `data` (the step's `FIELDS`), as `user`.

    Whether `user` may take it is the caller's to check (`Scope.can_evaluate`); here the
    rules refuse, with a `ValidationError` and nothing changed: a step out of order, a grade
    the facts of rule 18 do not allow, an excellent grade beyond rule 19's quota without a
    reason, anything once decided.
    """
    # Lock the row, so that two people acting at once take their steps one after the other;
    # the caller's copy stays as it was if the rules refuse.
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("round", "member", "organisation", "cell", "grassroots")
        .get(pk=evaluation.pk)
    )
    _check_order(evaluation.status, step)
    again = evaluation.status == step
    for name in FIELDS[step]:
        setattr(evaluation, name, data.get(name, getattr(evaluation, name)))
    changed = [*FIELDS[step], "status", f"{step}_by"]
    if step in GRADED:
        for name, value in task_counts(evaluation).items():
            setattr(evaluation, name, value)
        changed += TASK_COUNTS
        _check_grade(evaluation, step)
    if step == Step.DECIDED:
        evaluation.quota_reason = _check_quota(evaluation)
        evaluation.decided_at = timezone.now()
        changed.append("decided_at")
    evaluation.status = step
    setattr(evaluation, f"{step}_by", Member.objects.filter(user=user).first())
    evaluation.save(update_fields=changed)
    last = evaluation.events.order_by("-sequence").first()
    event = _event(evaluation, last.sequence + 1, step, user, timezone.now(), last.hash)
    event.save()
    audit_trail.step_taken(evaluation, event, user)
    if not again:
        _notify(evaluation, step, user)
    return evaluation


def _check_order(status: str, step: str) -> None:
    if status == Step.DECIDED:
        raise ValidationError(
            _("This evaluation has been decided; it can no longer change."), code="decided"
        )
    done, asked = ORDER.index(status), ORDER.index(step)
    if asked > done + 1:
        raise ValidationError(TOO_EARLY[step], code="too_early")
    if asked < done:
        raise ValidationError(
            _("This step is over: the evaluation has moved on to the next one."), code="over"
        )


def facts_of(evaluation: Evaluation, score: int | None) -> Facts:
    return Facts(
        score=score or 0,
        tasks_due=evaluation.tasks_due,
        tasks_done=evaluation.tasks_done,
        tasks_on_time=evaluation.tasks_on_time,
        tasks_exceeding=evaluation.tasks_exceeding,
        shortcomings_fixed=evaluation.shortcomings_fixed,
        disciplined=evaluation.disciplined,
    )


def _check_grade(evaluation: Evaluation, step: str) -> None:
    score, grade = (getattr(evaluation, name) for name in GRADED[step])
    if reason := refusal(grade, facts_of(evaluation, score)):
        raise ValidationError(reason, code="rule_18")


def _check_quota(evaluation: Evaluation) -> str:
    """Rule 19: the reason to keep, if deciding this grade goes beyond the quota."""
    reason = evaluation.quota_reason.strip()
    if evaluation.member_id is None or evaluation.grade != Classification.EXCELLENT:
        return ""
    rated = standing_in(evaluation.round_id, evaluation.grassroots_id)
    others = [r for r in rated if r.key != evaluation.code]
    mine = Rated(evaluation.code, evaluation.subject, evaluation.grade, evaluation.score)
    found = quota([*others, mine])
    if not found.exceeded:
        return ""
    if not reason:
        raise ValidationError(
            _(
                "Rule 19: %(organisation)s would have %(excellent)d members rated excellent, "
                "more than the %(allowed)d allowed (%(percent)d%% of the %(good)d rated good). "
                "Reconsider the grades listed, or record the reason for exceeding the quota."
            )
            % {
                "organisation": evaluation.grassroots.name,
                "excellent": found.excellent,
                "allowed": found.allowed,
                "percent": found.percent,
                "good": found.good,
            },
            code="quota",
        )
    return reason


def with_standing(evaluations: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    """Each with its grade and score as they stand: the decision where made, else the
    committee's proposal (blank before the appraisal)."""
    decided = Q(status=Step.DECIDED)
    return evaluations.annotate(
        standing_grade=Case(When(decided, then="grade"), default="appraised_grade"),
        standing_score=Case(When(decided, then="score"), default="appraised_score"),
    )


def standing_in(round_id: int, grassroots_id: int) -> list[Rated]:
    """Members' grades as they stand in a grassroots organisation in a round (rule 19)."""
    members = Evaluation.objects.filter(
        round_id=round_id, grassroots_id=grassroots_id, member__isnull=False
    )
    rows = with_standing(members).exclude(standing_grade="")
    return [
        Rated(*row)
        for row in rows.values_list("code", "member__full_name", "standing_grade", "standing_score")
    ]


def task_counts(evaluation: Evaluation) -> dict[str, int]:
    """The member's (or the cell's) tasks that fell due in the period, from the records."""
    period = evaluation.round
    last = min(period.ends_on, timezone.localdate())
    items = ActionItem.objects.exclude(status=ActionItem.Status.CANCELLED).filter(
        deadline__gte=period.starts_on, deadline__lte=last
    )
    if evaluation.member_id is not None:
        items = items.filter(owner_id=evaluation.member_id)
    else:
        items = items.filter(cell_id=evaluation.organisation_id)
    return items.aggregate(
        tasks_due=Count("pk"),
        tasks_done=Count("pk", filter=Q(done_on__isnull=False)),
        tasks_on_time=Count("pk", filter=DONE_ON_TIME),
    )


def cell_proposal(evaluation: Evaluation) -> tuple[CellScore, Classification]:
    """Rule 20: the score and grade a cell's records and members' decisions suggest."""
    last = month_of(evaluation.round.ends_on)
    year = aggregate(
        MonthlyIndicators.objects.filter(
            organisation_id=evaluation.organisation_id, month__range=(shift(last, -11), last)
        )
    )
    grades = Evaluation.objects.filter(
        round_id=evaluation.round_id,
        cell_id=evaluation.cell_id,
        member__isnull=False,
        status=Step.DECIDED,
    ).values_list("grade", flat=True)
    proposed = cell_score(year, grades)
    return proposed, highest_grade(facts_of(evaluation, proposed.score))


def _event(
    evaluation: Evaluation, sequence: int, step: str, user: User, at, previous: str = ""
) -> EvaluationEvent:
    payload = {name: getattr(evaluation, name) for name in FIELDS[step]}
    payload["status"] = step
    if step in GRADED:
        payload |= {name: getattr(evaluation, name) for name in TASK_COUNTS}
    if step != Step.OPENED:
        payload[f"{step}_by_id"] = getattr(evaluation, f"{step}_by_id")
    event = EvaluationEvent(
        evaluation=evaluation, sequence=sequence, step=step, actor=user, at=at, payload=payload
    )
    return event.seal(previous, evaluation.code)


def _notify(evaluation: Evaluation, step: str, actor: User) -> None:
    users = _next_people(evaluation, step).exclude(pk=actor.pk)
    if evaluation.member_id is not None and step != Step.DECIDED:
        users = users.exclude(member=evaluation.member_id)
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=NEXT[step], evaluation=evaluation)
        for pk in users.values_list("pk", flat=True)
    )


def _next_people(evaluation: Evaluation, step: str) -> QuerySet[User]:
    """Who takes the step after `step` (or, once decided, who was rated)."""
    cell_leaders = _holders(Q(organisation=evaluation.cell_id, kind__in=LEADS_CELL))
    if step == Step.SELF_ASSESSED:
        # The cell's secretary and deputy comment; if they are the ones rated or the ones who
        # self-assessed, the grassroots committee does.
        others = cell_leaders.exclude(member=evaluation.self_assessed_by_id)
        if others.exists():
            return others
        return _holders(Q(organisation=evaluation.grassroots_id))
    if step == Step.COMMENTED:
        return _holders(Q(organisation=evaluation.grassroots_id))
    if step == Step.APPRAISED:
        superior = evaluation.grassroots.path[: -Organisation.steplen]
        return _holders(Q(organisation__path=superior, kind__in=STANDING))
    if evaluation.member_id is not None:
        return User.objects.filter(member=evaluation.member_id, is_active=True)
    return cell_leaders


def _holders(where: Q) -> QuerySet[User]:
    """Active users of the members holding the positions `where` selects."""
    seats = Position.objects.current().filter(where)
    return User.objects.filter(is_active=True, member__in=seats.values("member"))
