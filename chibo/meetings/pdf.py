"""The minutes and the resolution of a meeting as PDF documents in the Party's official layout
(typeset by `chibo.lib.pdf`)."""

from collections.abc import Callable
from datetime import date

from django.utils import timezone, translation

from chibo.lib import pdf
from chibo.meetings import holding
from chibo.meetings.models import Meeting, Minutes, Resolution, Vote
from chibo.orgs.models import Member, Organisation, Position


def official_date(day: date) -> str:
    """The legal form of a date, "ngày 05 tháng 3 năm 2026", zero-padded as Decree 30 asks."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def secretary(meeting: Meeting, on: date) -> Member | None:
    """Who signs for the cell committee: its secretary on the day the document is dated."""
    position = (
        Position.objects.current(on)
        .filter(organisation_id=meeting.cell_id, kind=Position.Kind.SECRETARY)
        .select_related("member")
        .first()
    )
    return position.member if position else None


def _render(template: str, document: Minutes | Resolution, context: dict) -> bytes:
    """The document in the active language, dated the day of its meeting."""
    meeting = document.meeting
    day = timezone.localdate(meeting.starts_at)
    return pdf.render(
        template,
        {
            "document": document,
            "draft": document.status == document.Status.DRAFT,
            "meeting": meeting,
            "starts_at": timezone.localtime(meeting.starts_at),
            "superior": Organisation.objects.get_parent(meeting.cell),
            "official_date": official_date(day),
            "signer": secretary(meeting, day),
            **context,
        },
    )


def _kept(
    document: Minutes | Resolution,
    language: str | None,
    make: Callable[[], bytes],
    *drawn_from,
) -> bytes:
    """The PDF of one version of a record in `language`, or else in its cell's working language,
    made once per change of it (or of its meeting) and language. While the meeting is in
    progress its roll and votes still move: made each time."""
    meeting = document.meeting
    with translation.override(language or meeting.cell.language):
        if meeting.status == Meeting.Status.OPEN:
            return make()
        version = (type(document).__name__, document.pk, document.version, document.updated_at)
        return pdf.kept((*version, meeting.updated_at, *drawn_from), make)


def minutes_pdf(minutes: Minutes, language: str | None = None) -> bytes:
    meeting = minutes.meeting
    sections = [
        (item, minutes.sections.get(str(item.position), "")) for item in meeting.agenda_items.all()
    ]
    return _kept(
        minutes,
        language,
        lambda: _render(
            "meetings/pdf/minutes.html",
            minutes,
            {"roll": holding.roll_of(meeting), "sections": sections, "votes": meeting.votes.all()},
        ),
        # The voices raised in the meeting are listed too, and may be recorded after it closed.
        tuple(meeting.voices.order_by("pk").values_list("pk", flat=True)),
    )


def adopting_vote(resolution: Resolution) -> Vote | None:
    """The vote that adopted the resolution; a correction keeps the one of the version it
    corrects."""
    if resolution.vote_id or resolution.version == 1:
        return resolution.vote
    earlier = (
        Resolution.objects.filter(
            meeting_id=resolution.meeting_id, version__lt=resolution.version, vote__isnull=False
        )
        .select_related("vote")
        .order_by("-version")
        .first()
    )
    return earlier.vote if earlier else None


def resolution_pdf(resolution: Resolution, language: str | None = None) -> bytes:
    previous = holding.previous_tasks(resolution.meeting)
    # Part I shows where last month's tasks stand, which moves after the resolution is adopted.
    followed = max((item.updated_at for item in previous), default=None)
    return _kept(
        resolution,
        language,
        lambda: _render(
            "meetings/pdf/resolution.html",
            resolution,
            {
                "parts": {f.name: f.verbose_name for f in Resolution._meta.fields},
                "previous_tasks": previous,
                "tasks": resolution.tasks.select_related("owner"),
                "vote": adopting_vote(resolution),
            },
        ),
        followed,
    )
