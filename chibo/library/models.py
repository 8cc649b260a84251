"""The library: documents of the Party and State that members read on their phones, their
bookmarks and private notes; and the study of a document that a committee launches for its
subtree, with each member's learning note and personal action plan.

A document is for everyone (`audience` empty: only administrators add those) or internal to a
committee's subtree. Its text is extracted in the background (`tasks.extract`) and kept in
`text`, for reading and for the search built over it.
"""

import re
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.lib.bounds import validate_date
from chibo.lib.text import validate_multiline_text, validate_plain_text
from chibo.meetings.models import Meeting
from chibo.orgs.models import Member, Organisation

SUMMARY_MAX = 2000
NOTE_MAX = 5000
MATERIALS_MAX = 3000

# Official numbers as printed. Party documents: number, kind, issuer ("57-NQ/TW",
# "42-HD/BTCTW", "15-QĐi/TW", "05-CT/ĐU"). State documents: number, optional year, kind and
# issuer ("13/2023/NĐ-CP", "123/QĐ-TTg", "56/2024/QH15").
UPPER = "A-ZĐ"
PARTY_NUMBER = rf"\d{{1,5}}-[{UPPER}][{UPPER}a-zđ]{{0,5}}(?:/[{UPPER}][{UPPER}0-9]{{0,11}})+"
STATE_NUMBER = rf"\d{{1,5}}(?:/\d{{4}})?/[{UPPER}][{UPPER}a-zđ0-9]*(?:-[{UPPER}][{UPPER}a-zđ0-9]*)*"
OFFICIAL_NUMBER = re.compile(rf"(?:{PARTY_NUMBER}|{STATE_NUMBER})")


def validate_official_number(value: str) -> None:
    """The number exactly as the document prints it, without "Số" before it."""
    if not OFFICIAL_NUMBER.fullmatch(value):
        raise ValidationError(
            _(
                "“%(number)s” is not written as an official number: write it as the document "
                "prints it, such as 57-NQ/TW, 42-HD/BTCTW or 13/2023/NĐ-CP."
            ),
            code="number",
            params={"number": value[:60]},
        )


class DocumentQuerySet(models.QuerySet):
    def for_everyone(self) -> "DocumentQuerySet":
        return self.filter(audience__isnull=True)

    def of_year(self, year: int) -> "DocumentQuerySet":
        # A range rather than __year, so the index on the date serves it.
        return self.filter(issued_on__gte=f"{year}-01-01", issued_on__lte=f"{year}-12-31")


class Document(models.Model):
    """A document of the Party or the State (văn bản), with its file and extracted text."""

    class Type(models.TextChoices):
        RESOLUTION = "resolution", _("resolution")
        DIRECTIVE = "directive", _("directive")
        CONCLUSION = "conclusion", _("conclusion")
        REGULATION = "regulation", _("regulation")
        GUIDANCE = "guidance", _("guidance")
        OTHER = "other", _("other document")

    class Language(models.TextChoices):
        VI = "vi", "Tiếng Việt"
        KM = "km", "ភាសាខ្មែរ"
        EN = "en", "English"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.CharField(
        _("issued by"),
        max_length=200,
        validators=[validate_plain_text],
        help_text=_("As printed, e.g. Ban Chấp hành Trung ương."),
    )
    number = models.CharField(
        _("number"),
        max_length=40,
        validators=[validate_official_number],
        help_text=_("As printed, e.g. 57-NQ/TW."),
    )
    issued_on = models.DateField(_("date"), validators=[validate_date])
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    title = models.CharField(_("title"), max_length=300, validators=[validate_plain_text])
    summary = models.TextField(
        _("summary"), blank=True, max_length=SUMMARY_MAX, validators=[validate_multiline_text]
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.VI
    )
    # Null: every member reads it. Otherwise only the committee's subtree (and those above).
    audience = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="library_documents",
        limit_choices_to={"kind": Organisation.Kind.COMMITTEE},
        verbose_name=_("who may read it"),
    )
    file = models.FileField(_("file"), upload_to="library/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # What the search indexes and phones read; empty until extracted.
    text = models.TextField(blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    # Encrypted or image-only: the file is kept, but it gives no text.
    no_text = models.BooleanField(_("no text"), default=False)
    amends = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="amended_by",
        verbose_name=_("amends"),
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    added_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "-pk"]
        permissions = [
            ("publish_documents", _("Can add documents to the library for a committee's subtree"))
        ]
        indexes = [
            models.Index(fields=["-issued_on", "-id"], name="library_doc_issued"),
            models.Index(fields=["type", "-issued_on"], name="library_doc_type"),
            models.Index(fields=["issuer", "-issued_on"], name="library_doc_issuer"),
            models.Index(fields=["audience", "-issued_on"], name="library_doc_audience"),
            models.Index(fields=["number"], name="library_doc_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.title}"

    @property
    def extracting(self) -> bool:
        return bool(self.file) and self.extracted_at is None

    def clean(self) -> None:
        for name in ("amends", "replaces"):
            other = getattr(self, f"{name}_id")
            if other is not None and other == self.pk:
                raise ValidationError({name: _("A document cannot refer to itself.")})


class Bookmark(models.Model):
    """A document a member keeps at hand; only they see it."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="bookmarks")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "document"], name="one_bookmark_each")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.document}"


class Note(models.Model):
    """A member's private note on a document; only they see it."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="library_notes")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("my note"), max_length=NOTE_MAX, validators=[validate_multiline_text])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "document"], name="one_note_each")]

    def __str__(self) -> str:
        return f"{self.member} · {self.document}"


# -- the study of a document (học tập, quán triệt nghị quyết) ------------------------------------


class StudyCampaignQuerySet(models.QuerySet):
    def addressing(self, cell: Organisation) -> "StudyCampaignQuerySet":
        """Studies whose audience holds `cell`: of a committee above it, kept to no part or
        to a part holding it."""
        above = cell.ancestor_paths()
        return self.filter(
            Q(parts__isnull=True) | Q(parts__path__in=[*above, cell.path]),
            committee__path__in=above,
        ).distinct()


class StudyCampaign(models.Model):
    """A committee asks the members of its subtree, or of some organisations in it, to study a
    document by a deadline, and each to write a learning note and a personal action plan."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="study_campaigns",
        limit_choices_to={"kind": Organisation.Kind.COMMITTEE},
        verbose_name=_("party committee"),
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        related_name="study_campaigns",
        verbose_name=_("document"),
    )
    parts = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name=_("only these organisations below"),
        help_text=_("None chosen: the whole subtree."),
    )
    deadline = models.DateField(_("deadline"), validators=[validate_date])
    materials = models.TextField(
        _("materials"),
        blank=True,
        max_length=MATERIALS_MAX,
        validators=[validate_multiline_text],
        help_text=_("What to read and watch: text, and web addresses one per line."),
    )
    launched_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StudyCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("resolution study")
        verbose_name_plural = _("resolution studies")
        ordering = ["-deadline", "-pk"]
        indexes = [
            models.Index(fields=["committee", "-deadline"], name="study_committee_deadline"),
            models.Index(fields=["deadline"], name="study_deadline"),
        ]

    def __str__(self) -> str:
        return str(self.document)

    def cells(self) -> models.QuerySet[Organisation]:
        """The cells it addresses (the parts prefetched or read in one query)."""
        cells = Organisation.objects.cells().within(self.committee)
        paths = [part.path for part in self.parts.all()]
        if paths:
            where = Q(pk__in=[])
            for path in paths:
                where |= Q(path__startswith=path)
            cells = cells.filter(where)
        return cells

    def addresses(self, cell: Organisation) -> bool:
        """Whether `cell` studies it, from the prefetched parts without a query."""
        if not cell.path.startswith(self.committee.path):
            return False
        parts = self.parts.all()
        return not parts or any(cell.path.startswith(part.path) for part in parts)


class LearningNoteQuerySet(models.QuerySet):
    def awaiting_revision(self) -> "LearningNoteQuerySet":
        return self.filter(status=LearningNote.Status.RETURNED)


class LearningNote(models.Model):
    """One member's study of a campaign's document: that they studied it, their learning note
    (bài thu hoạch) and their personal action plan, which their cell's secretary reads and may
    return for improvement."""

    class Status(models.TextChoices):
        STUDIED = "studied", _("studied, note not yet written")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for improvement")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(StudyCampaign, on_delete=models.CASCADE, related_name="notes")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="learning_notes")
    # The member's cell when they studied: completion is counted by it.
    cell = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.STUDIED
    )
    studied_at = models.DateTimeField()
    # The meeting in which the cell studied it, when the member was present at it.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(
        _("learning note"), blank=True, max_length=NOTE_MAX, validators=[validate_multiline_text]
    )
    action_plan = models.TextField(
        _("personal action plan"),
        blank=True,
        max_length=NOTE_MAX,
        validators=[validate_multiline_text],
    )
    # The first submission: completion by the deadline is judged by it.
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    comment = models.CharField(
        _("what to improve"), max_length=500, blank=True, validators=[validate_plain_text]
    )
    returned_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)

    objects = LearningNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning note")
        verbose_name_plural = _("learning notes")
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="one_learning_note_each")
        ]
        indexes = [models.Index(fields=["campaign", "cell"], name="learning_note_cell")]

    def __str__(self) -> str:
        return f"{self.member} · {self.campaign}"

    @property
    def submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class StudySession(models.Model):
    """A cell held the study in one of its meetings: the members present at it are recorded as
    having studied the document (each still writes their own note)."""

    campaign = models.ForeignKey(StudyCampaign, on_delete=models.CASCADE, related_name="sessions")
    cell = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "cell"], name="one_study_session_per_cell")
        ]

    def __str__(self) -> str:
        return f"{self.cell} · {self.campaign}"


# -- the search index (decision record 19) -----------------------------------------------------


class SearchEntry(models.Model):
    """One record as the search finds it: its words (folded by `chibo.lib.search.index_text`),
    what a result shows, and where it belongs. The words are indexed by the database's own
    full-text index (an FTS5 table on SQLite, tsvector columns on PostgreSQL), made by the
    migration; who may see an entry is `Scope.search_entries()`, by the record's own rules."""

    KINDS = ("document", "meeting", "comment", "task", "member", "voice", "guidance")

    kind = models.CharField(max_length=10)
    object_id = models.BigIntegerField()
    # The cell or committee it belongs to (none for a national document), and its path.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    path = models.CharField(max_length=255, blank=True)
    on = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=500)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=200)
    # An official number whole and folded ("57nqtw"): typed whole, it ranks first.
    number = models.CharField(max_length=60, blank=True)
    # A member's party card number, found only by those who may see it (`Scope.card_entries`).
    card = models.CharField(max_length=20, blank=True)
    # What `Scope.search_entries` asks besides the organisation, each kind as its own list
    # does: announced to the cell (a meeting and its comments) or issued (guidance); the member
    # whose it is (who prepares the meeting, owns the task, raised the voice) and a second one
    # (who recorded the voice).
    shown = models.BooleanField(default=True)
    person_id = models.BigIntegerField(null=True, blank=True)
    second_person_id = models.BigIntegerField(null=True, blank=True)
    title_words = models.TextField(blank=True)
    body_words = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_entry_each")
        ]
        indexes = [
            models.Index(fields=["path"], name="search_entry_path"),
            models.Index(fields=["number"], name="search_entry_number"),
            models.Index(fields=["card"], name="search_entry_card"),
            models.Index(fields=["person_id"], name="search_entry_person"),
            models.Index(fields=["second_person_id"], name="search_entry_second_person"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} · {self.title[:60]}"


class SearchQueue(models.Model):
    """Records changed since they were indexed, written by database triggers on the indexed
    tables (so bulk updates and the admin site are caught too) and read by `index.drain`."""

    kind = models.CharField(max_length=10)
    object_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
