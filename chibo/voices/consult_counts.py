"""What the monthly indicator rows count of consultations (`chibo.quality.rollup`): per cell
and month, the resolutions on a matter touching the people adopted, and those of them consulted
first (rule 16). Additive, so a committee's row is the sum of its children's."""

from collections import defaultdict
from datetime import date, datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from chibo.lib.months import month_of
from chibo.meetings.models import Resolution
from chibo.voices.consultations import Consultation


def people_counts(cell_ids, start: date, end: date) -> dict[tuple[int, date], tuple[int, int]]:
    """Per cell and month of adoption, from `start` to before `end`: the resolutions on a
    matter touching the people, and those whose meeting's consultation closed before the day
    they were adopted. A resolution counts once, by its first version's adoption."""
    closes = Consultation.objects.filter(meeting_id=OuterRef("meeting_id")).values("closes_on")
    start_at = timezone.make_aware(datetime(start.year, start.month, start.day))
    end_at = timezone.make_aware(datetime(end.year, end.month, end.day))
    rows = (
        Resolution.objects.filter(
            cell_id__in=cell_ids,
            version=1,
            touches_people=True,
            adopted_at__gte=start_at,
            adopted_at__lt=end_at,
        )
        .annotate(closes_on=Subquery(closes[:1]))
        .values_list("cell_id", "adopted_at", "closes_on")
    )
    found: dict[tuple[int, date], tuple[int, int]] = defaultdict(lambda: (0, 0))
    for cell_id, adopted_at, closes_on in rows:
        key = (cell_id, month_of(adopted_at))
        n, consulted = found[key]
        found[key] = (
            n + 1,
            consulted + (closes_on is not None and closes_on < timezone.localdate(adopted_at)),
        )
    return dict(found)
