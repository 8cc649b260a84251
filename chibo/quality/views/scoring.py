"""Scoring a meeting (rules 11–13): the facts the records hold, each party's score side by side,
and the form of whoever may score in their role(s)."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from chibo.access.scope import Scope, get_meeting_for_user, scope_for
from chibo.audit.log import record
from chibo.audit.models import Action
from chibo.meetings.models import Meeting
from chibo.orgs.models import Member
from chibo.quality.forms import ScoreForm
from chibo.quality.models import MeetingScore
from chibo.quality.scoring import (
    CRITERIA,
    attendance_band,
    facts_for,
    previous_tasks,
    save_score,
    suggest,
)
from chibo.supervision import reports
from chibo.supervision.models import Report

Role = MeetingScore.Role
HELD = {Meeting.Status.OPEN, Meeting.Status.CLOSED}
# Short headings, so the three scores fit side by side on a phone.
COLUMNS = {
    Role.CELL: gettext_lazy("Cell"),
    Role.SUPERVISOR: gettext_lazy("Supervisor"),
    Role.COMMITTEE: gettext_lazy("Committee"),
}


@require_http_methods(["GET", "POST"])
@login_required
def score(request: HttpRequest, code: UUID) -> HttpResponse:
    """Whoever sees the meeting reads its scores; the cell, its supervisor and the committee
    above score it, each in their own role."""
    meeting, rights = get_meeting_for_user(request, code)
    scope = scope_for(request)
    held = list(rights.score)
    if request.method == "POST" and not held:
        raise PermissionDenied
    scores = {s.role: s for s in meeting.scores.select_related("by")}
    facts = facts_for(meeting)
    tasks = previous_tasks(meeting)
    suggested = suggest(facts, tasks)
    role = _role(request, held)
    initial = _initial(meeting, scope, role, scores, suggested)
    form = ScoreForm(held, facts, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(request, meeting, scope, form):
        saved = form.cleaned_data["role"]
        messages.success(request, _("The score was saved."))
        return redirect(f"{reverse('quality:score', args=[meeting.code])}?role={saved}")
    return render(
        request,
        "quality/scoring/score.html",
        {
            "meeting": meeting,
            "rights": rights,
            "facts": facts,
            "attendance_percent": round(100 * facts.attendance) if facts.expected else None,
            "band": attendance_band(facts),
            "tasks": tasks,
            "rows": _rows(scores, suggested),
            "suggested_total": sum(suggested.values()),
            "columns": [(label, scores.get(role)) for role, label in COLUMNS.items()],
            "standing": meeting.scores.standing().first(),
            # Scored by someone whose score does not stand (the supervisor): not "not scored".
            "scored": bool(scores),
            "form": form,
            "role": Role(role) if role else None,
            "other_roles": [Role(r) for r in held if r != role],
            # Before the meeting there is nothing to score; after the decision, a refused
            # attempt keeps its form on the page to say why.
            "show_form": bool(role)
            and meeting.status in HELD
            and (Role.COMMITTEE not in scores or bool(form.errors)),
        },
    )


def _role(request: HttpRequest, held: list[str]) -> str | None:
    """The role the form is in: the one posted or asked for in the address, else the first
    held."""
    asked = request.POST.get("role") or request.GET.get("role")
    if asked in held:
        return asked
    return held[0] if held else None


def _initial(
    meeting: Meeting, scope: Scope, role: str | None, scores: dict, suggested: dict
) -> dict:
    """Their points if they scored already, else what the records suggest."""
    mine = scores.get(role)
    initial = {"role": role, **(mine.points if mine else suggested)}
    if mine:
        initial["note"] = mine.note
    if role == Role.SUPERVISOR:
        report = Report.objects.filter(meeting=meeting, supervisor_id=scope.member_id).first()
        if report:
            initial |= {"went_well": report.went_well, "to_fix": report.to_fix}
    return initial


def _rows(scores: dict, suggested: dict) -> list[tuple]:
    """Each criterion with what the records suggest and each role's points."""
    by_role = [scores.get(role) for role in COLUMNS]
    return [
        (c, suggested[c.key], [s.points.get(c.key) if s else None for s in by_role])
        for c in CRITERIA
    ]


def _save(request: HttpRequest, meeting: Meeting, scope: Scope, form: ScoreForm) -> bool:
    """Save the score and log it; what the rules refuse (not held, decided, too early) becomes
    a form error and nothing changes."""
    data = form.cleaned_data
    # Administrators score as no member.
    by = Member.objects.filter(pk=scope.member_id).first() if scope.member_id else None
    try:
        with transaction.atomic():
            if data["role"] == Role.SUPERVISOR:
                reports.file_report(
                    meeting, by, form.points(), data["went_well"], data["to_fix"], data["note"]
                )
            else:
                save_score(meeting, data["role"], form.points(), by, data["note"])
            detail = {"role": data["role"], "points": form.points()}
            record(request, Action.SCORE_CHANGED, meeting, detail=detail)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True
