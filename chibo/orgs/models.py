"""The organisation tree, the people in it and the positions they hold."""

import uuid
from collections import Counter
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from chibo.lib.bounds import validate_past_date
from chibo.lib.text import fold, validate_plain_text
from chibo.orgs.validators import validate_citizen_id, validate_phone


class User(AbstractUser):
    """Someone who signs in. Their party life, if they are a member, is on `member`."""

    class Mail(models.TextChoices):
        IMMEDIATE = "immediate", _("each notice as it comes")
        DAILY = "daily", _("one digest a day")

    class Channels(models.TextChoices):
        """How notifications reach the person beyond the app: push goes to each phone or
        browser they turned it on for, as each notification comes."""

        EMAIL = "email", _("by e-mail")
        PUSH = "push", _("on my phone")
        BOTH = "both", _("by e-mail and on my phone")

    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    mail = models.CharField(
        _("e-mail"), max_length=10, choices=Mail.choices, default=Mail.IMMEDIATE
    )
    channels = models.CharField(
        _("notifications"), max_length=10, choices=Channels.choices, default=Channels.EMAIL
    )


class Level(models.Model):
    """A tier of the tree (province, city, commune, grassroots, cell).

    Levels are data so that the 2025 structure and older ones with a district tier run on the
    same code; names are kept per language because they are data, not interface strings.
    """

    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    name_km = models.CharField(_("name in Khmer"), max_length=100, blank=True)
    # Rule 14: the locality sets how many meetings its committee members attend a year.
    supervision_visits = models.PositiveSmallIntegerField(
        _("meetings a committee member of this level attends a year"), default=2
    )

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return getattr(self, f"name_{get_language()}", "") or self.name


# Who sits where (members' cells and sign-ins, positions, supervisions), as `access` keeps it
# read for each user: a token in the shared cache that every change of those moves on.
SEATS = "orgs:seats"


def seats_changed() -> None:
    """Who sits where has changed: what was kept of it is read again. Moved on at once and
    again once the change commits, for a request that read the rows in between."""

    def move_on() -> None:
        cache.set(SEATS, uuid.uuid4().hex, timeout=None)

    move_on()
    transaction.on_commit(move_on)


class OrganisationQuerySet(MP_NodeQuerySet):
    def cells(self) -> "OrganisationQuerySet":
        return self.filter(kind=Organisation.Kind.CELL)

    def committees(self) -> "OrganisationQuerySet":
        return self.filter(kind=Organisation.Kind.COMMITTEE)

    def children_of(self, org: "Organisation") -> "OrganisationQuerySet":
        return self.filter(path__startswith=org.path, depth=org.depth + 1)

    def within(self, org: "Organisation") -> "OrganisationQuerySet":
        """`org` and everything below it: one prefix match on the indexed path."""
        return self.filter(path__startswith=org.path)

    def with_parent_name(self) -> "OrganisationQuerySet":
        """Each with its parent's name (`parent_name`, None at the top): several cells of a
        city share a name ("Chi bộ khu 1"), and the parent tells them apart."""
        steplen = Organisation.steplen
        parent = Organisation.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - steplen)
        ).values("name")[:1]
        return self.annotate(parent_name=Subquery(parent))

    def recount(self) -> None:
        """Recompute the member and cell totals kept on every organisation of the tree.

        Totals are stored rather than counted per page, so the tree of a province shows in
        one query; bulk writers (import, demo) call this once at the end.
        """
        members: Counter[str] = Counter()
        cells: Counter[str] = Counter()
        steplen = Organisation.steplen
        rows = Organisation.objects.values_list("path", "kind").annotate(n=models.Count("members"))
        for path, kind, n in rows:
            for end in range(steplen, len(path) + 1, steplen):
                members[path[:end]] += n
                cells[path[:end]] += kind == Organisation.Kind.CELL
        orgs = list(Organisation.objects.only("pk", "path", "member_count", "cell_count"))
        for org in orgs:
            org.member_count, org.cell_count = members[org.path], cells[org.path]
        Organisation.objects.bulk_update(orgs, ["member_count", "cell_count"], batch_size=1000)


class OrganisationManager(MP_NodeManager.from_queryset(OrganisationQuerySet)):
    def get_queryset(self) -> OrganisationQuerySet:
        return OrganisationQuerySet(self.model, using=self._db).order_by("path")


class Organisation(MP_Node):
    """A party committee or a party cell, placed in the tree by its materialised path."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("party committee")
        CELL = "cell", _("party cell")

    class Category(models.TextChoices):
        VILLAGE = "village", _("village")
        RESIDENTIAL = "residential", _("residential group")
        AGENCY = "agency", _("agency")
        SCHOOL = "school", _("school")
        ENTERPRISE = "enterprise", _("enterprise")
        HEALTH = "health", _("health facility")
        ARMED_FORCES = "armed_forces", _("armed forces")
        OTHER = "other", _("other")

    steplen = 4
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("level")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    ref = models.CharField(
        _("reference code"),
        max_length=50,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The code of this organisation in the national member database."),
    )
    member_count = models.PositiveIntegerField(_("members"), default=0, editable=False)
    cell_count = models.PositiveIntegerField(_("cells"), default=0, editable=False)
    # Its official documents (minutes, resolutions, reports) are made in it; any reader may
    # ask for them in their own language too.
    language = models.CharField(
        _("working language"), max_length=5, choices=settings.LANGUAGES, default="vi"
    )

    objects = OrganisationManager()

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        indexes = [models.Index(fields=["kind", "path"], name="org_kind_path")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cell(self) -> bool:
        return self.kind == self.Kind.CELL

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding and self.is_cell:
            self._shift("cell_count", +1)
            self.cell_count += 1

    def shift_member_count(self, delta: int) -> None:
        """Keep the stored totals of this organisation and its ancestors in step."""
        self._shift("member_count", delta)

    def _shift(self, field: str, delta: int) -> None:
        Organisation.objects.filter(path__in=[*self.ancestor_paths(), self.path]).update(
            **{field: models.F(field) + delta}
        )

    @classmethod
    def at_or_below(cls, path: str, field: str = "path") -> Q:
        """`field`, a path of the tree, at or under `path`: the range from `path` up to the next
        path of its length, which an index reads, where a prefix (LIKE) is read from no index,
        neither PostgreSQL's under the database's collation nor SQLite's, whose LIKE ignores
        case (a ward committee's search read all of a province's entries). The alphabet of
        paths, digits then capitals, sorts alike in every collation."""
        digits = list(path)
        for place in reversed(range(len(digits))):
            step = cls.alphabet.index(digits[place]) + 1
            if step < len(cls.alphabet):
                after = "".join(digits[:place]) + cls.alphabet[step]
                return Q(**{f"{field}__gte": path, f"{field}__lt": after})
        return Q(**{f"{field}__gte": path})  # the last path there can be: nothing after it

    def ancestor_paths(self) -> list[str]:
        """Paths of this organisation's ancestors, root first (no query needed)."""
        return [self.path[:end] for end in range(self.steplen, len(self.path), self.steplen)]


class MemberQuerySet(models.QuerySet):
    def with_obligations(self) -> "MemberQuerySet":
        """Members expected to attend and comment: exempt members have no obligations."""
        return self.exclude(status=Member.Status.EXEMPT)

    def summoned(self) -> "MemberQuerySet":
        """Members called to their cell's meetings: those with obligations, less the temporarily
        transferred (they attend the cell they are sent to) and the suspended."""
        return self.with_obligations().exclude(
            status__in=[Member.Status.TRANSFERRED, Member.Status.SUSPENDED]
        )

    def on_cell_committee(self, cell: "Organisation") -> "MemberQuerySet":
        """Members sitting on the cell's committee today: those who may prepare its meetings."""
        seats = Position.objects.current().filter(organisation=cell, kind__in=CELL_COMMITTEE)
        return self.filter(pk__in=seats.values("member_id"))

    def search(self, query: str, cards: Q) -> "MemberQuerySet":
        """Match a name regardless of Vietnamese diacritics and case, or a party card number
        among the members `cards` selects (those whose card number the searcher may see)."""
        folded = fold(query)
        return self.filter(Q(search_name__contains=folded) | (Q(card_number=query.strip()) & cards))


class Member(models.Model):
    """A party member (đảng viên) with the profile fields of Regulation 339."""

    class Gender(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    class Status(models.TextChoices):
        OFFICIAL = "official", _("official")
        PROBATIONARY = "probationary", _("probationary")
        EXEMPT = "exempt", _("exempt from work and activities")
        TRANSFERRED = "transferred", _("temporarily transferred")
        SUSPENDED = "suspended", _("suspended")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="member"
    )
    full_name = models.CharField(_("full name"), max_length=120, validators=[validate_plain_text])
    search_name = models.CharField(max_length=120, editable=False)
    birth_date = models.DateField(_("date of birth"), validators=[validate_past_date])
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    admitted_on = models.DateField(_("date of admission"), validators=[validate_past_date])
    official_on = models.DateField(
        _("date made official"), null=True, blank=True, validators=[validate_past_date]
    )
    card_number = models.CharField(_("party card number"), max_length=20, unique=True)
    citizen_id = models.CharField(
        _("citizen ID number"), max_length=12, blank=True, validators=[validate_citizen_id]
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OFFICIAL
    )
    cell = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": Organisation.Kind.CELL},
        verbose_name=_("party cell"),
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["search_name", "pk"]
        indexes = [
            models.Index(fields=["cell", "search_name"], name="member_cell_name"),
            models.Index(fields=["search_name"], name="member_search_name"),
        ]
        permissions = [("view_personal_data", _("Can see citizen ID and phone of members"))]
        constraints = [
            # A citizen ID names one person; many members have none on record yet.
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=~Q(citizen_id=""),
                name="one_member_per_citizen_id",
                violation_error_message=_("Another member already has this citizen ID number."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        # A newcomer without a sign-in moves nobody; a whole record saved may move its owner.
        moves = self.user_id is not None if self._state.adding else update_fields is None
        super().save(*args, **kwargs)
        if moves or {"cell", "user"} & set(update_fields or ()):
            seats_changed()

    def delete(self, *args, **kwargs):
        # Their positions and supervisions go with them.
        deleted = super().delete(*args, **kwargs)
        seats_changed()
        return deleted

    def get_status_display(self) -> str:
        # One label translated: Django's own translates every status to find it, 0.1 ms a row
        # of a cell's list of members.
        return str(self.Status(self.status).label)

    @classmethod
    @transaction.atomic
    def enrol(cls, cell: Organisation, *, joined_on: date | None = None, **fields) -> "Member":
        """Add a member to a cell, opening their first membership."""
        member = cls.objects.create(cell=cell, **fields)
        member.open_membership(joined_on or member.admitted_on)
        return member

    def open_membership(self, on: date) -> None:
        """Start the history of a member just saved in their first cell."""
        Membership.objects.create(member=self, cell=self.cell, started_on=on)
        self.cell.shift_member_count(+1)

    @transaction.atomic
    def move_to(self, cell: Organisation, on: date | None = None) -> None:
        """Transfer to another cell, closing the current membership so history is kept."""
        on = on or timezone.localdate()
        old = self.cell
        if old.pk == cell.pk:
            return
        self.memberships.filter(ended_on__isnull=True).update(ended_on=on)
        Membership.objects.create(member=self, cell=cell, started_on=on)
        self.cell = cell
        self.save(update_fields=["cell"])
        old.shift_member_count(-1)
        cell.shift_member_count(+1)


class Membership(models.Model):
    """A span of time a member belonged to a cell; the open one is the current cell."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    started_on = models.DateField(_("from"), validators=[validate_past_date])
    ended_on = models.DateField(_("until"), null=True, blank=True, validators=[validate_past_date])

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_on__isnull=True),
                name="one_current_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.cell}"


class PositionQuerySet(models.QuerySet):
    def ranked(self) -> "PositionQuerySet":
        """Secretary first, then deputies, standing committee, committee and cell committee."""
        order = [
            Position.Kind.SECRETARY,
            Position.Kind.DEPUTY,
            Position.Kind.STANDING,
            Position.Kind.COMMITTEE,
            Position.Kind.CELL_COMMITTEE,
        ]
        rank = models.Case(*(models.When(kind=k, then=i) for i, k in enumerate(order)))
        return self.order_by(rank, "started_on")

    def current(self, on: date | None = None) -> "PositionQuerySet":
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)


class Position(models.Model):
    """An office a member holds in an organisation, from one date to another."""

    class Kind(models.TextChoices):
        SECRETARY = "secretary", _("secretary")
        DEPUTY = "deputy", _("deputy secretary")
        CELL_COMMITTEE = "cell_committee", _("cell committee member")
        COMMITTEE = "committee", _("committee member")
        STANDING = "standing", _("standing committee member")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="positions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="positions"
    )
    kind = models.CharField(_("position"), max_length=20, choices=Kind.choices)
    started_on = models.DateField(_("from"), validators=[validate_past_date])
    ended_on = models.DateField(_("until"), null=True, blank=True, validators=[validate_past_date])

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["kind", "started_on"]
        indexes = [
            models.Index(fields=["member", "ended_on"], name="position_member"),
            models.Index(fields=["organisation", "kind"], name="position_org_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="position_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member} ({self.organisation})"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        seats_changed()

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        seats_changed()
        return deleted


# The offices that lead a cell.
LEADS_CELL = {Position.Kind.SECRETARY, Position.Kind.DEPUTY}
# A cell's committee: its leaders and the members elected to it. Only they prepare a meeting.
CELL_COMMITTEE = {*LEADS_CELL, Position.Kind.CELL_COMMITTEE}
# A committee's standing committee: its secretary and deputies belong to it.
STANDING = {Position.Kind.STANDING, Position.Kind.SECRETARY, Position.Kind.DEPUTY}
