"""A voice left at the public door waits for review: the cell's own handlers hear of it once,
in the app and by mail or in the day's digest as each chose, with a link to the review queue;
nobody else hears of it, nor of what the door refused."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from chibo.notify.models import Notification
from chibo.orgs.models import User
from chibo.voices import door
from chibo.voices.tests.test_door import SAID, citizen, leave, submitted
from chibo.voices.tests.voices_data import clock, scope

pytestmark = [clock, pytest.mark.usefixtures("english")]
REVIEW = Notification.Kind.VOICE_REVIEW


def told() -> list[tuple[str, int]]:
    return list(
        Notification.objects.filter(kind=REVIEW).values_list("recipient__username", "voice_id")
    )


def queue_url(world) -> str:
    return reverse("voices:door_queue", args=[world.cell.code])


def test_the_cells_handlers_hear_once_that_a_voice_waits(world):
    response = leave(citizen(), world.cell)
    assert response.status_code == 302
    (voice_id,) = door.Voice.everything.values_list("pk", flat=True)
    # The secretary sits on the cell's committee; the member, the supervisor and the city's
    # committee member (who may review it too) are not told of each voice.
    assert told() == [("son", voice_id)]
    page = world.client("secretary").get(reverse("notify:list")).content.decode()
    assert "A citizen left a voice at the public door of Chi bộ khu 1" in page
    assert queue_url(world) in page
    # Reviewing it tells nobody again.
    door.accept(door.Voice.everything.get(), scope(world.secretary))
    assert len(told()) == 1


def test_nothing_is_told_of_what_the_door_refused_or_a_robot_left(world):
    assert leave(citizen(), world.cell, text="").status_code == 200
    assert leave(citizen(), world.cell, homepage="http://spam.example").status_code == 302
    assert not Notification.objects.exists()


def test_another_cell_hears_nothing(world):
    submitted(world)
    assert not Notification.objects.filter(recipient=world.outsider).exists()
    assert not Notification.objects.exclude(recipient=world.secretary).exists()


def test_the_notice_goes_by_mail_or_in_the_digest_as_each_chose(world, mailbox):
    submitted(world)
    out = StringIO()
    call_command("remind", "--language", "en", stdout=out, stderr=StringIO())
    assert "E-mails: 1." in out.getvalue()
    (mail,) = mailbox.messages
    assert mail["To"] == "son@example.org"
    body = mail.get_payload(decode=True).decode()
    assert SAID[:40] in body and queue_url(world) in body
    # One who chose a daily digest reads it there, once.
    User.objects.filter(username="son").update(mail=User.Mail.DAILY)
    submitted(world, text="Xin sửa đèn đường ngõ 7.")
    call_command("remind", "--language", "en", stdout=out, stderr=StringIO())
    assert len(mailbox.messages) == 1
    call_command("remind", "--digest", "--language", "en", stdout=out, stderr=StringIO())
    call_command("remind", "--digest", "--language", "en", stdout=out, stderr=StringIO())
    assert len(mailbox.messages) == 2
    assert "Xin sửa đèn đường ngõ 7." in mailbox.messages[1].get_payload(decode=True).decode()
