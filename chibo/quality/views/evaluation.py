"""Evaluating members and cells (rule 17): a committee opens a round for its subtree; members
see their evaluations and self-assess on the form of their kind; the secretary comments on the
cell's; the committee appraises and decides per grassroots organisation with rule 19's quota in
view; each evaluation shows its chain and its audit trail."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.access.scope import (
    get_committee_for_user,
    get_evaluation_for_user,
    get_organisation_for_user,
    scope_for,
)
from chibo.lib.paging import window
from chibo.lib.query import choice
from chibo.orgs.models import Organisation
from chibo.quality.evaluation.forms import RoundForm, step_form
from chibo.quality.evaluation.process import (
    FIELDS,
    GRADED,
    cell_proposal,
    open_round,
    standing_in,
    take_step,
    task_counts,
    with_standing,
)
from chibo.quality.evaluation.rules import allowed, quota
from chibo.quality.models import Classification, Evaluation, EvaluationRound
from chibo.quality.models.evaluation import verify

Step = Evaluation.Step
# Each step's address, in words rather than the status it leads to.
SLUGS = {
    "self-assessment": Step.SELF_ASSESSED,
    "comment": Step.COMMENTED,
    "appraisal": Step.APPRAISED,
    "decision": Step.DECIDED,
}
SLUG_OF = {step: slug for slug, step in SLUGS.items()}
# The heading of each step's form, and what is said once it is saved.
TITLES = {
    Step.SELF_ASSESSED: gettext_lazy("Your self-assessment"),
    Step.COMMENTED: gettext_lazy("The cell's comment"),
    Step.APPRAISED: gettext_lazy("The committee's appraisal"),
    Step.DECIDED: gettext_lazy("The decision"),
}
SAVED = {
    Step.SELF_ASSESSED: gettext_lazy("Your self-assessment is saved."),
    Step.COMMENTED: gettext_lazy("The cell's comment is saved."),
    Step.APPRAISED: gettext_lazy("The appraisal is saved."),
    Step.DECIDED: gettext_lazy("The decision is saved; it can no longer change."),
}
NEXT_STEP = dict(zip(list(Step)[:-1], list(Step)[1:], strict=True))
# "My evaluations" shows the latest; older rounds are on the rounds' pages.
RECENT = 20
# A cell's own evaluation first, then its members by name.
LISTED = ["cell__path", F("member__search_name").asc(nulls_first=True), "pk"]
MEMBER = Q(member__isnull=False)
# How far a group's evaluations have gone, and its members' grades as they stand (rule 19).
TALLIES = {
    "total": Count("pk"),
    **{step: Count("pk", filter=Q(status=step)) for step in Step.values},
    "excellent": Count("pk", filter=MEMBER & Q(standing_grade=Classification.EXCELLENT)),
    "good": Count("pk", filter=MEMBER & Q(standing_grade=Classification.GOOD)),
}


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A member's own evaluations and their cells', the rounds they take part in running, and
    the committees they may open a round for."""
    scope = scope_for(request)
    evaluations = (
        scope.my_evaluations()
        .select_related("round", "member", "organisation")
        .order_by("-round__ends_on", "-round_id", F("member_id").asc(nulls_last=True))
    )
    managed = scope.overseen_evaluations() | Evaluation.objects.filter(cell__in=scope.led_cells())
    rounds = EvaluationRound.objects.filter(
        Exists(managed.filter(round=OuterRef("pk")))
    ).select_related("organisation")
    return render(
        request,
        "quality/evaluation/mine.html",
        {
            "evaluations": evaluations[:RECENT],
            "rounds": rounds[:RECENT],
            "committees": [org for org in scope.roots() if scope.can_open_evaluations(org)],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def open_view(request: HttpRequest, org: UUID) -> HttpResponse:
    """A committee opens a round for its subtree."""
    organisation, _can_manage = get_committee_for_user(request, org, may="open_evaluations")
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = open_round(organisation, request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The round is open: every member and cell has an evaluation to fill."),
            )
            return redirect("quality:round", opened.code)
    return render(request, "quality/evaluation/open.html", {"org": organisation, "form": form})


def _get_round(code: UUID) -> EvaluationRound:
    found = EvaluationRound.objects.select_related("organisation").filter(code=code).first()
    if found is None:
        raise Http404
    return found


@require_GET
@login_required
def round_view(request: HttpRequest, code: UUID) -> HttpResponse:
    """A round as its user runs it: the grassroots organisations under their committees and
    the cells they lead, each with how far its evaluations have gone and rule 19's quota."""
    scope = scope_for(request)
    opened = _get_round(code)
    grassroots = _tallies(scope.overseen_evaluations().filter(round=opened), "grassroots")
    cells = _tallies(Evaluation.objects.filter(round=opened, cell__in=scope.led_cells()), "cell")
    names = Organisation.objects.in_bulk(
        [row["grassroots"] for row in grassroots] + [row["cell"] for row in cells]
    )
    for row in grassroots:
        row["org"] = names[row.pop("grassroots")]
        row["allowed"] = allowed(row["good"])
    for row in cells:
        row["org"] = names[row.pop("cell")]
    for row in grassroots + cells:
        row["steps"] = [(label, row[value]) for value, label in Step.choices]
    grassroots = [row for row in grassroots if scope.sits_above(row["org"])]
    if not grassroots and not cells:
        raise Http404
    return render(
        request,
        "quality/evaluation/round.html",
        {
            "round": opened,
            "grassroots": sorted(grassroots, key=lambda row: row["org"].path),
            "cells": sorted(cells, key=lambda row: row["org"].path),
        },
    )


def _tallies(evaluations, by: str) -> list[dict]:
    """`TALLIES` per value of `by`, in one query."""
    return list(with_standing(evaluations).order_by().values(by).annotate(**TALLIES))


@require_GET
@login_required
def round_list(request: HttpRequest, code: UUID, org: UUID) -> HttpResponse:
    """An organisation's evaluations in a round: a cell's for its secretary to comment on; a
    grassroots organisation's for its committee to appraise and decide, with the quota."""
    opened = _get_round(code)
    organisation, _can_manage = get_organisation_for_user(request, org)
    if not organisation.path.startswith(opened.organisation.path):
        raise Http404
    if not scope_for(request).can_see_evaluations(organisation):
        raise PermissionDenied
    evaluations = Evaluation.objects.filter(round=opened, cell__path__startswith=organisation.path)
    counts = dict(evaluations.order_by().values_list("status").annotate(n=Count("pk")))
    status = choice(request, "status", Step.values, "")
    shown = evaluations.filter(status=status) if status else evaluations
    page = window(
        request,
        shown.select_related("member", "organisation").order_by(*LISTED),
        settings.PAGE_SIZE,
    )
    panel = None
    if Evaluation.objects.filter(round=opened, grassroots=organisation).exists():
        panel = quota(standing_in(opened.pk, organisation.pk))
    return render(
        request,
        "quality/evaluation/list.html",
        {
            "round": opened,
            "org": organisation,
            "page": page,
            "status": status,
            "tabs": [(value, label, counts.get(value, 0)) for value, label in Step.choices],
            "total": sum(counts.values()),
            "quota": panel,
            "reconsider": {r.key for r in panel.reconsider} if panel else set(),
        },
    )


@require_GET
@login_required
def evaluation_view(request: HttpRequest, code: UUID) -> HttpResponse:
    return _page(request, get_evaluation_for_user(request, code))


@require_POST
@login_required
def take(request: HttpRequest, code: UUID, step: str) -> HttpResponse:
    """Take one step of the chain: 403 for whoever may not take it, the page again with the
    rules' refusal and nothing changed for input they refuse."""
    if step not in SLUGS:
        raise Http404
    step = SLUGS[step]
    evaluation = get_evaluation_for_user(request, code)
    if not scope_for(request).can_evaluate(evaluation, step):
        raise PermissionDenied
    form = step_form(evaluation, step, request.POST)
    if form.is_valid():
        try:
            take_step(evaluation, step, request.user, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, SAVED[step])
            return redirect("quality:evaluation", evaluation.code)
    return _page(request, evaluation, step, form)


def _page(
    request: HttpRequest, evaluation: Evaluation, step: str | None = None, form: Form | None = None
) -> HttpResponse:
    """The evaluation's chain, facts and trail, with the form of the step the user may take
    (the next one, or the one they took, until the next is)."""
    scope = scope_for(request)
    proposal = cell_proposal(evaluation) if evaluation.organisation_id else None
    if step is None:
        offered = [NEXT_STEP.get(evaluation.status), evaluation.status]
        step = next(
            (s for s in offered if s in SLUG_OF and scope.can_evaluate(evaluation, s)), None
        )
        if step:
            form = step_form(evaluation, step, initial=_initial(evaluation, step, proposal))
    events = list(evaluation.events.select_related("actor__member"))
    facts = evaluation
    if evaluation.status == Step.OPENED:
        facts = task_counts(evaluation)
    panel = None
    if evaluation.member_id and scope.sits_above(evaluation.grassroots):
        panel = quota(standing_in(evaluation.round_id, evaluation.grassroots_id))
    return render(
        request,
        "quality/evaluation/evaluation.html",
        {
            "evaluation": evaluation,
            "steps": _chain(evaluation, events),
            "facts": facts,
            "proposal": proposal,
            "quota": panel,
            "reconsider": {r.key for r in panel.reconsider} if panel else set(),
            "form": form,
            "step": step,
            "title": TITLES.get(step),
            "slug": SLUG_OF.get(step),
            "events": events,
            "problem": verify(evaluation, events),
        },
    )


def _chain(evaluation: Evaluation, events: list) -> list[dict]:
    """Each step after the opening: whether taken, and by whom and when it last was."""
    last = {event.step: event for event in events}
    reached = list(Step).index(evaluation.status)
    return [
        {"step": step, "done": index <= reached, "event": last.get(step)}
        for index, step in enumerate(Step)
        if step != Step.OPENED
    ]


def _initial(evaluation: Evaluation, step: str, proposal: tuple | None) -> dict:
    """What the evaluation holds for the step; a score and grade not given yet start from the
    step before (for a cell's self-assessment, from what rule 20 proposes)."""
    initial = {name: getattr(evaluation, name) for name in FIELDS[step]}
    if step not in GRADED or initial[GRADED[step][1]]:
        return initial
    score, grade = GRADED[step]
    before = {Step.APPRAISED: Step.SELF_ASSESSED, Step.DECIDED: Step.APPRAISED}.get(step)
    if before:
        initial[score], initial[grade] = (getattr(evaluation, n) for n in GRADED[before])
    elif proposal and proposal[0].measured:
        proposed, proposed_grade = proposal
        initial[score], initial[grade] = proposed.score, proposed_grade
    return initial
