"""What reaches people: in-app notifications, their e-mail, and private calendar feeds."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from chibo.guidance.models import Guidance
from chibo.library.models import StudyCampaign
from chibo.meetings.models import Meeting
from chibo.orgs.models import Organisation, User
from chibo.quality.models import Evaluation
from chibo.voices.models import Voice


class NotificationQuerySet(models.QuerySet):
    # The rarer subjects, each loaded in a query of its own (`with_subjects`).
    SUBJECTS = ("evaluation", "guidance", "study", "voice")

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def unmailed(self) -> "NotificationQuerySet":
        return self.filter(mailed_at__isnull=True)

    def unpushed(self) -> "NotificationQuerySet":
        return self.filter(pushed_at__isnull=True)

    def with_subjects(self) -> "NotificationQuerySet":
        """With the meeting, evaluation, guidance or voice each is about, as their words need.
        Joined into one query, the twelve tables took PostgreSQL ten times longer to plan than
        to run: the rarer subjects come in a query of their own, only when the page holds some."""
        evaluations = Evaluation.objects.select_related("round", "member", "organisation")
        return self.select_related("meeting__cell").prefetch_related(
            models.Prefetch("evaluation", queryset=evaluations),
            models.Prefetch("guidance", queryset=Guidance.objects.select_related("committee")),
            models.Prefetch("study", queryset=StudyCampaign.objects.select_related("document")),
            # Every voice, those still waiting for review too: their handlers are told of them.
            models.Prefetch("voice", queryset=Voice.everything.select_related("holder", "cell")),
        )

    def _prefetch_related_objects(self) -> None:
        # Only the subjects some notification listed has: making the query of one that none
        # has costs a millisecond, on every page that shows notifications (home among them).
        listed = self._result_cache

        def wanted(lookup) -> bool:
            to = getattr(lookup, "prefetch_to", lookup)
            return to not in self.SUBJECTS or any(getattr(n, f"{to}_id") for n in listed)

        lookups = filter(wanted, self._prefetch_related_lookups)
        models.prefetch_related_objects(listed, *lookups)
        self._prefetch_done = True


class Notification(models.Model):
    """One thing one person should know about. Its words are rendered in their language when
    shown or mailed, so nothing is stored in a language they may not read."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("meeting published")
        CHANGED = "changed", _("meeting changed")
        REMINDER = "reminder", _("meeting tomorrow")
        NOTICE_DUE = "notice_due", _("notice due")
        MINUTES_DUE = "minutes_due", _("minutes due")
        RECORDS = "records", _("minutes and resolution published")
        # Rule 17: each step of an evaluation tells whoever takes the next one.
        EVALUATION_DUE = "evaluation_due", _("self-assessment due")
        EVALUATION_COMMENT = "evaluation_comment", _("self-assessment to comment on")
        EVALUATION_APPRAISE = "evaluation_appraise", _("evaluation to appraise")
        EVALUATION_DECIDE = "evaluation_decide", _("evaluation to decide")
        EVALUATION_DECIDED = "evaluation_decided", _("evaluation decided")
        # Guidance from the committees above, and corrections to points a cell adopted.
        GUIDANCE = "guidance", _("guidance published")
        GUIDANCE_CHANGED = "guidance_changed", _("guidance corrected")
        # The deadline of a resolution study is near and the member's note is not sent.
        STUDY_DUE = "study_due", _("resolution study due")
        # Voices (rule 15): news for whoever raised or recorded one; overdue ones for handlers.
        VOICE = "voice", _("news of a voice")
        VOICE_OVERDUE = "voice_overdue", _("voice overdue")
        # A citizen left a voice at a cell's public door: its handlers review it.
        VOICE_REVIEW = "voice_review", _("voice waiting for review")

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    evaluation = models.ForeignKey(
        "quality.Evaluation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    guidance = models.ForeignKey(
        "guidance.Guidance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    study = models.ForeignKey(
        "library.StudyCampaign",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    voice = models.ForeignKey(
        "voices.Voice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    # When it was handed to the push services of the recipient's devices (or found to have none).
    pushed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["mailed_at", "recipient"], name="notification_unmailed"),
            models.Index(fields=["pushed_at", "recipient"], name="notification_unpushed"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.get_kind_display()}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A private iCalendar address: a person's meetings, or one cell's.

    The token is the only secret in the URL, so it can be pasted into a calendar app; a new
    token replaces a leaked one.
    """

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_feeds")
    cell = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(fields=["owner", "cell"], name="one_feed_per_owner_and_cell"),
            # NULLs are distinct in a unique index, so the personal feed needs its own rule.
            models.UniqueConstraint(
                fields=["owner"], condition=models.Q(cell__isnull=True), name="one_personal_feed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} · {self.cell or '—'}"


class PushSubscription(models.Model):
    """One browser or phone where a person turned on notifications (Web Push, RFC 8030).

    The endpoint is the address of the browser maker's push service for that device; the keys
    encrypt each message so that only the device can read it (RFC 8291). A subscription the
    push service says is gone (404 or 410) is deleted.
    """

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success = models.DateTimeField(null=True, blank=True)
    # Failures in a row other than "gone"; the count starts again at the next success.
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.owner} · {self.endpoint[:40]}"

    def info(self) -> dict:
        """As the browser gave it and pywebpush takes it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
