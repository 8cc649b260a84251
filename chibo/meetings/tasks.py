"""Background work of meetings: telling a whole cell about a notice without making anyone wait."""

from django.db.models import Max
from django_tasks import task

from chibo.meetings.models import Meeting, Notice
from chibo.meetings.publishing import recipients
from chibo.notify.mail import outbox_each, send
from chibo.notify.models import Notification
from chibo.orgs.models import User


@task()
def send_notice(meeting_id: int, version: int) -> int:
    """Notify the recipients of one version of a notice, in the app and by e-mail.

    Safe to run twice: whoever already heard of this version is skipped. Returns the number of
    mails sent.
    """
    notice = (
        Notice.objects.select_related("meeting__cell")
        .filter(meeting_id=meeting_id, version=version)
        .first()
    )
    if notice is None or notice.meeting.status != Meeting.Status.PUBLISHED:
        return 0  # deleted, cancelled or already held: the news is stale
    if notice.meeting.notices.filter(version__gt=version).exists():
        return 0  # the newer version's task tells everyone
    created = Notification.objects.bulk_create(_notifications(notice))
    # Those who chose a daily digest get these with it (`chibo remind --digest`).
    immediate = [n for n in created if n.recipient.mail == User.Mail.IMMEDIATE]
    return send(outbox_each([n for n in immediate if n.recipient.email]))


def _notifications(notice: Notice) -> list[Notification]:
    """PUBLISHED for whoever never heard of the meeting (newcomers included), CHANGED for the
    others, nothing for those already told of this version."""
    meeting = notice.meeting
    last_told = dict(
        Notification.objects.filter(
            meeting=meeting, kind__in=[Notification.Kind.PUBLISHED, Notification.Kind.CHANGED]
        )
        .order_by()
        .values("recipient_id")
        .annotate(last=Max("created_at"))
        .values_list("recipient_id", "last")
    )
    users = recipients(meeting).only("pk", "email", "language", "mail", "channels")
    notifications = []
    for user in users:
        told = last_told.get(user.pk)
        if told is not None and told >= notice.published_at:
            continue
        kind = Notification.Kind.CHANGED if told else Notification.Kind.PUBLISHED
        notifications.append(Notification(recipient=user, meeting=meeting, kind=kind))
    return notifications
