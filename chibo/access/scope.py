"""Who may see and do what, decided here and nowhere else.

A user's reach is a handful of subtree prefixes (the committees they sit on) and a few cells
(their own, the ones they lead, the ones they supervise). Every list filters by that in one
query, whatever the size of the tree; every detail page asks the same `Scope`, and its getters
open an object through the very list that shows it, so a list never shows what cannot be
opened. Views ask for lists and rights; the ids and paths stay inside.
"""

import uuid
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import Literal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.access.personal import Personal, Role, Shown, shown
from chibo.audit.models import Entry
from chibo.guidance.models import Example, Guidance, Topic
from chibo.library.index import keys
from chibo.library.models import Document, SearchEntry, StudyCampaign
from chibo.meetings.models import ActionItem, Meeting
from chibo.orgs.models import (
    CELL_COMMITTEE,
    LEADS_CELL,
    SEATS,
    STANDING,
    Member,
    Organisation,
    Position,
    User,
)
from chibo.quality.models import Evaluation, MeetingScore
from chibo.supervision.models import Assignment
from chibo.voices.models import Consultation, Voice

Status = Meeting.Status
# Meetings the cell's members were told of: published, held, or called off after the notice.
ANNOUNCED = Q(status__in=[Status.PUBLISHED, Status.OPEN, Status.CLOSED]) | Q(
    status=Status.CANCELLED, published_at__isnull=False
)


def is_announced(meeting: Meeting) -> bool:
    """`ANNOUNCED`, of one meeting in hand: the search index keeps it with the meeting's entry
    and its comments' (the search's access test holds the two together)."""
    return meeting.status in (Status.PUBLISHED, Status.OPEN, Status.CLOSED) or (
        meeting.status == Status.CANCELLED and meeting.published_at is not None
    )


# Guidance the committees below read: the version in force, and those it corrected.
ISSUED = (Guidance.Status.PUBLISHED, Guidance.Status.CORRECTED)


# Everyone's reach as last read, kept in the shared cache for the day (positions begin and end
# on dates) and under the token of who sits where (`orgs.models.seats_changed`).
DAY = 24 * 60 * 60


@dataclass(frozen=True)
class _Reach:
    """Where a member stands in the tree, read in three queries."""

    member_id: int | None = None
    own_cell_id: int | None = None
    # The committees they sit on, none inside another: each a prefix of the paths below it.
    subtree_paths: tuple[str, ...] = ()
    led: frozenset[int] = frozenset()
    secretary_of: frozenset[int] = frozenset()
    # The cells on whose committee they sit (leaders included): where they may prepare.
    on_cell_committee: frozenset[int] = frozenset()
    supervised: frozenset[int] = frozenset()
    # How many cells the committees they sit on hold between them.
    cells_below: int = 0
    # Holds any current position (secretary, deputy, a seat on a cell's or a committee's board).
    holds_office: bool = False

    @property
    def cells(self) -> frozenset[int]:
        """The cells whose life is theirs: their own, those they lead or supervise."""
        own = {self.own_cell_id} if self.own_cell_id else set()
        return frozenset(own) | self.led | self.supervised

    def below(self, org: Organisation) -> bool:
        return any(org.path.startswith(p) for p in self.subtree_paths)


def _reach_of(user: User) -> _Reach:
    row = Member.objects.filter(user=user).values_list("pk", "cell_id").first()
    if row is None:
        return _Reach()
    member_id, own_cell_id = row
    positions = Position.objects.current().filter(member_id=member_id)
    paths, led, secretary, committee, offices = {}, set(), set(), set(), 0
    seats = ("kind", "organisation_id", "organisation__path", "organisation__kind")
    for kind, org_id, path, org_kind, cells in positions.values_list(
        *seats, "organisation__cell_count"
    ):
        offices += 1
        if org_kind == Organisation.Kind.COMMITTEE:
            paths[path] = cells
        elif kind in CELL_COMMITTEE:
            committee.add(org_id)
            if kind in LEADS_CELL:
                led.add(org_id)
            if kind == Position.Kind.SECRETARY:
                secretary.add(org_id)
    supervised = Assignment.objects.current().filter(supervisor_id=member_id)
    # A seat on a committee inside another committee's subtree adds nothing.
    tops = tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))
    return _Reach(
        member_id=member_id,
        own_cell_id=own_cell_id,
        subtree_paths=tops,
        cells_below=sum(paths[p] for p in tops),
        led=frozenset(led),
        secretary_of=frozenset(secretary),
        on_cell_committee=frozenset(committee),
        supervised=frozenset(supervised.values_list("cell_id", flat=True)),
        holds_office=offices > 0,
    )


def _kept_reach(user: User) -> _Reach:
    """The user's reach from the shared cache, read from the database when the day or the
    generation has moved on since it was kept."""
    key = f"access:reach:{user.pk}:{timezone.localdate()}"
    found = cache.get_many([SEATS, key])
    seats = found.get(SEATS)
    if seats is None:  # never set, or evicted: a new token, the first one set wins
        cache.add(SEATS, uuid.uuid4().hex, timeout=None)
        seats = cache.get(SEATS)
    kept = found.get(key)
    if kept is not None and kept[0] == seats:
        return kept[1]
    reach = _reach_of(user)
    cache.set(key, (seats, reach), timeout=DAY)
    return reach


class Scope:
    """What one user may reach in the tree, computed once per request, when first asked."""

    def __init__(self, user: User | AnonymousUser) -> None:
        self.user = user
        # Administrators reach everything and may rewrite the tree (imports, the admin site).
        self.is_admin = bool(user.is_active and user.is_superuser)

    @cached_property
    def _reach(self) -> _Reach:
        user = self.user
        if self.is_admin or not (user.is_authenticated and user.is_active):
            return _Reach()
        return _kept_reach(user)

    @property
    def member_id(self) -> int | None:
        """The user's member record, as the author of what they write; None for others."""
        return self._reach.member_id

    @property
    def member(self) -> Member | None:
        """The same as a record to set on what they write (only its key: no query)."""
        return Member(pk=self.member_id) if self.member_id else None

    def _where(self, organisation: str = "") -> Q:
        """The organisations in reach; `organisation` names the field that leads to them."""
        where = Q(**{f"{organisation}pk__in": self._reach.cells})
        for path in self._reach.subtree_paths:
            where |= Organisation.at_or_below(path, f"{organisation}path")
        return where

    # -- lists: everything the user may open -----------------------------------------------

    def organisations(self):
        """Every organisation this user may open."""
        if self.is_admin:
            return Organisation.objects.all()
        return Organisation.objects.filter(self._where())

    def members(self):
        """Every member whose profile this user may open."""
        if self.is_admin:
            return Member.objects.all()
        # Through the cells' ids rather than a join on their paths, so the database walks the
        # member index of each visible cell instead of every member in the country.
        return Member.objects.filter(cell_id__in=self.organisations().cells().values("pk"))

    def meetings(self):
        """Meetings this user may open: those announced in the cells they see; drafts (and
        meetings called off before any notice) of the cells they lead or that they prepare."""
        if self.is_admin:
            return Meeting.objects.all()
        # Through a join on the cell rather than a subquery of every cell in reach: each page
        # narrows the meetings first (one code, one cell, a page of cells), then checks those.
        reach = self._where("cell__") & ANNOUNCED
        reach |= Q(cell_id__in=self._reach.led)
        if self.member_id is not None:
            reach |= Q(preparer_id=self.member_id)
        return Meeting.objects.filter(reach)

    def evaluations(self):
        """Evaluations this user may open: their own, every one in the cells they lead, and
        every one under the committees they sit on."""
        if self.is_admin:
            return Evaluation.objects.all()
        reach = Q(cell_id__in=self._reach.led)
        if self.member_id is not None:
            reach |= Q(member_id=self.member_id)
        return Evaluation.objects.filter(reach | self._under_committees("cell__path"))

    def action_items(self):
        """Tasks this user may open: their own wherever they are now, and every task of the
        cells they see."""
        if self.is_admin:
            return ActionItem.objects.all()
        reach = self._where("cell__")
        if self.member_id is not None:
            reach |= Q(owner_id=self.member_id)
        return ActionItem.objects.filter(reach)

    def roots(self) -> list[Organisation]:
        """The top-most organisations this user reaches: where their tree starts."""
        qs = Organisation.objects.select_related("level")
        if self.is_admin:
            return list(qs.filter(depth=1))
        paths = self._reach.subtree_paths
        orgs = list(
            qs.filter(self._where()).filter(Q(kind=Organisation.Kind.CELL) | Q(path__in=paths))
        )
        return [
            org for org in orgs if not any(org.path != p and org.path.startswith(p) for p in paths)
        ]

    # -- lists: what is the user's own -----------------------------------------------------

    @property
    def holds_office(self) -> bool:
        """Whether the user holds any office now: else their positions are none, no query."""
        return self._reach.holds_office

    @property
    def supervises(self) -> bool:
        """Whether any cell is in their charge as a supervisor (no query: the reach is kept)."""
        return bool(self._reach.supervised)

    def my_cells(self):
        """The cells this user belongs to, leads or supervises: whose meetings they attend.
        (Every cell they may open is `organisations().cells()`.)"""
        return Organisation.objects.filter(pk__in=self._reach.cells)

    def my_meetings(self):
        """The meetings of `my_cells()` this user may open."""
        return self.meetings().filter(cell_id__in=self._reach.cells)

    def led_cells(self):
        """The cells this user leads as secretary or deputy."""
        return Organisation.objects.filter(pk__in=self._reach.led)

    def supervised_cells(self):
        """The cells in this user's charge as a supervisor (rule 14)."""
        return Organisation.objects.filter(pk__in=self._reach.supervised)

    def my_evaluations(self):
        """The user's own evaluations and those of the cells they lead, as a whole."""
        reach = Q(organisation_id__in=self._reach.led)
        if self.member_id is not None:
            reach |= Q(member_id=self.member_id)
        return Evaluation.objects.filter(reach)

    def my_tasks(self):
        """The tasks this user owns, across the cells they belong or belonged to."""
        if self.member_id is None:
            return ActionItem.objects.none()
        return ActionItem.objects.filter(owner_id=self.member_id)

    def overseen_evaluations(self):
        """Evaluations under the committees this user sits on (all, for administrators)."""
        if self.is_admin:
            return Evaluation.objects.all()
        return Evaluation.objects.filter(self._under_committees("cell__path"))

    def audit_entries(self):
        """Entries of the audit log this user may read: those about organisations under the
        committees they sit on (every one, for administrators)."""
        if self.is_admin:
            return Entry.objects.all()
        return Entry.objects.filter(self._under_committees("organisation__path"))

    def guidance(self):
        """Guidance this user may read: every version of the committees they sit on and of
        those below; what the committees above them, or above the cells they help lead,
        published."""
        if self.is_admin:
            return Guidance.objects.all()
        return Guidance.objects.filter(
            self._under_committees("committee__path")
            | Q(status__in=ISSUED, committee__path__in=self._above_paths)
        )

    @cached_property
    def _above_paths(self) -> frozenset[str]:
        """The paths of the committees above those the user sits on and above the cells on
        whose committee they sit: where guidance for them comes from. (Members meet it on
        their agendas.)"""
        reach = self._reach
        paths = [*reach.subtree_paths]
        if reach.on_cell_committee:
            cells = Organisation.objects.filter(pk__in=reach.on_cell_committee)
            paths += cells.values_list("path", flat=True)
        return frozenset(a for path in paths for a in Organisation(path=path).ancestor_paths())

    def topics(self):
        """Thematic topics this user may read: those of every organisation at or above one in
        reach (a committee's topics reach its whole subtree, a cell's own the committees above
        it), and every one proposed under the committees they sit on."""
        if self.is_admin:
            return Topic.objects.all()
        return Topic.objects.filter(self._toward_reach("organisation__path"))

    def examples(self):
        """Example meetings this user may read: those chosen by a committee at or above an
        organisation in reach, or under the committees they sit on."""
        if self.is_admin:
            return Example.objects.all()
        return Example.objects.filter(self._toward_reach("committee__path"))

    def voices(self):
        """Voices this user may read: those they raised or recorded; every one of the cells
        on whose committee they sit; every one raised under the committees they sit on (a
        voice is held by its cell or a committee above it, so its cell says whose it is)."""
        if self.is_admin:
            return Voice.objects.all()
        reach = Q(cell_id__in=self._reach.on_cell_committee) | self._under_committees("cell__path")
        if self.member_id is not None:
            reach |= Q(raised_by_id=self.member_id) | Q(recorded_by_id=self.member_id)
        return Voice.objects.filter(reach)

    def my_voices(self):
        """The voices this user raised or recorded."""
        if self.member_id is None:
            return Voice.objects.none()
        return Voice.objects.filter(
            Q(raised_by_id=self.member_id) | Q(recorded_by_id=self.member_id)
        )

    def can_record_voice(self, cell: Organisation) -> bool:
        """Record a voice for a cell: its members, and those on its committee."""
        reach = self._reach
        return cell.kind == Organisation.Kind.CELL and (
            self.is_admin or cell.pk == reach.own_cell_id or cell.pk in reach.on_cell_committee
        )

    def can_handle_voices(self, holder: Organisation) -> bool:
        """Answer, pass up, resolve or decline the voices an organisation holds: for a cell,
        its secretary, deputy and cell committee; for a committee, those who sit on it; and
        the committees above either."""
        return (
            self.is_admin or holder.pk in self._reach.on_cell_committee or self.sits_above(holder)
        )

    # -- consulting the people (rule 16) ------------------------------------------------------

    def consultations(self):
        """Consultations this user may open: those of the cells they see (their own, those
        they lead or supervise, those under the committees they sit on), whatever the state of
        the meeting: members answer while it is still being prepared."""
        if self.is_admin:
            return Consultation.objects.all()
        return Consultation.objects.filter(self._where("cell__"))

    def can_open_consultation(self, meeting: Meeting) -> bool:
        """Open a consultation for a meeting's resolution: those who prepare the meeting."""
        return self.can_prepare(meeting)

    def can_take_part(self, consultation: Consultation) -> bool:
        """Agree, disagree, pass and add statements: the members of the consultation's cell."""
        return self.member_id is not None and consultation.cell_id == self._reach.own_cell_id

    def can_moderate_statements(self, consultation: Consultation) -> bool:
        """Accept or reject participants' statements: those who handle the cell's voices."""
        return self.can_handle_voices(consultation.cell)

    @cached_property
    def _reach_prefixes(self) -> frozenset[str]:
        """The paths of the organisations in reach, and of every one above them."""
        reach = self._reach
        paths = [*reach.subtree_paths]
        if reach.cells:
            paths += Organisation.objects.filter(pk__in=reach.cells).values_list("path", flat=True)
        return frozenset(
            prefix for path in paths for prefix in [*Organisation(path=path).ancestor_paths(), path]
        )

    def _toward_reach(self, field: str) -> Q:
        """Organisations (by their `field` path) at or above one in reach, or below a seat."""
        return Q(**{f"{field}__in": self._reach_prefixes}) | self._under_committees(field)

    def _under_committees(self, field: str) -> Q:
        reach = Q(pk__in=[])
        for path in self._reach.subtree_paths:
            reach |= Organisation.at_or_below(path, field)
        return reach

    # -- single objects ------------------------------------------------------------------

    def can_see(self, org: Organisation) -> bool:
        return self.is_admin or org.pk in self._reach.cells or self._reach.below(org)

    def can_respond(self, meeting: Meeting) -> bool:
        """Comment and answer before a meeting: members of the cell and its supervisors."""
        reach = self._reach
        return reach.member_id is not None and (
            meeting.cell_id == reach.own_cell_id or meeting.cell_id in reach.supervised
        )

    def can_prepare(self, meeting: Meeting) -> bool:
        """Plan, the agenda and its documents: the cell's secretary and deputy, and the member
        assigned to prepare while they sit on the cell committee (rule 4)."""
        return self.can_manage(meeting.cell) or (
            self.member_id is not None
            and meeting.preparer_id == self.member_id
            and meeting.cell_id in self._reach.on_cell_committee
        )

    def presides(self, meeting: Meeting) -> tuple[bool, bool]:
        """Publish the notice, open and close the meeting, approve the minutes, adopt the
        resolution, publish the records: the secretary, or the deputy while the secretary is
        away (`Meeting.secretary_away`). Returns whether the user may, and whether they would
        act in the secretary's stead (which is recorded)."""
        if self.is_admin or meeting.cell_id in self._reach.secretary_of:
            return True, False
        if meeting.cell_id in self._reach.led and meeting.secretary_away():
            return True, True
        return False, False

    def can_manage(self, org: Organisation) -> bool:
        """Change the cell's records: its secretary and deputy, and administrators."""
        return self.is_admin or org.pk in self._reach.led

    def can_edit(self, org: Organisation) -> bool:
        """Change the organisation's own settings (its working language): a cell's secretary
        and deputy, a committee's standing committee, and administrators."""
        if org.kind == Organisation.Kind.COMMITTEE:
            return self.is_admin or org.path in self._standing_paths
        return self.can_manage(org)

    @property
    def needs_second_factor(self) -> bool:
        """Sign-in with a code from an authenticator app, and a working day's session: everyone
        who may see other members' personal data in full (`personal.TABLE`: secretaries, and
        committee staff, who need a seat to reach anyone), every holder of an office (deputies,
        cell and committee members, whose pages show the members they lead), and the staff
        of the admin site. Read from the kept reach: no query on a member's page."""
        user = self.user
        if not (user.is_authenticated and user.is_active):
            return False
        return user.is_staff or self.is_admin or self._reach.holds_office

    def can_export_members(self) -> bool:
        """Download the members in reach as a file: administrators, and those who lead a cell
        or sit on a committee (ordinary members read their cell's list on the page)."""
        return self.is_admin or bool(self._reach.led or self._reach.subtree_paths)

    @cached_property
    def has_personal_data_permission(self) -> bool:
        return self.user.has_perm("orgs.view_personal_data")

    def role_towards(self, member: Member) -> Role:
        """The role in which this user sees `member`'s personal data (`personal.TABLE`): the
        most entitled that applies. Needs `member.cell`."""
        reach = self._reach
        below = reach.below(member.cell)
        applies = {
            Role.ADMIN: self.is_admin,
            Role.SELF: member.pk == reach.member_id,
            Role.SECRETARY: member.cell_id in reach.secretary_of,
            Role.STAFF: below and self.has_personal_data_permission,
            Role.DEPUTY: member.cell_id in reach.led,
            Role.COMMITTEE: below,
            Role.SUPERVISOR: member.cell_id in reach.supervised,
        }
        return next((role for role in Role if applies.get(role)), Role.MEMBER)

    def personal(self, member: Member) -> Personal:
        """`member`'s personal fields as this user may see them."""
        return Personal(member, self.role_towards(member))

    def with_personal(self, members) -> list[Member]:
        """The members (with their cells) each with `personal`, for a list to show."""
        members = list(members)
        for member in members:
            member.personal = self.personal(member)
        return members

    def member_labels(self, members) -> dict[int, str]:
        """How a picker names each of `members` (with their cells) so that two of one name are
        told apart: the name, then what this user may see of them (`personal`), only as much
        as it takes: their cell when the list spans cells, their year of birth, and the tail
        of their party card as far as it is shown."""
        members = list(members)
        names = Counter(m.full_name for m in members)
        spans_cells = len({m.cell_id for m in members}) > 1
        parts: dict[int, list[str]] = {}
        for member in members:
            if names[member.full_name] == 1:
                continue
            personal = self.personal(member)
            found = [member.cell.name] if spans_cells else []
            if personal.birth_date is not None:  # a masked date still shows its year
                found.append(_("born %(year)s") % {"year": member.birth_date.year})
            parts[member.pk] = found
        # Same name, cell and year: the card's tail, as far as the user sees the card.
        seen = Counter((m.full_name, *parts[m.pk]) for m in members if m.pk in parts)
        for member in members:
            if member.pk in parts and seen[(member.full_name, *parts[member.pk])] > 1:
                card = self.personal(member).card_number
                if card is not None and card.value:
                    tail = card.value[-4:].lstrip("•")
                    parts[member.pk].append(_("card …%(tail)s") % {"tail": tail})
        return {
            m.pk: f"{m.full_name} ({', '.join(parts[m.pk])})" if parts.get(m.pk) else m.full_name
            for m in members
        }

    def members_showing(self, field: str) -> Q:
        """Members (among `members()`) whose `field` this user sees in full: a search by that
        field looks among them only. Exact because each role of `personal.TABLE` sees no less
        than the roles after it."""
        reach = self._reach
        staff = self.has_personal_data_permission
        everyone = Q(pk__isnull=False)  # an empty Q() would vanish from an OR
        where = {
            Role.ADMIN: everyone if self.is_admin else None,
            Role.SELF: Q(pk=reach.member_id) if reach.member_id else None,
            Role.SECRETARY: Q(cell_id__in=reach.secretary_of),
            Role.STAFF: self._under_committees("cell__path") if staff else None,
            Role.DEPUTY: Q(cell_id__in=reach.led),
            Role.COMMITTEE: self._under_committees("cell__path"),
            Role.SUPERVISOR: Q(cell_id__in=reach.supervised),
            Role.MEMBER: everyone,
        }
        found = Q(pk__in=[])
        for role in Role:
            if where[role] is not None and shown(role, field) == Shown.FULL:
                found |= where[role]
        return found

    def can_check_in(self, meeting: Meeting) -> bool:
        """Say "I am here" at a meeting: the members of its cell, who are on its roll."""
        return self.member_id is not None and meeting.cell_id == self._reach.own_cell_id

    def can_follow_up(self, item: ActionItem) -> bool:
        """Report progress on an action item: its owner, the cell's secretary and deputy."""
        return (
            self.is_admin
            or (self.member_id is not None and item.owner_id == self.member_id)
            or item.cell_id in self._reach.led
        )

    def sits_above(self, org: Organisation) -> bool:
        """A seat on a committee whose subtree holds `org` (administrators sit above all)."""
        return self.is_admin or self._reach.below(org)

    def can_issue_guidance(self, org: Organisation) -> bool:
        """Write, publish, correct and pass on a committee's guidance: its standing committee,
        and the members it authorises (the `issue_guidance` permission) on it or above it."""
        if org.kind != Organisation.Kind.COMMITTEE:
            return False
        if self.is_admin or org.path in self._standing_paths:
            return True
        return self._reach.below(org) and self.user.has_perm("guidance.issue_guidance")

    def can_see_guidance(self, org: Organisation) -> bool:
        """A committee's own guidance, drafts included, and what came from above for it to pass
        on: those who sit on it or above it."""
        return org.kind == Organisation.Kind.COMMITTEE and self.sits_above(org)

    def can_see_adoption(self, guidance: Guidance) -> bool:
        """What the cells did with a committee's guidance: those who sit on it or above it."""
        return self.sits_above(guidance.committee)

    def can_propose_topic(self, org: Organisation) -> bool:
        """Propose a topic for a quarter's thematic meeting: for a committee's subtree, those
        who issue its guidance; for a cell's own, its secretary and deputy."""
        if org.kind == Organisation.Kind.COMMITTEE:
            return self.can_issue_guidance(org)
        return self.can_manage(org)

    def can_mark_example(self, meeting: Meeting) -> bool:
        """Choose a held meeting as an example for other cells: the committees above its cell."""
        return self.sits_above(meeting.cell)

    def seat_above(self, org: Organisation) -> Organisation | None:
        """The committee this user sits on whose subtree holds `org` (for administrators, the
        organisation's parent): in whose name they choose an example."""
        if self.is_admin:
            path = org.path[: -Organisation.steplen]
        else:
            path = next((p for p in self._reach.subtree_paths if org.path.startswith(p)), None)
        if not path:
            return None
        return Organisation.objects.filter(path=path, kind=Organisation.Kind.COMMITTEE).first()

    def can_see_log(self, org: Organisation) -> bool:
        """The audit log of a committee's subtree: those who sit on it or above it."""
        return org.kind == Organisation.Kind.COMMITTEE and self.sits_above(org)

    def can_oversee(self, org: Organisation) -> bool:
        """Judge how an organisation works (scores, formalism, risks): the committees above it
        and, for a cell, its supervisors."""
        return self.sits_above(org) or org.pk in self._reach.supervised

    def can_see_quality(self, org: Organisation) -> bool:
        """The indicators and warnings of an organisation: those who oversee it, and a cell's
        own secretary and deputy."""
        return self.can_oversee(org) or self.can_manage(org)

    @property
    def sees_dashboards(self) -> bool:
        """Whether `dashboards()` holds any (no query: the reach is kept)."""
        reach = self._reach
        return self.is_admin or bool(reach.subtree_paths or reach.led or reach.supervised)

    def dashboards(self):
        """The organisations whose quality of cell life is this user's to follow, from the
        top: each committee they sit on (a ward's too, under a city's seat), the cells they
        lead or supervise; an administrator's are the tree's roots. Each may be seen by
        `can_see_quality`."""
        if self.is_admin:
            found = Organisation.objects.filter(depth=1)
        else:
            seats = Position.objects.current().filter(
                member_id=self.member_id, organisation__kind=Organisation.Kind.COMMITTEE
            )
            reach = self._reach
            found = Organisation.objects.filter(
                Q(pk__in=seats.values("organisation_id")) | Q(pk__in=reach.led | reach.supervised)
            )
        return found.order_by("depth", "path")

    def score_roles(self, meeting: Meeting) -> list[str]:
        """Rule 13, the roles in which this user may score the meeting: the cell scores
        itself, its supervisor may score, the committee above decides."""
        may = {
            MeetingScore.Role.CELL: self.can_manage(meeting.cell),
            MeetingScore.Role.SUPERVISOR: meeting.cell_id in self._reach.supervised,
            MeetingScore.Role.COMMITTEE: self.sits_above(meeting.cell),
        }
        return [role for role in MeetingScore.Role.values if may[role]]

    # -- the library and the study of documents -----------------------------------------

    def library_documents(self):
        """Library documents this user may read: those for everyone, and those internal to a
        committee at or above an organisation in reach, or under a committee they sit on (every
        one, for administrators). Nobody reads another subtree's internal documents."""
        if self.is_admin:
            return Document.objects.all()
        return Document.objects.filter(
            Q(audience__isnull=True) | self._toward_reach("audience__path")
        )

    def search_entries(self, kinds: Collection[str] | None = None):
        """Entries of the search index this user may find: of each kind, exactly the records
        of that kind's own list here, by the same rules over the keys each entry keeps (its
        organisation and path, whether it is announced or issued, whose it is), so that the
        search filters its matches without a subquery. A test holds every kind's rule equal to
        its list's for every persona. With `kinds`, of those kinds only: the rules of the
        others are left out, not only their entries (the planner took each `kind` condition
        repeated as a new one, and expected 29 documents of 10,171)."""
        return SearchEntry.objects.filter(self.search_keys(kinds).q)

    def search_keys(self, kinds: Collection[str] | None = None) -> keys.Keys:
        """The rules of `search_entries` over the entries' keys, as a `Q` and as the keys
        SQLite's full-text index holds (`library.index.keys`)."""
        if self.is_admin:
            return keys.EVERY if kinds is None else keys.kinds(kinds)
        reach, me = self._reach, self.member_id
        mine = keys.person(me) if me else keys.NOBODY
        under = keys.NOBODY
        for path in reach.subtree_paths:
            under |= keys.at_or_below(path)
        # `_where()`: an organisation among the cells in reach or under a committee sat on.
        in_reach = keys.organisations(reach.cells) | under
        toward_reach = keys.paths(self._reach_prefixes) | under  # `_toward_reach()`
        rules = {
            # library_documents()
            ("document",): keys.no_organisation() | toward_reach,
            # meetings(), and a comment with its meeting
            ("meeting", "comment"): (in_reach & keys.shown())
            | keys.organisations(reach.led)
            | mine,
            # action_items()
            ("task",): in_reach | mine,
            # members()
            ("member",): in_reach,
            # voices()
            ("voice",): keys.organisations(reach.on_cell_committee)
            | under
            | mine
            | (keys.second_person(me) if me else keys.NOBODY),
            # guidance()
            ("guidance",): under | (keys.shown() & keys.paths(self._above_paths)),
        }
        where = keys.NOBODY
        for of, rule in rules.items():
            if kinds is not None:
                of = [kind for kind in of if kind in kinds]
            if of:
                where |= keys.kinds(of) & rule
        return where

    @property
    def searches_narrowly(self) -> bool:
        """Whether what this user may find is a small part of a large index (a member's cells,
        a ward's subtree, not a city's): a search then reads that part first and matches the
        words in it, rather than listing every match of the index and keeping theirs."""
        reach = self._reach
        cells = len(reach.cells) + reach.cells_below
        return not self.is_admin and cells <= settings.CHIBO_SEARCH_NARROW_CELLS

    def card_entries(self):
        """Entries of members this user may find by party card number: those whose card they
        see in full (`members_showing`), checked for the entry found by its card alone."""
        members = self.members().filter(self.members_showing("card_number"))
        return SearchEntry.objects.filter(
            Exists(members.filter(pk=OuterRef("object_id"))), kind="member"
        )

    def can_publish_documents(self, org: Organisation) -> bool:
        """Add documents internal to a committee's subtree, and change them: the standing
        committee of it or of one above it, and the members it authorises (the
        `publish_documents` permission) sitting on it or above it."""
        return self._authorised_for(org, "library.publish_documents")

    def _authorised_for(self, org: Organisation, permission: str) -> bool:
        if org.kind != Organisation.Kind.COMMITTEE:
            return False
        if self.is_admin or any(org.path.startswith(p) for p in self._standing_paths):
            return True
        return self._reach.below(org) and self.user.has_perm(permission)

    def can_change_document(self, document: Document) -> bool:
        """Documents for everyone are national: administrators change them."""
        if document.audience_id is None:
            return self.is_admin
        return self.can_publish_documents(document.audience)

    def document_committees(self):
        """The committees whose subtrees this user may add documents for."""
        return self._committees_authorised("library.publish_documents")

    def may_publish_documents(self) -> bool:
        """Whether the library offers this user to add a document at all."""
        return self.is_admin or self.document_committees().exists()

    def study_committees(self):
        """The committees for whose subtrees this user may launch a study."""
        return self._committees_authorised("guidance.issue_guidance")

    def may_launch_studies(self) -> bool:
        return self.study_committees().exists()

    def _committees_authorised(self, permission: str):
        """Committees on or under a standing committee this user sits on, and under those they
        sit on if they hold `permission` (every one, for administrators)."""
        committees = Organisation.objects.committees()
        if self.is_admin:
            return committees
        paths = [*self._standing_paths]
        if self._reach.subtree_paths and self.user.has_perm(permission):
            paths += self._reach.subtree_paths
        where = Q(pk__in=[])
        for path in paths:
            where |= Q(path__startswith=path)
        return committees.filter(where)

    def study_campaigns(self):
        """Studies this user may open: those of the committees at or above an organisation in
        reach, and every one launched under the committees they sit on."""
        if self.is_admin:
            return StudyCampaign.objects.all()
        return StudyCampaign.objects.filter(self._toward_reach("committee__path"))

    def can_launch_study(self, org: Organisation) -> bool:
        """Launch the study of a document for a committee's subtree: its standing committee or
        one above it, and the members authorised to issue guidance sitting on it or above."""
        return self._authorised_for(org, "guidance.issue_guidance")

    def can_follow_study(self, org: Organisation) -> bool:
        """Read the learning notes of an organisation's members and who has not studied: a
        cell's secretary and deputy, and the committees above it."""
        return self.can_manage(org) or self.sits_above(org)

    # -- evaluation of members and cells (rules 17–19) -----------------------------------

    @cached_property
    def _standing_paths(self) -> tuple[str, ...]:
        """The committees on whose standing committee this user sits."""
        if self.member_id is None:
            return ()
        seats = Position.objects.current().filter(
            member_id=self.member_id,
            kind__in=STANDING,
            organisation__kind=Organisation.Kind.COMMITTEE,
        )
        return tuple(seats.values_list("organisation__path", flat=True))

    def can_see_evaluations(self, org: Organisation) -> bool:
        """The list of an organisation's evaluations: a cell's secretary and deputy, and the
        committees on and above it."""
        return self.can_manage(org) or self.sits_above(org)

    def can_open_evaluations(self, org: Organisation) -> bool:
        """Open a round for a committee's subtree: those who sit on it or above it."""
        return org.kind == Organisation.Kind.COMMITTEE and self.sits_above(org)

    def can_evaluate(self, evaluation: Evaluation, step: str) -> bool:
        """Take `step` of rule 17 on an evaluation (its `cell` and `grassroots` loaded).

        The member rated self-assesses (for a cell: its secretary or deputy); the cell's
        secretary or deputy records the cell's comment, or the committee above when they are
        the one rated; the grassroots committee or one above it appraises; the standing
        committee of a level above the grassroots organisation decides. Beyond their own
        self-assessment, nobody acts on their own evaluation, nor takes two different steps
        of one evaluation.
        """
        Step = Evaluation.Step
        if step == Step.SELF_ASSESSED:
            if evaluation.member_id is not None:
                return self.member_id is not None and evaluation.member_id == self.member_id
            return self.can_manage(evaluation.cell)
        if self.member_id is not None and (
            evaluation.member_id == self.member_id
            or self.member_id in {evaluation.actor_of(s) for s in Step.values if s != step}
        ):
            return False
        grassroots = evaluation.grassroots
        if step == Step.COMMENTED:
            return self.can_manage(evaluation.cell) or self.sits_above(evaluation.cell)
        if step == Step.APPRAISED:
            return self.sits_above(grassroots)
        if step == Step.DECIDED:
            return self.is_admin or any(
                grassroots.path.startswith(p) and grassroots.path != p for p in self._standing_paths
            )
        return False


def scope_for(request: HttpRequest) -> Scope:
    """The scope of the signed-in user, cached on the request."""
    if not hasattr(request, "_chibo_scope"):
        request._chibo_scope = Scope(request.user)
    return request._chibo_scope


def administrator_required(view: Callable) -> Callable:
    """Views that rewrite the whole tree (imports): administrators only, 403 for the rest."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not scope_for(request).is_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# -- getters: 404 for what the user may not see, 403 for what they may only read -------------

# What a getter may require of an organisation, each a `Scope.can_<right>` check.
OrganisationRight = Literal[
    "manage",
    "edit",
    "oversee",
    "see_quality",
    "see_evaluations",
    "open_evaluations",
    "see_log",
    "see_guidance",
    "issue_guidance",
    "propose_topic",
    "launch_study",
    "follow_study",
    "record_voice",
    "handle_voices",
]


def _organisation(
    request: HttpRequest, code, kind: str | None, may: OrganisationRight | None
) -> tuple[Organisation, bool]:
    scope = scope_for(request)
    orgs = scope.organisations().select_related("level")
    if kind is not None:
        orgs = orgs.filter(kind=kind)
    org = orgs.filter(code=code).first()
    if org is None:
        raise Http404
    if may is not None and not getattr(scope, f"can_{may}")(org):
        raise PermissionDenied
    return org, scope.can_manage(org)


def get_organisation_for_user(
    request: HttpRequest, code, may: OrganisationRight | None = None
) -> tuple[Organisation, bool]:
    """The organisation and whether the user may change it; 404 if they may not see it, 403 if
    they see it but may not do what `may` names."""
    return _organisation(request, code, None, may)


def get_cell_for_user(
    request: HttpRequest, code, may: OrganisationRight | None = None
) -> tuple[Organisation, bool]:
    """As `get_organisation_for_user`, for pages of a cell: 404 for a committee."""
    return _organisation(request, code, Organisation.Kind.CELL, may)


def get_committee_for_user(
    request: HttpRequest, code, may: OrganisationRight | None = None
) -> tuple[Organisation, bool]:
    """As `get_organisation_for_user`, for pages of a committee: 404 for a cell."""
    return _organisation(request, code, Organisation.Kind.COMMITTEE, may)


@dataclass(frozen=True)
class MeetingRights:
    """What the user may do with a meeting they see; templates ask these, never roles."""

    # The plan, the agenda and its documents.
    prepare: bool
    # The roll, votes, the drafts of the minutes and the resolution: the cell's leaders.
    hold: bool
    respond: bool
    check_in: bool
    # The roles in which they may score it (rule 13); empty if they may only read the scores.
    score: tuple[str, ...]
    meeting: Meeting = field(repr=False, compare=False)
    _scope: Scope = field(repr=False, compare=False)

    @cached_property
    def _presiding(self) -> tuple[bool, bool]:
        # Asked only by the pages that act on it: whether the secretary is away costs queries.
        return self._scope.presides(self.meeting)

    @property
    def preside(self) -> bool:
        """Publish, open, close, approve, adopt and publish the records (`Scope.presides`)."""
        return self._presiding[0]

    @property
    def in_stead(self) -> bool:
        """Presiding as the deputy in the secretary's stead."""
        return self._presiding[1]

    def records(self, versions):
        """Versions of the minutes or resolution this user may read: every one for those who
        hold the meeting, the published ones for everyone else who sees it."""
        if self.hold:
            return versions
        return versions.filter(status=versions.model.Status.PUBLISHED)


MeetingRight = Literal["prepare", "hold", "preside", "respond", "check_in", "score"]


def get_meeting_for_user(
    request: HttpRequest, code, may: MeetingRight | None = None
) -> tuple[Meeting, MeetingRights]:
    """The meeting and what the user may do with it; 404 if it is not among `Scope.meetings()`
    (out of reach, or a draft not theirs), 403 if they may not do what `may` names."""
    scope = scope_for(request)
    meeting = (
        scope.meetings().select_related("cell", "cell__level", "preparer").filter(code=code).first()
    )
    if meeting is None:
        raise Http404
    rights = MeetingRights(
        prepare=scope.can_prepare(meeting),
        hold=scope.can_manage(meeting.cell),
        respond=scope.can_respond(meeting),
        check_in=scope.can_check_in(meeting),
        score=tuple(scope.score_roles(meeting)),
        meeting=meeting,
        _scope=scope,
    )
    if may is not None and not getattr(rights, may):
        raise PermissionDenied
    return meeting, rights


def get_member_for_user(
    request: HttpRequest, code, may: Literal["manage"] | None = None
) -> tuple[Member, bool]:
    """The member and whether the user may change their record; 404 if out of reach, 403 if
    `may="manage"` and they may not."""
    scope = scope_for(request)
    member = scope.members().select_related("cell", "cell__level").filter(code=code).first()
    if member is None:
        raise Http404
    can_manage = scope.can_manage(member.cell)
    if may == "manage" and not can_manage:
        raise PermissionDenied
    return member, can_manage


def get_evaluation_for_user(request: HttpRequest, code) -> Evaluation:
    """The evaluation with its round and organisations loaded; 404 if out of reach. What the
    user may do with it depends on the step: ask `Scope.can_evaluate`."""
    found = (
        scope_for(request)
        .evaluations()
        .select_related(
            "round", "member", "organisation", "cell", "grassroots", "round__organisation"
        )
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_guidance_for_user(
    request: HttpRequest, code, may: Literal["issue"] | None = None
) -> tuple[Guidance, bool]:
    """The guidance (its committee loaded) and whether the user may issue its committee's
    guidance; 404 if it is not among `Scope.guidance()`, 403 if `may="issue"` and they may not."""
    scope = scope_for(request)
    found = (
        scope.guidance()
        .select_related("committee", "committee__level", "passes_on__committee")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404
    can_issue = scope.can_issue_guidance(found.committee)
    if may == "issue" and not can_issue:
        raise PermissionDenied
    return found, can_issue


def get_topic_for_user(request: HttpRequest, code) -> Topic:
    """The topic (its organisation loaded); 404 if it is not among `Scope.topics()`."""
    found = (
        scope_for(request)
        .topics()
        .select_related("organisation", "organisation__level")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_door_cell(code) -> Organisation:
    """The cell whose public door this is: anyone, signed in or not, may leave a voice at any
    cell's door; 404 for a committee or an unknown code."""
    found = Organisation.objects.filter(code=code, kind=Organisation.Kind.CELL).first()
    if found is None:
        raise Http404
    return found


def get_voice_for_user(
    request: HttpRequest, code, may: Literal["handle"] | None = None
) -> tuple[Voice, bool]:
    """The voice (its cell, holder and category loaded) and whether the user handles it (and
    so sees a citizen's contact); 404 if not among `Scope.voices()`, 403 if `may="handle"` and
    they may not."""
    scope = scope_for(request)
    found = (
        scope.voices()
        .select_related("cell", "holder", "holder__level", "category", "raised_by", "meeting")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404
    can_handle = scope.can_handle_voices(found.holder)
    if may == "handle" and not can_handle:
        raise PermissionDenied
    return found, can_handle


def get_example_for_user(request: HttpRequest, meeting_code) -> Example:
    """The example chosen of the meeting `meeting_code`, with its meeting, cell and committee;
    404 if there is none, or it is not among `Scope.examples()`."""
    found = (
        scope_for(request)
        .examples()
        .select_related("meeting", "meeting__cell", "committee")
        .filter(meeting__code=meeting_code)
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_library_document_for_user(
    request: HttpRequest, code, may: Literal["change"] | None = None
) -> tuple[Document, bool]:
    """The library document (its audience and links loaded) and whether the user may change
    it; 404 if it is not among `Scope.library_documents()`, 403 if `may="change"` and they may
    not."""
    scope = scope_for(request)
    found = (
        scope.library_documents()
        .select_related("audience", "audience__level", "amends", "replaces")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404
    can_change = scope.can_change_document(found)
    if may == "change" and not can_change:
        raise PermissionDenied
    return found, can_change


def get_study_for_user(request: HttpRequest, code) -> StudyCampaign:
    """The study with its committee and document; 404 if it is not among
    `Scope.study_campaigns()`."""
    found = (
        scope_for(request)
        .study_campaigns()
        .select_related("committee", "committee__level", "document")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404
    return found
