"""Lists agree with details, for every persona: what a page lists opens, what none lists does not.

Each persona browses the site as a person would, from the home page along the links of every
page that lists something (the tree, members, meetings, the yearly overview, calendar feeds,
tasks, evaluations, supervision, dashboards). Every link met on the way, and on the pages of
the members, meetings, tasks and evaluations listed, must open (200): no link, button or
calendar event that leads to a refusal. Then every object of the world is opened directly: it
opens if some list showed it, and answers 404 or 403 if none did. (A task is listed on its
owner's page only; another's opens where its cell is listed, as its meetings record it.)

The world has meetings in every status (draft, published, open, closed, cancelled after and
before the notice) in both subtrees, resolutions with tasks, and a round of evaluations in each
city, all made by the application's own functions.
"""

import re
from collections import defaultdict
from datetime import date, timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from icalendar import Calendar

from chibo.guidance.models import Guidance
from chibo.guidance.tests.guidance_data import issued
from chibo.lib.months import month_of, next_month
from chibo.meetings import holding
from chibo.meetings.models import ActionItem, Meeting
from chibo.meetings.publishing import publish
from chibo.meetings.tests.publishing_data import plan
from chibo.orgs.models import Member, Organisation
from chibo.quality.evaluation.process import open_round
from chibo.quality.models import Evaluation, EvaluationRound
from chibo.quality.tests.evaluation_data import YEAR

PERSONAS = ["member", "secretary", "supervisor", "committee", "outsider", "admin"]
Status = Meeting.Status
# Pages that list things: the browsing follows their links.
LISTS = {
    "home",
    "orgs:tree",
    "orgs:organisation",
    "orgs:members",
    "meetings:list",
    "meetings:cell",
    "meetings:calendar",
    "meetings:my_tasks",
    "supervision:mine",
    "quality:evaluations",
    "quality:round",
    "quality:round_list",
    "quality:dashboard",
    "notify:list",
    "notify:settings",
    "guidance:committee",
    "guidance:month",
    "guidance:meeting",
}
# Files and downloads: their own tests open them; here they would only slow the walk down.
FILES = {"meetings:document", "meetings:minutes_pdf", "meetings:resolution_pdf", "quality:report"}
# The pages of what the lists show: their own links and buttons are checked too.
DETAILS = {
    "orgs:member",
    "meetings:meeting",
    "meetings:task",
    "quality:evaluation",
    "guidance:guidance",
}
HREF = re.compile(r'href="([^"]+)"')
ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
MONTH = re.compile(r'<td class="num[^"]*">(.*?)</td>', re.S)


def every_status(cell: Organisation) -> None:
    """A meeting of the cell in each status, a few days apart; the draft in a month of its own,
    so the yearly overview shows whether it counts."""
    plan(cell, starts_in=timedelta(days=70))
    publish(plan(cell, starts_in=timedelta(days=12)), by=None)
    under_way = plan(cell, starts_in=timedelta(hours=1))
    publish(under_way, by=None)
    holding.open_meeting(under_way)
    called_off = plan(cell, starts_in=timedelta(days=15))
    publish(called_off, by=None)
    never_told = plan(cell, starts_in=timedelta(days=16))
    Meeting.objects.filter(pk__in=[called_off.pk, never_told.pk]).update(status=Status.CANCELLED)
    held_with_tasks(cell)


def held_with_tasks(cell: Organisation) -> None:
    """A closed meeting whose adopted resolution gives each member of the cell a task."""
    meeting = plan(cell, starts_in=timedelta(days=-20))
    publish(meeting, by=None)
    holding.open_meeting(meeting, now=meeting.starts_at)
    members = list(cell.members.all())
    for member in members:
        holding.check_in(meeting, member)
    vote = holding.record_vote(meeting, "Nghị quyết tháng", len(members), 0, 0)
    rows = [
        {"what": f"Việc của {m.full_name}", "owner": m, "deadline": date.today() + timedelta(9)}
        for m in members
    ]
    texts = {"assessment": "Hoàn thành", "assignment": "Bí thư", "quality": "Tốt"}
    holding.adopt_resolution(holding.save_resolution(meeting, None, texts, rows), vote)
    holding.close_meeting(meeting)


@pytest.fixture
def lived(world, settings):
    settings.PAGE_SIZE = 1000  # every list on one page, so the walk sees all of it
    for cell in (world.cell, world.sister_cell, world.foreign_cell):
        every_status(cell)
    # A draft a member was asked to prepare is theirs to open, and so on their lists.
    plan(world.cell, starts_in=timedelta(days=130), preparer=world.member.member)
    open_round(world.city, world.committee, **YEAR)
    open_round(world.other_city, world.admin, **YEAR)
    # Guidance for this month and the next in each city, a ward passing one on, a draft.
    this = month_of(timezone.localdate())
    for month in (this, next_month(this)):
        city = issued(world.city, month)
        issued(world.ward, passes_on=city, points=(("Phường bổ sung", False),))
        issued(world.other_city, month)
    issued(world.city, next_month(this), publish=False)
    return world


class Walk:
    """A persona's browsing: the list pages reached, and every object they link to."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.visited: set[str] = set()  # the view names of the list pages walked
        # view name -> the arguments of every link to it met on a list page
        self.shown: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        self.calendars: set[str] = set()
        self.feeds: set[str] = set()
        self.checked: set[str] = set()

    def run(self) -> None:
        queue, seen = [reverse("home")], set()
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            response = self.client.get(url, follow=True)
            assert response.status_code == 200, url
            self.visited.add(response.resolver_match.view_name)
            for link in HREF.findall(response.content.decode()):
                target = self.record(unescape(link))
                if target is not None and target not in seen:
                    queue.append(target)

    def record(self, link: str) -> str | None:
        """Note what the link shows; the address of a list page to walk next, else None."""
        parts = urlsplit(link)
        if parts.scheme == "webcal":
            self.feeds.add(parts.path)
            return None
        if parts.scheme or not parts.path.startswith("/"):
            return None  # another site, or this page with other parameters
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None  # static files
        name = match.view_name
        self.shown[name].add(tuple(str(value) for value in match.kwargs.values()))
        if name == "meetings:calendar":
            self.calendars.add(parts.path)
        if name in LISTS:
            return parts.path
        address = f"{parts.path}?{parts.query}" if parts.query else parts.path
        if name not in FILES:
            self.check(address, name)
        return None

    def check(self, address: str, name: str) -> None:
        """A link to anything but a list must open for the one who sees it: no link or button
        that leads to a refusal, on the lists nor on the pages of what they list (the menu's
        way to one's dashboard leads there by a redirect)."""
        if address in self.checked:
            return
        self.checked.add(address)
        response = self.client.get(address, follow=True)
        assert response.status_code == 200, f"{address} ({name}) answers {response.status_code}"
        if name not in DETAILS:
            return
        for link in HREF.findall(response.content.decode()):
            parts = urlsplit(unescape(link))
            if parts.scheme or not parts.path.startswith("/"):
                continue
            try:
                found = resolve(parts.path).view_name
            except Resolver404:
                continue
            if found not in FILES and found not in LISTS:  # the lists are walked
                self.check(f"{parts.path}?{parts.query}" if parts.query else parts.path, found)

    def codes(self, name: str) -> set[str]:
        """The first argument (the object's code) of every link to `name`."""
        return {arguments[0] for arguments in self.shown[name]}


def opens(client: Client, name: str, *args) -> bool:
    """Whether the page opens; anything but 200 must be a refusal, 404 or 403."""
    status = client.get(reverse(name, args=args)).status_code
    assert status in (200, 403, 404), (name, args, status)
    return status == 200


def assert_agree(client: Client, name: str, objects, shown: set[str], what: str) -> None:
    """Each object opens on its page `name` exactly when a list showed it."""
    objects = list(objects)
    opened = {str(o.code) for o in objects if opens(client, name, o.code)}
    label = {str(o.code): str(o) for o in objects}
    listed_only = ", ".join(label.get(code, code) for code in shown - opened)
    assert not listed_only, f"{what} listed that do not open: {listed_only}"
    opened_only = ", ".join(label[code] for code in opened - shown)
    assert not opened_only, f"{what} that open but no list shows: {opened_only}"


# The lists every persona reaches from the menu, whatever they may see.
MENU = {
    "home",
    "orgs:organisation",
    "orgs:members",
    "meetings:list",
    "meetings:cell",
    "meetings:my_tasks",
    "supervision:mine",
    "quality:evaluations",
    "notify:list",
    "notify:settings",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_what_the_lists_show_opens_and_nothing_else_does(lived, persona):
    client = lived.client(persona)
    walk = Walk(client)
    walk.run()
    assert MENU <= walk.visited and walk.feeds
    if persona in ("committee", "admin"):
        assert {"meetings:calendar", "quality:dashboard", "quality:round_list"} <= walk.visited

    orgs = Organisation.objects.all()
    assert_agree(client, "orgs:organisation", orgs, walk.codes("orgs:organisation"), "orgs")
    assert_agree(client, "orgs:member", Member.objects.all(), walk.codes("orgs:member"), "members")
    assert_agree(
        client, "meetings:meeting", Meeting.objects.all(), meetings_shown(walk), "meetings"
    )
    assert_agree(client, "meetings:cell", orgs, walk.codes("meetings:cell"), "meeting lists")
    assert_agree(client, "quality:dashboard", orgs, walk.codes("quality:dashboard"), "dashboards")
    evaluations, rounds = Evaluation.objects.all(), EvaluationRound.objects.all()
    assert_agree(
        client, "quality:evaluation", evaluations, walk.codes("quality:evaluation"), "evaluations"
    )
    assert_agree(client, "quality:round", rounds, walk.codes("quality:round"), "rounds")
    guidance = Guidance.objects.all()
    assert_agree(client, "guidance:guidance", guidance, walk.codes("guidance:guidance"), "guidance")
    assert_tasks_agree(client, walk, getattr(lived, persona))
    assert_calendars_agree(client, walk)


def meetings_shown(walk: Walk) -> set[str]:
    """The meetings linked from the lists, and the events of every calendar feed offered."""
    shown = walk.codes("meetings:meeting")
    for path in walk.feeds:
        response = walk.client.get(path)
        assert response.status_code == 200, path
        for event in Calendar.from_ical(response.content).walk("VEVENT"):
            link = resolve(urlsplit(str(event["url"])).path)
            assert link.view_name == "meetings:meeting"
            shown.add(str(link.kwargs["code"]))
    return shown


def assert_tasks_agree(client: Client, walk: Walk, user) -> None:
    """My tasks lists exactly one's own tasks, and each opens. Another's task is on nobody's
    list but its owner's: it opens only in a cell the lists show, whose meetings record it."""
    owned = ActionItem.objects.filter(owner__user=user)
    assert walk.codes("meetings:task") == {str(item.code) for item in owned}
    cells = walk.codes("orgs:organisation")
    for item in ActionItem.objects.select_related("cell", "owner"):
        expected = item in owned or str(item.cell.code) in cells
        assert opens(client, "meetings:task", item.code) == expected, item


def assert_calendars_agree(client: Client, walk: Walk) -> None:
    """A month of the yearly overview is marked (held ✓, thematic T, planned ○) exactly when
    the cell has a meeting that month, not cancelled, that the viewer may open."""
    kept = Meeting.objects.exclude(status=Status.CANCELLED).select_related("cell")
    opened = [m for m in kept if opens(client, "meetings:meeting", m.code)]
    years = {timezone.localtime(m.starts_at).year for m in kept}
    for path in walk.calendars:
        for year in years:
            response = client.get(path, {"year": year})
            assert response.status_code == 200, path
            for row in ROW.findall(response.content.decode().split("<tbody>")[1]):
                cell = str(resolve(HREF.search(row).group(1)).kwargs["cell"])
                marked = {
                    number
                    for number, text in enumerate(MONTH.findall(row), start=1)
                    if {"✓", "T", "○"} & set(text)
                }
                expected = {
                    timezone.localtime(m.starts_at).month
                    for m in opened
                    if str(m.cell.code) == cell and timezone.localtime(m.starts_at).year == year
                }
                assert marked == expected, (path, year, cell)
