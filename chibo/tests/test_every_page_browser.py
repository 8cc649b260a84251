"""Every page, every persona, on a 360 px phone, in Vietnamese and Khmer (issue 14, item 1).

Each persona of the test world signs in once per language and visits every page they reach:
nothing wider than the screen, no word broken letter by letter, and axe-core (WCAG 2.0 and 2.1
A/AA, 2.2 AA: contrast, labels, landmarks, target size…) with no serious or critical finding.
On their home page every item of the main menu must be reachable.

Every named route is listed in PAGES with who visits it and how to reach it with the world's
objects, or in NOT_PAGES with why it is no page; a new route that is in neither fails the test.
Routes that take only POST are found by their decorator and need no listing.
"""

import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import axe_playwright_python
import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from chibo.access.scope import Scope
from chibo.conftest import PASSWORD, World, authenticator, second_factor_code, signed_in
from chibo.guidance import topics
from chibo.guidance.tests.guidance_data import issued
from chibo.lib.months import month_of, next_month, quarter_start
from chibo.library.tests.library_data import shelved
from chibo.library.tests.study_data import launched
from chibo.meetings import holding, publishing
from chibo.meetings.models import ActionItem, Comment, Meeting
from chibo.meetings.tests.holding_data import adopted, approved_minutes, member, soon
from chibo.meetings.tests.publishing_data import plan
from chibo.orgs.models import User
from chibo.orgs.tests.import_data import HEADER, member_row
from chibo.quality.evaluation.process import open_round
from chibo.quality.tests.evaluation_data import YEAR
from chibo.quality.tests.test_evaluation_views import MAI, evaluation_of, seat_the_chain
from chibo.signin import factors
from chibo.voices import consulting
from chibo.voices.tests.conftest import categories  # noqa: F401  (a fixture)
from chibo.voices.tests.voices_data import recorded

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
# Widths of common phones besides the narrowest, where the header wraps otherwise.
OTHER_PHONES = (375, 390, 412)
LANGUAGES = ["vi", "km"]
PERSONAS = ["visitor", "member", "secretary", "supervisor", "committee", "admin"]
AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
GRAVE = {"serious", "critical"}

# What is not a page to look at, and why. POST-only routes are found by their decorator.
NOT_PAGES = {
    "logout": "signs out (a form's POST)",
    "set_language": "changes the language (a form's POST; a GET only redirects)",
    "meetings:minutes_pdf": "a PDF file",
    "meetings:resolution_pdf": "a PDF file",
    "meetings:document": "a file attached to an agenda item",
    "library:download": "a library document's file",
    "quality:report": "a PDF or spreadsheet file",
    "orgs:members_export": "a spreadsheet file",
    "voices:door_poster": "a PDF poster to print",
    "voices:consult_poster": "a PDF poster to print",
    "notify:feed": "an ICS calendar",
    "notify:manifest": "the web app manifest (JSON)",
    "notify:service_worker": "the service worker (JavaScript)",
    "orgs:tree": "redirects to the person's own organisation's page",
}
# Pages reached only on the way through a form, looked at there.
ON_THE_WAY = {
    "signin:verify": "every sign-in with a second factor",
    "signin:enrol": "the newcomer's first sign-in",
    "signin:recovery_codes": "the newcomer's first sign-in",
    "voices:door_thanks": "a voice left at the cell's door",
}


@dataclass
class Town:
    """The world with something on every page: meetings in each state, guidance, a topic,
    a document and its study, a voice, a consultation, an evaluation round, an import."""

    world: World
    draft: Meeting
    upcoming: Meeting
    held: Meeting
    under_way: Meeting
    guidance: object
    guidance_draft: object
    topic: object
    document: object
    study: object
    voice: object
    consultation: object
    evaluation: object
    comment: Comment
    task: object
    upload_url: str
    password_token: tuple[str, str]


def build(world: World) -> Town:
    son = member("Trần Văn Sơn")
    draft = plan(world.cell, starts_in=timedelta(days=20))
    upcoming = plan(world.cell, starts_in=timedelta(days=10))
    publishing.publish(upcoming, by=son)
    held = plan(world.cell, starts_in=timedelta(days=3))
    publishing.publish(held, by=son)
    holding.open_meeting(held, now=held.starts_at)
    approved_minutes(held)
    adopted(held, ("Sửa đường vào khu 3", "Nguyễn Thị Mai", soon()))
    holding.publish_records(held)
    holding.close_meeting(held)
    under_way = plan(world.cell, starts_in=timedelta(days=6))
    publishing.publish(under_way, by=son)
    holding.open_meeting(under_way, now=under_way.starts_at)
    topics.mark(held, world.city, member("Phạm Quốc Cường"))
    comment = Comment.objects.create(
        item=upcoming.agenda_items.first(), author=member("Nguyễn Thị Mai"), body="Nhất trí"
    )
    seat_the_chain(world)
    open_round(world.city, world.committee, **YEAR)
    today = timezone.localdate()
    this_month = month_of(today)  # what the data is for follows the clock: any day will do
    consultation = consulting.open_consultation(
        upcoming,
        Scope(world.secretary),
        question="Chi bộ nên ưu tiên sửa tuyến đường nào trong quý tới?",
        statements=["Sửa đường vào khu 3 trước mùa mưa.", "Làm thêm rãnh thoát nước."],
        opens_on=today,
        closes_on=today + timedelta(days=3),
        open_to_citizens=True,
    )
    document = shelved()
    admin = signed_in(world.admin)
    csv = "\n".join(",".join(row) for row in (HEADER, member_row(1))).encode()
    uploaded = admin.post(reverse("imports:new"), {"file": SimpleUploadedFile("members.csv", csv)})
    user = world.member
    return Town(
        world=world,
        draft=draft,
        upcoming=upcoming,
        held=held,
        under_way=under_way,
        guidance=issued(world.city, month=this_month),
        guidance_draft=issued(world.city, month=next_month(this_month), publish=False),
        topic=topics.propose(
            world.city,
            by=None,
            quarter=quarter_start(this_month),
            title="Phòng chống lừa đảo qua mạng",
        ),
        document=document,
        study=launched(world.city, soon(), document=document, parts=(world.cell,), today=today),
        voice=recorded(world, at=timezone.now()),
        consultation=consultation,
        evaluation=evaluation_of(MAI),
        comment=comment,
        task=ActionItem.objects.get(cell=world.cell),
        upload_url=uploaded["Location"],
        password_token=(
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ),
    )


EVERYONE = ("member", "secretary", "supervisor", "committee", "admin")
OFFICERS = ("secretary", "supervisor", "committee")
Address = Callable[[Town], str]


def to(name: str, *args: Callable[[Town], object]) -> Address:
    return lambda town: reverse(name, args=[arg(town) for arg in args])


def code(*path: str) -> Callable[[Town], object]:
    """The code of an object of the town, reached by attribute names."""

    def read(town: Town) -> object:
        found = town
        for name in path:
            found = getattr(found, name)
        return found.code

    return read


CELL, CITY = code("world", "cell"), code("world", "city")
# Route → (who visits it, its address in the town).
PAGES: dict[str, tuple[tuple[str, ...], Address]] = {
    "home": (EVERYONE, to("home")),
    "login": (("visitor",), to("login")),
    "password_reset": (("visitor",), to("password_reset")),
    "password_reset_done": (("visitor",), to("password_reset_done")),
    "password_reset_complete": (("visitor",), to("password_reset_complete")),
    "password_reset_confirm": (
        ("visitor",),
        lambda town: reverse("password_reset_confirm", args=town.password_token),
    ),
    "password_change": (("member",), to("password_change")),
    "password_change_done": (("member",), to("password_change_done")),
    "imports:new": (("admin",), to("imports:new")),
    "imports:detail": (("admin",), lambda town: town.upload_url),
    "meetings:plan": (("secretary",), to("meetings:plan", CELL)),
    "meetings:series": (("secretary",), to("meetings:series", CELL)),
    "meetings:edit": (("secretary",), to("meetings:edit", code("draft"))),
    "meetings:delete": (("secretary",), to("meetings:delete", code("draft"))),
    "meetings:check_in": (("member",), to("meetings:check_in", code("under_way"))),
    "meetings:agenda": (("secretary",), to("meetings:agenda", code("draft"))),
    "meetings:agenda_item": (
        ("secretary",),
        lambda town: reverse("meetings:agenda_item", args=[town.draft.code, 1]),
    ),
    "meetings:notices": (("secretary",), to("meetings:notices", code("upcoming"))),
    "meetings:notice": (
        ("member", "secretary"),
        lambda town: reverse("meetings:notice", args=[town.upcoming.code, 1]),
    ),
    "meetings:hold": (("secretary",), to("meetings:hold", code("held"))),
    "meetings:minutes": (("secretary",), to("meetings:minutes", code("held"))),
    "meetings:minutes_version": (
        ("member",),
        lambda town: reverse("meetings:minutes_version", args=[town.held.code, 1]),
    ),
    "meetings:resolution": (("secretary",), to("meetings:resolution", code("held"))),
    "meetings:resolution_version": (
        ("member",),
        lambda town: reverse("meetings:resolution_version", args=[town.held.code, 1]),
    ),
    "meetings:records": (("secretary", "member"), to("meetings:records", code("held"))),
    "meetings:my_tasks": (EVERYONE, to("meetings:my_tasks")),
    "meetings:task": (("member",), to("meetings:task", code("task"))),
    "meetings:calendar": (("committee",), to("meetings:calendar", CITY)),
    "meetings:list": (EVERYONE, to("meetings:list")),
    "meetings:cell": (("secretary", "supervisor"), to("meetings:cell", CELL)),
    "meetings:meeting": (("member", "secretary"), to("meetings:meeting", code("upcoming"))),
    "meetings:comments": (
        ("member",),
        lambda town: reverse("meetings:comments", args=[town.upcoming.code, 1]),
    ),
    "meetings:comment_edit": (("member",), to("meetings:comment_edit", code("comment"))),
    "guidance:committee": (("committee",), to("guidance:committee", CITY)),
    "guidance:new": (("committee",), to("guidance:new", CITY)),
    "guidance:guidance": (("committee", "secretary"), to("guidance:guidance", code("guidance"))),
    "guidance:edit": (("committee",), to("guidance:edit", code("guidance_draft"))),
    "guidance:audience": (("committee",), to("guidance:audience", code("guidance_draft"))),
    "guidance:point": (
        ("committee",),
        lambda town: reverse("guidance:point", args=[town.guidance_draft.code, 1]),
    ),
    "guidance:adoption": (("committee",), to("guidance:adoption", code("guidance"))),
    "guidance:meeting": (("secretary",), to("guidance:meeting", code("draft"))),
    "guidance:month": (("secretary",), to("guidance:month", CELL)),
    "guidance:topics": (("committee",), to("guidance:topics", CITY)),
    "guidance:topic_new": (("committee",), to("guidance:topic_new", CITY)),
    "guidance:topic": (("committee",), to("guidance:topic", code("topic"))),
    "guidance:topic_plan": (("secretary",), to("guidance:topic_plan", code("topic"), CELL)),
    "guidance:example": (("committee",), to("guidance:example", code("held"))),
    "library:index": (EVERYONE, to("library:index")),
    "library:new": (("admin",), to("library:new")),
    "library:bookmarks": (("member",), to("library:bookmarks")),
    "library:search": (("member",), lambda town: reverse("library:search") + "?q=nghị+quyết"),
    "library:document": (("member",), to("library:document", code("document"))),
    "library:edit": (("admin",), to("library:edit", code("document"))),
    "library:launch": (("admin",), to("library:launch", code("document"), CITY)),
    "library:studies": (("member", "secretary"), to("library:studies")),
    "library:committee_studies": (("committee",), to("library:committee_studies", CITY)),
    "library:study": (("member",), to("library:study", code("study"))),
    "library:progress": (("committee",), to("library:progress", code("study"))),
    "library:study_cell": (("secretary",), to("library:study_cell", code("study"), CELL)),
    "voices:record": (("member",), to("voices:record", CELL)),
    "voices:record_in_meeting": (("secretary",), to("voices:record_in_meeting", code("under_way"))),
    "voices:mine": (("member",), to("voices:mine")),
    "voices:inbox": (("secretary",), to("voices:inbox", CELL)),
    "voices:voice": (("secretary",), to("voices:voice", code("voice"))),
    "voices:summary": (("committee",), to("voices:summary", CITY)),
    "voices:door_track": (("visitor",), to("voices:door_track")),
    "voices:door": (("visitor",), to("voices:door", CELL)),
    "voices:door_queue": (("secretary",), to("voices:door_queue", CELL)),
    "voices:consult_open": (("secretary",), to("voices:consult_open", code("draft"))),
    "voices:consultation": (
        ("member", "secretary"),
        to("voices:consultation", code("consultation")),
    ),
    "voices:door_consult": (
        ("visitor",),
        lambda town: reverse(
            "voices:door_consult", args=[town.world.cell.code, town.consultation.code]
        ),
    ),
    "quality:mine": (EVERYONE, to("quality:mine")),
    "quality:dashboard": (("committee",), to("quality:dashboard", CITY)),
    "quality:risks": (("committee",), to("quality:risks", CITY)),
    "quality:score": (("supervisor",), to("quality:score", code("held"))),
    "quality:formalism": (("supervisor",), to("quality:formalism", CELL)),
    "quality:evaluations": (EVERYONE, to("quality:evaluations")),
    "quality:open_round": (("committee",), to("quality:open_round", CITY)),
    "quality:round": (("committee",), to("quality:round", code("evaluation", "round"))),
    "quality:round_list": (
        ("committee",),
        lambda town: reverse(
            "quality:round_list", args=[town.evaluation.round.code, town.world.ward.code]
        ),
    ),
    "quality:evaluation": (("member", "secretary"), to("quality:evaluation", code("evaluation"))),
    "quality:reports": (("committee",), to("quality:reports", CITY)),
    "audit:log": (("committee",), to("audit:log", CITY)),
    "supervision:mine": (("supervisor",), to("supervision:mine")),
    "notify:list": (EVERYONE, to("notify:list")),
    "notify:settings": (("member",), to("notify:settings")),
    "orgs:organisation": (("secretary", "committee"), to("orgs:organisation", CELL)),
    "orgs:organisation_edit": (("secretary",), to("orgs:organisation_edit", CELL)),
    "orgs:members": (("secretary", "committee", "admin"), to("orgs:members")),
    "orgs:member": (
        ("member", "secretary"),
        lambda town: reverse("orgs:member", args=[town.world.member.member.code]),
    ),
    "orgs:member_edit": (
        ("secretary",),
        lambda town: reverse("orgs:member_edit", args=[town.world.member.member.code]),
    ),
}


def methods(callback) -> list[str] | None:
    """The HTTP methods a view's `require_http_methods` allows; None when it does not say."""
    function = callback
    while function is not None:
        allowed = inspect.getclosurevars(function).nonlocals.get("request_method_list")
        if allowed is not None:
            return list(allowed)
        function = getattr(function, "__wrapped__", None)
    return None


def routes(patterns=None, namespace: str = ""):
    """Every named route of the app (the admin's are Django's), with its view."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def test_every_route_is_a_page_visited_or_said_to_be_none():
    unknown = []
    for name, callback in routes():
        if (
            name in PAGES
            or name in NOT_PAGES
            or name in ON_THE_WAY
            or methods(callback) == ["POST"]
        ):
            continue
        unknown.append(name)
    assert unknown == [], "routes neither visited by test_every_page_browser nor excluded"
    names = {name for name, _callback in routes()}
    assert not (set(PAGES) - names), "pages listed for routes that are gone"


# --- What is looked for on each page -----------------------------------------------------

# Words broken over three lines or more in a box under two letters wide: the roll's names,
# a letter or two a line. (Khmer breaks between the words of a run, in lines of full width.)
BROKEN_WORDS = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !parent.checkVisibility()) continue;
    const em = parseFloat(getComputedStyle(parent).fontSize);
    for (const word of node.data.matchAll(/\\S{3,}/g)) {
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      const lines = new Set(rects.map(r => Math.round(r.top)));
      if (lines.size > 2 && Math.max(...rects.map(r => r.width)) < 2 * em) {
        found.push(`${parent.tagName.toLowerCase()}: ${word[0]}`);
      }
    }
  }
  return found;
}"""

# Each item of the main menu must be in sight as the page opens, or once a phone's one tap
# has opened the menu, nothing to scroll to find it, and the topmost element where it is.
UNREACHABLE_MENU_ITEMS = """() => {
  window.scrollTo(0, 0);
  const button = document.querySelector('.phonemenu > summary');
  const phone = button && button.checkVisibility();
  if (phone) button.click();
  const items = document.querySelectorAll('.topbar > .mainnav a').length;
  const links = [...document.querySelectorAll('.mainnav a')].filter(a => a.checkVisibility());
  const out = links.length === items ? [] : [`${links.length} of ${items} items shown`];
  for (const link of links) {
    const r = link.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const onScreen = r.width > 0 && r.left >= 0 && r.right <= innerWidth
      && r.top >= 0 && r.bottom <= innerHeight;
    const hit = onScreen && document.elementFromPoint(x, y);
    if (!hit || !(link === hit || link.contains(hit))) out.push(link.textContent.trim());
  }
  if (phone) button.click();
  return out;
}"""

AXE_RUN = """async tags => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def findings(page) -> list[str]:
    found = []
    width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    if width[0] > width[1]:
        wide = page.evaluate(
            """() => [...document.body.querySelectorAll('*')]
                 .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
                 .slice(-3).map(e => e.tagName.toLowerCase() + '.' + e.className)"""
        )
        found.append(f"{width[0]} px wide for {width[1]}: {wide}")
    found += [f"word broken letter by letter in {word}" for word in page.evaluate(BROKEN_WORDS)]
    for violation in page.evaluate(AXE_RUN, AXE_TAGS):
        if violation["impact"] in GRAVE:
            found.append(f"axe {violation['id']} ({violation['impact']}): {violation['nodes']}")
    return found


def sign_in_checking(page, user: User, report) -> None:
    """Through the sign-in form; the second factor's page is looked at like any page."""
    needs_code = Scope(user).needs_second_factor
    if needs_code:
        authenticator(user)
    page.goto(reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if needs_code:
        page.wait_for_url("**/second-factor/verify/**")
        report("signin:verify", findings(page))
        page.fill("input[name=code]", second_factor_code(user))
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/second-factor/" not in url)


def newcomer(page, world: World, report) -> None:
    """The secretary's first sign-in: enrol an authenticator, then keep the recovery codes."""
    page.goto(reverse("login"))
    page.fill("input[name=username]", world.secretary.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/second-factor/enrol/**")
    report("signin:enrol", findings(page))
    device = factors.pending_authenticator(world.secretary)
    page.fill("input[name=code]", factors.current_code(device, at=time.time()))
    page.click("main button[type=submit]")
    page.wait_for_url("**/second-factor/recovery-codes/**")
    report("signin:recovery_codes", findings(page))


def door(page, world: World, report) -> None:
    """A citizen leaves a voice at the cell's door and is thanked."""
    page.goto(reverse("voices:door", args=[world.cell.code]))
    category = page.locator("[name=category]").first
    if category.evaluate("e => e.tagName") == "SELECT":
        category.select_option(index=1)
    else:
        category.check()
    page.fill("textarea[name=text]", "Đường vào khu 3 ngập nước mỗi khi mưa to.")
    page.click("form:has(textarea[name=text]) button[type=submit]")
    page.wait_for_url("**/thanks/")
    report("voices:door_thanks", findings(page))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.usefixtures("categories")
def test_every_page_fits_a_phone_and_passes_axe(world, browser, live_server, persona, language):
    town = build(world)
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, bypass_csp=True, locale=f"{language}-VN"
    )
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    context.add_init_script(path=AXE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    failures: list[str] = []

    def report(route: str, found: list[str]) -> None:
        failures.extend(f"{route} as {persona} in {language}: {finding}" for finding in found)

    try:
        if persona == "visitor":
            newcomer(page, world, report)
            page.context.clear_cookies()
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            )
            door(page, world, report)
        else:
            sign_in_checking(page, getattr(world, persona), report)
            page.goto(reverse("home"))
            menu = page.evaluate(UNREACHABLE_MENU_ITEMS)
            report("home", [f"menu item out of reach: {item}" for item in menu])
            page.click(".phonemenu > summary")
            report("home, the menu open", findings(page))
            page.click(".phonemenu > summary")
            # The header wraps differently on other phones: the one that fits at 360 px may
            # not at 390 (Khmer's search button did not).
            for width in OTHER_PHONES:
                page.set_viewport_size({"width": width, "height": PHONE["height"]})
                wide = page.evaluate("document.documentElement.scrollWidth - innerWidth")
                report(f"home at {width} px", [f"{wide} px too wide"] if wide > 0 else [])
            page.set_viewport_size(PHONE)
        visited = 0
        for route, (personas, address) in PAGES.items():
            if persona not in personas:
                continue
            path = address(town)
            response = page.goto(path)
            if response.status != 200:
                failures.append(
                    f"{route} as {persona} in {language}: {path} answered {response.status}"
                )
                continue
            assert page.evaluate("document.documentElement.lang") == language, route
            report(route, findings(page))
            visited += 1
        assert visited
    finally:
        context.close()
    assert failures == [], "\n".join(failures)
