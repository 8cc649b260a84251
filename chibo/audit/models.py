"""The audit log: who did what to which record, appended and never changed.

Each entry is chained to the one before by an HMAC under a key kept outside the database
(`keys`), so an entry changed, removed or moved shows in `chibo audit verify`, and nobody who
can only write the database can seal a forged one.
"""

import json
from datetime import UTC

from django.db import models
from django.utils.translation import gettext_lazy as _

from chibo.orgs.models import Organisation, User


class Action(models.TextChoices):
    SIGNED_IN = "signed_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("failed to sign in")
    SIGNED_OUT = "signed_out", _("signed out")
    MEMBER_VIEWED = "member_viewed", _("viewed a member's personal data")
    MEMBER_CHANGED = "member_changed", _("changed a member's record")
    PDF_DOWNLOADED = "pdf_downloaded", _("downloaded a PDF")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("downloaded a document")
    REPORT_EXPORTED = "report_exported", _("exported a report")
    MEMBERS_EXPORTED = "members_exported", _("exported the member list")
    ROLL_CHANGED = "roll_changed", _("changed the roll")
    VOTE_RECORDED = "vote_recorded", _("recorded a vote")
    SCORE_CHANGED = "score_changed", _("scored a meeting")
    MINUTES_CHANGED = "minutes_changed", _("wrote or corrected the minutes")
    MINUTES_APPROVED = "minutes_approved", _("approved the minutes")
    RESOLUTION_CHANGED = "resolution_changed", _("wrote or corrected a resolution")
    RESOLUTION_ADOPTED = "resolution_adopted", _("adopted a resolution")
    RECORDS_PUBLISHED = "records_published", _("published the records")
    MEETING_DELETED = "meeting_deleted", _("deleted a draft meeting")
    ROUND_OPENED = "round_opened", _("opened an evaluation round")
    EVALUATION_STEP = "evaluation_step", _("took a step of an evaluation")
    SETTINGS_CHANGED = "settings_changed", _("changed an organisation's settings")


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("The audit log is append-only.")

    def delete(self):
        raise ValueError("The audit log is append-only.")


class Entry(models.Model):
    """One thing done, by whom, on what, from where; `number` is its place in the chain."""

    number = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(_("when"))
    # Kept as they were: the log outlives accounts and organisations, so no constraint ties it.
    user = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # The name they had, or typed when a sign-in failed.
    username = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    # The organisation the record belongs to: the committees above it read the entry.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("party organisation"),
    )
    kind = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict)
    # The request's address as the server saw it (REMOTE_ADDR), kept as text exactly so.
    address = models.CharField(_("address"), max_length=45, blank=True)
    mac = models.CharField(max_length=64)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-number"]
        indexes = [
            models.Index(fields=["organisation", "number"], name="entry_organisation"),
            models.Index(fields=["kind", "object_id"], name="entry_object"),
            models.Index(fields=["action", "number"], name="entry_action"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The audit log is append-only.")


# The fields an entry's seal covers, in order (with the seal of the entry before it).
SEALED = (
    "number",
    "at",
    "user_id",
    "username",
    "action",
    "organisation_id",
    "kind",
    "object_id",
    "detail",
    "address",
)


def message(previous: str, row: tuple) -> str:
    """What an entry's HMAC is computed over: the previous seal and the entry's `SEALED`
    values, each written one way only (times in UTC, the detail as sorted compact JSON)."""
    number, at, user_id, username, action, organisation_id, kind, object_id, detail, address = row
    parts = [
        previous,
        str(number),
        at.astimezone(UTC).isoformat(),
        str(user_id or ""),
        username,
        action,
        str(organisation_id or ""),
        kind,
        object_id,
        json.dumps(detail, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
        address,
    ]
    return "\x1f".join(parts)
