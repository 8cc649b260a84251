"""`chibo remind` reminds the members who have not sent their learning note, days before the
deadline of a study, once; the notification speaks of the study and leads to it."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from chibo.library import studying
from chibo.library.tests.study_data import launched
from chibo.notify import wording
from chibo.notify.models import Notification

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))


def run() -> str:
    out = StringIO()
    call_command("remind", "--language", "en", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_members_without_a_note_are_reminded_once_before_the_deadline(world):
    due = launched(world.ward, date(2026, 12, 17), parts=(world.cell,))
    launched(world.ward, date(2027, 1, 31))  # far off: nobody reminded yet
    studying.submit(due, world.secretary.member, "Ghi chép", "Kế hoạch")
    assert "Reminders of studies due: 1." in run()
    (reminder,) = Notification.objects.filter(kind=Notification.Kind.STUDY_DUE)
    assert (reminder.recipient, reminder.study) == (world.member, due)
    assert "Reminders of studies due: 0." in run()
    with translation.override("en"):
        found = Notification.objects.with_subjects().get(pk=reminder.pk)
        assert wording.headline(found).startswith("Study 57-NQ/TW")
        assert "17 December 2026" in wording.headline(found) or "Dec" in wording.headline(found)
        assert wording.link(found) == reverse("library:study", args=[due.code])
        assert wording.subject(found).startswith("Resolution study due: 57-NQ/TW")
    # The member finds it among her notifications.
    page = world.client("member").get(reverse("notify:list"))
    assert reverse("library:study", args=[due.code]) in page.content.decode()
