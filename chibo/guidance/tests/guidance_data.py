"""Guidance written and published through the app's own functions, for the guidance tests."""

from datetime import date

from chibo.guidance import issuing
from chibo.guidance.models import Guidance, Point
from chibo.orgs.models import Organisation

JANUARY = date(2027, 1, 1)


def issued(
    committee: Organisation,
    month: date = JANUARY,
    points: tuple[tuple[str, bool], ...] = (("Học tập Nghị quyết 57-NQ/TW", True),),
    publish: bool = True,
    passes_on: Guidance | None = None,
    **fields,
) -> Guidance:
    """The committee's guidance for `month` with a point of each (title, required), published
    unless `publish` is False; a pass-on of `passes_on` when given."""
    if passes_on is not None:
        guidance = issuing.pass_on(passes_on, committee, by=None)
    else:
        guidance = Guidance.objects.create(
            committee=committee, month=month, title=f"Hướng dẫn tháng {month:%m/%Y}", **fields
        )
    for title, required in points:
        issuing.add_point(guidance, kind=Point.Kind.TASK, required=required, title=title)
    if publish:
        issuing.publish(guidance, by=None)
    return guidance
