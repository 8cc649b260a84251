"""A meeting's preparation checklist (rules 4, 5 and 14), ticked from the records: nothing on
it is typed twice, and what it finds also scores the meeting's preparation (`quality.scoring`)."""

from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.meetings import holding
from chibo.meetings.models import ActionItem, Meeting
from chibo.supervision.models import Assignment


@dataclass(frozen=True)
class Check:
    label: Promise
    done: bool
    detail: str


def _day(moment) -> str:
    return formats.date_format(moment, "SHORT_DATE_FORMAT")


def checklist(meeting: Meeting) -> list[Check]:
    """What is ready for the meeting and what is not, each with what the records say."""
    return [
        _agreed(meeting),
        _notice(meeting),
        _supervisor(meeting),
        _tasks(meeting),
        _draft(meeting),
    ]


def _agreed(meeting: Meeting) -> Check:
    label = gettext_lazy("The cell committee agreed the content (rule 4)")
    if meeting.agreed_on is None:
        return Check(label, False, _("Not recorded yet."))
    names = ", ".join(m.full_name for m in meeting.agreed_with.all())
    return Check(
        label,
        True,
        _("On %(day)s, with %(names)s.") % {"day": _day(meeting.agreed_on), "names": names},
    )


def _notice(meeting: Meeting) -> Check:
    label = gettext_lazy("Notice and documents sent in time (rule 5)")
    due = _day(timezone.localtime(meeting.notice_due))
    first = meeting.notices.order_by("version").first()
    if first is None:
        return Check(label, False, _("Due by %(due)s.") % {"due": due})
    sent = _day(timezone.localtime(first.published_at))
    if first.late:
        return Check(
            label, False, _("Sent late, on %(sent)s; due by %(due)s.") % {"sent": sent, "due": due}
        )
    return Check(label, True, _("Sent on %(sent)s.") % {"sent": sent})


def _supervisor(meeting: Meeting) -> Check:
    label = gettext_lazy("Supervising committee member invited (rule 14)")
    supervisors = Assignment.objects.current().filter(cell_id=meeting.cell_id)
    names = ", ".join(supervisors.values_list("supervisor__full_name", flat=True))
    if not names:
        return Check(label, False, _("No committee member supervises the cell."))
    if meeting.published_at is None:
        return Check(
            label,
            False,
            _("%(names)s will have the notice when it is published.") % {"names": names},
        )
    return Check(label, True, _("%(names)s had the notice.") % {"names": names})


def _tasks(meeting: Meeting) -> Check:
    label = gettext_lazy("Last month's tasks reported on (rule 6)")
    items = holding.previous_tasks(meeting)
    reported = sum(item.status != ActionItem.Status.OPEN for item in items)
    if not items:
        return Check(label, True, _("Last month's resolution set no tasks."))
    detail = _("%(reported)d of %(total)d reported.") % {"reported": reported, "total": len(items)}
    return Check(label, reported == len(items), detail)


def _draft(meeting: Meeting) -> Check:
    label = gettext_lazy("Draft resolution ready (rule 4)")
    ready = meeting.resolutions.exists()
    return Check(label, ready, _("Written.") if ready else _("Not written yet."))
