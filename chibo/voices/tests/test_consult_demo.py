"""The demo's consultations on a small tree: a few cells consulted before resolving, with
realistic statements and counts, some resolutions touching the people not consulted, one
consultation open today; the same seed gives the same consultations; the rows count them."""

import random
from datetime import UTC, date, datetime

import pytest
from django.db.models import Sum

from chibo.meetings.demo import generate_history
from chibo.meetings.models import Resolution
from chibo.meetings.tests.test_attending import plan
from chibo.meetings.tests.test_demo_history import thirty_cells
from chibo.quality import rollup
from chibo.quality.models import MonthlyIndicators
from chibo.voices import consulting
from chibo.voices.consult_demo import generate_consultations
from chibo.voices.consultations import Consultation, Stance, Statement

NOW = datetime(2026, 6, 20, 3, 0, tzinfo=UTC)
TODAY = date(2026, 6, 20)
pytestmark = pytest.mark.time_machine(NOW, tick=False)


def made(seed: int = 7) -> list:
    Consultation.objects.all().delete()
    Resolution.objects.update(touches_people=False)
    generate_consultations(random.Random(seed), NOW)
    return list(
        # Members' stances share the empty citizen: the member tells them apart, in order too.
        Stance.objects.order_by(
            "statement__consultation__code", "statement__code", "citizen", "member"
        ).values_list(
            "statement__consultation__code", "statement__text", "choice", "citizen", "member"
        )
    )


def test_the_demo_consults_before_some_resolutions_and_counts_them(world):
    thirty_cells(world)
    generate_history(random.Random(7), NOW, months=6, progress=False)
    plan(world.cell, days=6)  # a meeting to come, whose consultation is open today
    first = made()
    assert first == made()
    consultations = list(Consultation.objects.select_related("meeting"))
    assert len(consultations) >= 4
    assert all(c.closes_on < c.meeting.starts_at.date() for c in consultations)
    open_now = [c for c in consultations if c.is_open_on(TODAY)]
    assert len(open_now) == 1
    results = [consulting.result_of(c) for c in consultations]
    assert all(r.participants >= 2 and len(r.lines) >= 3 for r in results)
    assert any(r.broad for r in results) and any(r.citizens for r in results)
    assert Statement.objects.filter(moderation="rejected").exists()
    touching = Resolution.objects.filter(touches_people=True).count()
    assert touching > len(consultations) - 1
    rollup.rebuild(today=TODAY)
    counts = MonthlyIndicators.objects.filter(organisation=world.province).aggregate(
        touching=Sum("people_resolutions"), consulted=Sum("people_consulted")
    )
    assert counts["touching"] == touching > counts["consulted"] == len(consultations) - 1
