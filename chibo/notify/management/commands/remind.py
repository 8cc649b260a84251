"""`chibo remind`: reminders before meetings and study deadlines, then the e-mail of notifications.

Run it every hour (cron or a systemd timer), and once a day with --digest. Every run is safe to
repeat: a reminder is made once per person and meeting, and a notification is mailed once.
"""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from chibo.library.models import LearningNote, StudyCampaign
from chibo.library.studying import addressed_members
from chibo.meetings.models import Meeting
from chibo.notify.mail import MAIL_CHANNELS, Outgoing, outbox_digests, outbox_each, send
from chibo.notify.models import Notification
from chibo.notify.push import push_pending
from chibo.orgs.models import Member, Position, User
from chibo.voices.handling import flag_overdue

DAY = timedelta(days=1)
# Older notifications stay in the app only: a mail about last week's meeting helps nobody, and
# someone who adds an e-mail address should not receive months of them at once.
MAIL_WITHIN = timedelta(days=2)
# Minutes forgotten for longer than this are for the supervisor to raise, not for a reminder.
RECENT = timedelta(days=14)
# Members who have not sent their learning note hear of a study this long before its deadline.
STUDY_NOTICE = timedelta(days=3)
# Below this many items a progress bar is only noise.
BAR_FROM = 100


class Command(BaseCommand):
    help = (
        "Remind members of tomorrow's meetings and secretaries of notices and minutes due, then "
        "e-mail notifications. Run every hour; once a day with --digest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--digest",
            action="store_true",
            help="Also send one digest to each person who chose a daily e-mail.",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the messages (default: the line's, from the locale).",
        )

    def handle(self, *args, digest: bool, language: str | None, **options) -> None:
        now = timezone.now()
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        with translation.override(language):
            tomorrow = list(meetings_tomorrow(now))
            reminders = sum(
                notify_once(meeting, unanswered(meeting), Notification.Kind.REMINDER)
                for meeting in self._progress(tomorrow, len(tomorrow), _("meetings"))
            )
            due = sum(
                notify_once(meeting, preparers(meeting), Notification.Kind.NOTICE_DUE)
                for meeting in notices_due(now)
            )
            minutes = sum(
                notify_once(meeting, preparers(meeting), Notification.Kind.MINUTES_DUE)
                for meeting in minutes_due(now)
            )
            studies = remind_studies(timezone.localdate(now))
            # Voices past a due date: their holders and the committees above hear of it once.
            overdue = flag_overdue(now)
            each = unmailed(now, User.Mail.IMMEDIATE)
            mails = self._send(outbox_each(each), len(each))
            digests = 0
            if digest:
                daily = unmailed(now, User.Mail.DAILY)
                digests = self._send(outbox_digests(daily), len({n.recipient_id for n in daily}))
            pushed = push_pending(now)
            self.stdout.write(
                _(
                    "Reminders of coming meetings: %(reminders)d. Notices due: %(due)d. "
                    "Minutes due: %(minutes)d. E-mails: %(mails)d. Digests: %(digests)d."
                )
                % {
                    "reminders": reminders,
                    "due": due,
                    "minutes": minutes,
                    "mails": mails,
                    "digests": digests,
                }
            )
            self.stdout.write(_("Reminders of studies due: %(studies)d.") % {"studies": studies})
            if overdue:
                self.stdout.write(_("Voices newly overdue: %(n)d.") % {"n": overdue})
            if pushed.sent or pushed.failed:
                self.stdout.write(
                    _("Push notifications: %(sent)d sent, %(failed)d failed.")
                    % {"sent": pushed.sent, "failed": pushed.failed}
                )

    def _send(self, outbox: Iterator[Outgoing], total: int) -> int:
        return send(self._progress(outbox, total, _("e-mails")))

    def _progress(self, items: Iterable, total: int, unit: str) -> Iterator:
        if total < BAR_FROM:
            yield from items
            return
        # tqdm redraws its line with \r: Django's output wrapper must not end each write in \n.
        self.stderr.ending = ""
        try:
            with tqdm(total=total, unit=unit, file=self.stderr) as bar:
                for item in items:
                    yield item
                    bar.update()
        finally:
            self.stderr.ending = "\n"


def meetings_tomorrow(now: datetime) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        status=Meeting.Status.PUBLISHED, starts_at__gt=now, starts_at__lte=now + DAY
    )


def unanswered(meeting: Meeting) -> QuerySet[User]:
    """Summoned members who have not said whether they will attend."""
    members = (
        Member.objects.filter(cell_id=meeting.cell_id).summoned().exclude(answers__meeting=meeting)
    )
    return User.objects.filter(is_active=True, member__in=members)


def notices_due(now: datetime) -> QuerySet[Meeting]:
    """Drafts of meetings still to come whose notice is due within a day, or overdue."""
    lead = timedelta(days=settings.CHIBO_RULES["notice_lead_days"])
    return Meeting.objects.drafts_to_come(now).filter(starts_at__lte=now + DAY + lead)


def minutes_due(now: datetime) -> list[Meeting]:
    """Meetings of the last two weeks that have ended without approved minutes (rule 10)."""
    recent = Meeting.objects.awaiting_minutes(now).filter(starts_at__gte=now - RECENT)
    return [meeting for meeting in recent if meeting.ends_at <= now]


def preparers(meeting: Meeting) -> QuerySet[User]:
    """The cell's secretary and the member assigned to prepare the meeting."""
    secretaries = Position.objects.current().filter(
        organisation_id=meeting.cell_id, kind=Position.Kind.SECRETARY
    )
    people = Q(member__in=secretaries.values("member_id"))
    if meeting.preparer_id:
        people |= Q(member=meeting.preparer_id)
    return User.objects.filter(people, is_active=True)


def notify_once(meeting: Meeting, users: QuerySet[User], kind: str) -> int:
    """Notify those of `users` who have not had this kind of notification for the meeting."""
    had = Notification.objects.filter(recipient=OuterRef("pk"), meeting=meeting, kind=kind)
    fresh = users.filter(~Exists(had)).values_list("pk", flat=True)
    created = Notification.objects.bulk_create(
        Notification(recipient_id=pk, meeting=meeting, kind=kind) for pk in fresh
    )
    return len(created)


def remind_studies(today: date) -> int:
    """Remind the members addressed by a study due within STUDY_NOTICE who have not sent their
    note, once per study."""
    made = 0
    soon = StudyCampaign.objects.filter(deadline__gte=today, deadline__lte=today + STUDY_NOTICE)
    for study in soon.select_related("committee").prefetch_related("parts"):
        sent = LearningNote.objects.filter(campaign=study, first_submitted_at__isnull=False)
        waiting = addressed_members(study).exclude(pk__in=sent.values("member_id"))
        had = Notification.objects.filter(
            recipient=OuterRef("pk"), study=study, kind=Notification.Kind.STUDY_DUE
        )
        users = User.objects.filter(is_active=True, member__in=waiting).filter(~Exists(had))
        made += len(
            Notification.objects.bulk_create(
                Notification(recipient_id=pk, study=study, kind=Notification.Kind.STUDY_DUE)
                for pk in users.values_list("pk", flat=True)
            )
        )
    return made


def unmailed(now: datetime, mail: str) -> list[Notification]:
    """Recent notifications not yet mailed to those who chose `mail`, grouped by recipient."""
    return list(
        Notification.objects.unmailed()
        .filter(
            created_at__gte=now - MAIL_WITHIN,
            recipient__mail=mail,
            recipient__channels__in=MAIL_CHANNELS,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .with_subjects()
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
