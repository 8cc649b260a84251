"""The evaluation trail (decision record 0006) anchored in the audit log.

The trail's own SHA-256 chain has no secret: whoever writes the database can change a grade
and recompute every hash, or drop the last step and set the evaluation back. So each step's
hash is also written into the keyed audit log as it is taken (a round's opening, for all its
evaluations at once), and `chibo audit verify` compares the trail with what the log recorded.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterator, Sequence

from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from chibo.audit import log
from chibo.audit.models import Action, Entry
from chibo.orgs.models import User
from chibo.quality.models import Evaluation, EvaluationEvent, EvaluationRound
from chibo.quality.models.evaluation import verify

BATCH = 2000


def _opening(hashes: Sequence[str]) -> str:
    """One hash over the first events of a round's evaluations, in the evaluations' order."""
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def round_opened(opened: EvaluationRound, user: User, events: Sequence[EvaluationEvent]) -> None:
    """Log the opening of a round, anchoring the first event of every evaluation it made."""
    events = sorted(events, key=lambda event: event.evaluation_id)
    log.record(
        None,
        Action.ROUND_OPENED,
        opened,
        organisation=opened.organisation_id,
        user=user,
        detail={"evaluations": len(events), "opening": _opening([e.hash for e in events])},
    )


def step_taken(evaluation: Evaluation, event: EvaluationEvent, user: User) -> None:
    """Log a step of an evaluation with the hash that seals its trail so far."""
    log.record(
        None,
        Action.EVALUATION_STEP,
        evaluation,
        user=user,
        detail={"step": event.step, "sequence": event.sequence, "hash": event.hash},
    )


def problems(using: str = DEFAULT_DB_ALIAS) -> Iterator[tuple[Entry | None, str]]:
    """Every evaluation whose trail differs from what the audit log anchored, each with the
    entry it contradicts (None for an evaluation the log never heard of)."""
    entries = Entry.objects.using(using)
    rounds = {int(e.object_id): e for e in entries.filter(action=Action.ROUND_OPENED).order_by()}
    steps: dict[int, list[Entry]] = defaultdict(list)
    for e in entries.filter(action=Action.EVALUATION_STEP).order_by("number"):
        steps[int(e.object_id)].append(e)
    trails: dict[int, dict[int, EvaluationEvent]] = defaultdict(dict)
    events = EvaluationEvent.objects.using(using).order_by("evaluation_id", "sequence")
    for event in events.iterator(BATCH):
        trails[event.evaluation_id][event.sequence] = event
    first: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for evaluation in Evaluation.objects.using(using).order_by("pk").iterator(BATCH):
        trail = trails.pop(evaluation.pk, {})
        if 0 in trail:
            first[evaluation.round_id].append((evaluation.pk, trail[0].hash))
        yield from _trail_problems(evaluation, trail, steps.pop(evaluation.pk, []))
    for round_id, entry in rounds.items():
        hashes = [h for _pk, h in sorted(first.pop(round_id, []))]
        opening = entry.detail.get("opening")
        if len(hashes) != entry.detail.get("evaluations") or _opening(hashes) != opening:
            yield (
                entry,
                _("The evaluations of round %(id)d or their first steps were changed.")
                % {"id": round_id},
            )
    for round_id in first:
        yield None, _("Evaluation round %(id)d is missing from the audit log.") % {"id": round_id}
    for evaluation_id, entries in steps.items():
        yield entries[-1], _("Evaluation %(id)d was removed.") % {"id": evaluation_id}


def _trail_problems(
    evaluation: Evaluation, trail: dict[int, EvaluationEvent], anchors: list[Entry]
) -> Iterator[tuple[Entry | None, str]]:
    anchored = {entry.detail.get("sequence"): entry for entry in anchors}
    for sequence, entry in sorted(anchored.items()):
        event = trail.get(sequence)
        if event is None:
            yield (
                entry,
                _("Step %(number)d of evaluation %(id)d was removed.")
                % {
                    "number": sequence + 1,
                    "id": evaluation.pk,
                },
            )
        elif event.hash != entry.detail.get("hash"):
            yield (
                entry,
                _("Step %(number)d of evaluation %(id)d was changed.")
                % {
                    "number": sequence + 1,
                    "id": evaluation.pk,
                },
            )
    for sequence in sorted(set(trail) - set(anchored) - {0}):
        yield (
            None,
            _("Step %(number)d of evaluation %(id)d is missing from the audit log.")
            % {
                "number": sequence + 1,
                "id": evaluation.pk,
            },
        )
    if problem := verify(evaluation, [trail[s] for s in sorted(trail)]):
        named = _("Evaluation %(id)d: %(problem)s") % {"id": evaluation.pk, "problem": problem}
        yield (anchors[-1] if anchors else None), named
