"""Private iCalendar feeds (RFC 5545) of a person's meetings or of one cell's."""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from chibo.access.scope import Scope
from chibo.meetings.models import AgendaItem, Meeting
from chibo.notify.models import CalendarFeed

# Far enough back to look up last months' meetings, far enough ahead for the year's plan.
PAST = timedelta(days=92)
FUTURE = timedelta(days=366)


def feed_meetings(feed: CalendarFeed) -> QuerySet[Meeting] | None:
    """The published meetings the feed's owner may open now; None if the cell is out of reach.

    The feed is fetched without a session, so this is the scope of its owner, as their pages
    have it: a personal feed has their list of meetings (the cells they belong to, lead or
    supervise); a cell's feed has that cell's meetings.

    Access is decided again at every fetch, so someone moved to another cell or out of a
    position stops seeing what they no longer may.
    """
    scope = Scope(feed.owner)
    if feed.cell_id is None:
        meetings = scope.my_meetings()
    elif scope.can_see(feed.cell):
        meetings = scope.meetings().filter(cell_id=feed.cell_id)
    else:
        return None
    now = timezone.now()
    items = AgendaItem.objects.only("meeting_id", "position", "step", "title")
    return (
        # A cancelled meeting stays, marked cancelled, if members had been told of it; drafts
        # are their secretary's, not yet anyone's appointment.
        meetings.filter(published_at__isnull=False, starts_at__range=(now - PAST, now + FUTURE))
        .exclude(status=Meeting.Status.DRAFT)
        .select_related("cell")
        .annotate(sequence=Max("notices__version"))
        .prefetch_related(Prefetch("agenda_items", queryset=items))
        .order_by("starts_at")
    )


def calendar(name: str, meetings: Iterable[Meeting], url_for: Callable[[Meeting], str]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//chibo//meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    # Ask calendar apps to look again every hour, so that a moved meeting moves soon.
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    stamp = timezone.now()
    for meeting in meetings:
        cal.add_component(event(meeting, url_for(meeting), stamp))
    return cal.to_ical()


def event(meeting: Meeting, url: str, stamp: datetime) -> Event:
    """One meeting; expects `cell`, `agenda_items` and the `sequence` annotation loaded."""
    summary = f"{capfirst(meeting.get_kind_display())} · {meeting.cell.name}"
    cancelled = meeting.status == Meeting.Status.CANCELLED
    ev = Event()
    ev.add("uid", f"{meeting.code}@chibo")
    ev.add("dtstamp", stamp)
    ev.add("last-modified", meeting.updated_at)
    ev.add("dtstart", meeting.starts_at.astimezone(UTC))
    ev.add("dtend", meeting.ends_at.astimezone(UTC))
    ev.add("summary", summary)
    ev.add("location", meeting.place)
    ev.add("description", _description(meeting, url))
    ev.add("url", url)
    # Each version of the notice is a revision; calling the meeting off is one more.
    ev.add("sequence", (meeting.sequence or 0) + cancelled)
    ev.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if not cancelled:
        ev.add_component(_day_before(summary))
    return ev


def _description(meeting: Meeting, url: str) -> str:
    lines = [meeting.theme] if meeting.theme else []
    lines += [f"{i}. {item.heading}" for i, item in enumerate(meeting.agenda_items.all(), start=1)]
    lines.append(_("Documents, comments and your answer: %(url)s") % {"url": url})
    return "\n".join(lines)


def _day_before(summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(days=-1))
    alarm.add("description", _("Tomorrow: %(meeting)s") % {"meeting": summary})
    return alarm
