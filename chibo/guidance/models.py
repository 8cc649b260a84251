"""Guidance from the committees above: what cells should take up in a month or a quarter, and
what each cell did with it (DOMAIN.md rules 2, 4, 6 and 7).

A committee writes its guidance as points and publishes it to its subtree, or to part of it; a
committee below may pass it on with points of its own. A cell sees, for a month, the points of
every guidance addressed to it from the committees above, each with the committee it came from
(`addressed`). Published guidance never changes in place: a correction is a new version with the
same lineage, and its points keep the lineage of the points they correct, so an adoption made
before the correction is still found, and its cell told.
"""

import uuid
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Substr
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from chibo.lib.bounds import validate_date
from chibo.lib.months import months, quarter_start, shift
from chibo.lib.text import validate_multiline_text, validate_plain_text
from chibo.meetings.models import AgendaItem, Meeting
from chibo.orgs.models import Level, Member, Organisation

# The longest text of a point: a paragraph a secretary reads on a phone, not a document.
POINT_BODY_MAX = 2000
LINKS_MAX = 5


def validate_links(value: str) -> None:
    """One address per line, each http(s), at most LINKS_MAX."""
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if len(lines) > LINKS_MAX:
        raise ValidationError(
            _("Give at most %(max)d links."), code="too_many_links", params={"max": LINKS_MAX}
        )
    check = URLValidator(schemes=["http", "https"])
    for line in lines:
        try:
            check(line)
        except ValidationError:
            raise ValidationError(
                _("“%(link)s” is not a web address (https://…)."),
                code="bad_link",
                params={"link": line[:80]},
            ) from None


class GuidanceQuerySet(models.QuerySet):
    def published(self) -> "GuidanceQuerySet":
        """The versions in force: published and not since corrected."""
        return self.filter(status=Guidance.Status.PUBLISHED)

    def covering(self, month: date) -> "GuidanceQuerySet":
        """Guidance whose period holds `month`: that month's, or its quarter's."""
        return self.filter(
            Q(period=Guidance.Period.MONTH, month=month)
            | Q(period=Guidance.Period.QUARTER, month=quarter_start(month))
        )

    def from_above(self, org: Organisation) -> "GuidanceQuerySet":
        """Guidance of the committees above `org` (and of `org` itself), top first."""
        return self.filter(committee__path__in=[*org.ancestor_paths(), org.path]).order_by(
            "committee__depth", "published_at", "pk"
        )


class Guidance(models.Model):
    """What one committee asks of the cells below it for a month or a quarter."""

    class Period(models.TextChoices):
        MONTH = "month", _("a month")
        QUARTER = "quarter", _("a quarter")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CORRECTED = "corrected", _("corrected by a later version")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="guidance",
        limit_choices_to={"kind": Organisation.Kind.COMMITTEE},
        verbose_name=_("party committee"),
    )
    period = models.CharField(_("for"), max_length=10, choices=Period.choices, default=Period.MONTH)
    month = models.DateField(
        _("month"), help_text=_("The first month it is for."), validators=[validate_date]
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    passes_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="passed_on",
        verbose_name=_("passes on the guidance of"),
    )
    # Every version of one guidance shares its lineage; only one is published at a time.
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)
    version = models.PositiveSmallIntegerField(default=1, editable=False)
    correction = models.CharField(
        _("what the correction changes"),
        max_length=300,
        blank=True,
        validators=[validate_plain_text],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Whom it addresses, within the committee's subtree: every cell when all three are empty.
    categories = models.JSONField(
        _("kinds of cell"), default=list, blank=True, help_text=_("None chosen: every kind.")
    )
    levels = models.ManyToManyField(
        Level,
        blank=True,
        related_name="+",
        verbose_name=_("cells under committees of these levels"),
    )
    parts = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name=_("only these organisations directly below"),
    )
    written_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GuidanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("guidance")
        verbose_name_plural = _("guidance")
        ordering = ["-month", "-pk"]
        permissions = [("issue_guidance", _("Can write and publish the guidance of a committee"))]
        indexes = [
            models.Index(fields=["committee", "month"], name="guidance_committee_month"),
            models.Index(fields=["status", "month"], name="guidance_status_month"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["lineage", "version"], name="one_guidance_version_each"
            ),
            models.UniqueConstraint(
                fields=["lineage"],
                condition=Q(status="published"),
                name="one_guidance_version_in_force",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def months(self) -> list[date]:
        """The months it is for."""
        if self.period == self.Period.QUARTER:
            return months(self.month, shift(self.month, 2))
        return [self.month]

    @property
    def due_month(self) -> date:
        """The month by whose end its points should have been taken up: the period's last."""
        return self.months[-1]

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def clean(self) -> None:
        # A month refused by the form is None here.
        month = self.month
        if self.period == self.Period.QUARTER and month and month != quarter_start(month):
            raise ValidationError(
                {"month": _("Guidance for a quarter starts with the quarter's first month.")}
            )

    def audience(self) -> models.QuerySet[Organisation]:
        """The cells it addresses."""
        cells = Organisation.objects.cells().within(self.committee)
        if self.categories:
            cells = cells.filter(category__in=self.categories)
        parts = [part.path for part in self.parts.all()]
        if parts:
            where = Q(pk__in=[])
            for path in parts:
                where |= Q(path__startswith=path)
            cells = cells.filter(where)
        level_ids = [level.pk for level in self.levels.all()]
        if level_ids:
            parents = (
                Organisation.objects.committees()
                .within(self.committee)
                .filter(level_id__in=level_ids)
                .values("path")
            )
            steplen = Organisation.steplen
            cells = cells.annotate(parent_path=Substr("path", 1, Length("path") - steplen)).filter(
                parent_path__in=parents
            )
        return cells

    def addresses(self, cell: Organisation, parent_level_id: int) -> bool:
        """Whether `cell` (whose parent is of `parent_level_id`) is in the audience, read from
        the prefetched `levels` and `parts` without a query."""
        if not cell.path.startswith(self.committee.path):
            return False
        if self.categories and cell.category not in self.categories:
            return False
        parts = self.parts.all()
        if parts and not any(cell.path.startswith(part.path) for part in parts):
            return False
        levels = self.levels.all()
        return not levels or any(level.pk == parent_level_id for level in levels)


class Point(models.Model):
    """One thing a guidance asks: a document to study, a task, a topic, a campaign, a theme."""

    class Kind(models.TextChoices):
        STUDY = "study", _("study a document")
        TASK = "task", _("political task")
        TOPIC = "topic", _("topic of the month")
        CAMPAIGN = "campaign", _("campaign")
        THEME = "theme", _("thematic suggestion")

    guidance = models.ForeignKey(Guidance, on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    required = models.BooleanField(
        _("required"), default=False, help_text=_("Cells that leave it out say why.")
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    body = models.TextField(
        _("what to do"),
        blank=True,
        max_length=POINT_BODY_MAX,
        validators=[validate_multiline_text],
    )
    links = models.TextField(
        _("links to documents"),
        blank=True,
        max_length=2000,
        help_text=_("One web address per line."),
        validators=[validate_links],
    )
    # Kept by the point's corrections in later versions of the guidance.
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("point of guidance")
        verbose_name_plural = _("points of guidance")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["guidance", "position"], name="one_point_per_place"),
            models.UniqueConstraint(fields=["guidance", "lineage"], name="one_point_per_lineage"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    def says_the_same(self, other: "Point") -> bool:
        return (self.kind, self.required, self.title, self.body, self.links) == (
            other.kind,
            other.required,
            other.title,
            other.body,
            other.links,
        )


class AdoptionQuerySet(models.QuerySet):
    def on_agenda(self) -> "AdoptionQuerySet":
        return self.filter(item__isnull=False)

    def left_out(self) -> "AdoptionQuerySet":
        return self.filter(item__isnull=True)


class Adoption(models.Model):
    """What a cell decided about one point: put on a meeting's agenda, or left out with a
    reason. A point never decided on has no row."""

    cell = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="adoptions")
    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="adoptions")
    # The point's lineage, so one decision holds across the guidance's corrections.
    lineage = models.UUIDField(editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="adoptions")
    # Removing the item from the agenda takes the adoption with it: the point is open again.
    item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="adoption"
    )
    reason = models.CharField(
        _("why the cell leaves it out"),
        max_length=300,
        blank=True,
        validators=[validate_plain_text],
    )
    decided_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("adoption of guidance")
        verbose_name_plural = _("adoptions of guidance")
        constraints = [
            models.UniqueConstraint(fields=["cell", "lineage"], name="one_decision_per_point"),
            models.CheckConstraint(
                condition=Q(item__isnull=False) | ~Q(reason=""), name="left_out_with_reason"
            ),
        ]
        indexes = [models.Index(fields=["lineage", "cell"], name="adoption_lineage_cell")]

    def __str__(self) -> str:
        return f"{self.cell} · {self.point}"


def period_label(guidance: Guidance) -> str:
    """ "May 2027", or "the 2nd quarter of 2027", in the active language."""
    if guidance.period == Guidance.Period.QUARTER:
        return quarter_label(guidance.month)
    return formats.date_format(guidance.month, "YEAR_MONTH_FORMAT")


def quarter_label(month: date) -> str:
    """ "the 2nd quarter of 2027", in the active language."""
    return _("quarter %(quarter)d of %(year)d") % {
        "quarter": (month.month - 1) // 3 + 1,
        "year": month.year,
    }


def parent_levels(cells: Iterable[Organisation]) -> dict[str, int]:
    """The level of each cell's parent, by the parent's path, in one query."""
    paths = {cell.path[: -Organisation.steplen] for cell in cells}
    return dict(Organisation.objects.filter(path__in=paths).values_list("path", "level_id"))


# -- the thematic topic bank (issue 11, item 4) ----------------------------------------------

TOPIC_DESCRIPTION_MAX = 2000


class TopicQuerySet(models.QuerySet):
    def offered_to(self, org: Organisation) -> "TopicQuerySet":
        """Topics `org` may take up: those of the committees above it, and its own."""
        return self.filter(organisation__path__in=[*org.ancestor_paths(), org.path])

    def proposed_below(self, org: Organisation) -> "TopicQuerySet":
        """What the organisations below `org` proposed for themselves."""
        return self.filter(organisation__path__startswith=org.path).exclude(organisation=org)


class Topic(models.Model):
    """A subject for a quarter's thematic meeting (rule 2): a committee proposes it to its
    subtree, or a cell proposes a practical local issue of its own, which the committees above
    it see. It keeps the thematic meetings held on it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="topics",
        verbose_name=_("proposed by"),
    )
    quarter = models.DateField(
        _("quarter"), help_text=_("The quarter's first month."), validators=[validate_date]
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=TOPIC_DESCRIPTION_MAX,
        validators=[validate_multiline_text],
    )
    proposed_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    meetings = models.ManyToManyField(
        Meeting, blank=True, related_name="topics", verbose_name=_("thematic meetings held on it")
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("thematic topic")
        verbose_name_plural = _("thematic topics")
        ordering = ["-quarter", "organisation__depth", "pk"]
        indexes = [models.Index(fields=["organisation", "quarter"], name="topic_org_quarter")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.quarter and self.quarter != quarter_start(self.quarter).replace(day=1):
            raise ValidationError(
                {
                    "quarter": _(
                        "Choose the first month of a quarter: January, April, July or October."
                    )
                }
            )

    def offered_to(self, org: Organisation) -> bool:
        """Whether `org` may take it up: it is the proposer or below it."""
        return org.path.startswith(self.organisation.path)


class Example(models.Model):
    """A held meeting that a committee above its cell chose to show to the other cells under
    it: its agenda, minutes and resolution, without the cell's personal data."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="example")
    committee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.COMMITTEE},
        verbose_name=_("chosen by"),
    )
    marked_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("example meeting")
        verbose_name_plural = _("example meetings")
        ordering = ["-marked_at", "pk"]

    def __str__(self) -> str:
        return str(self.meeting)
