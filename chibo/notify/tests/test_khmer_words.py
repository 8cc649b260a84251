"""Khmer sentences keep a space between their words and a name put into them."""

import re

from django.utils import translation

from chibo.meetings.tests.test_attending import plan
from chibo.notify.models import Notification
from chibo.notify.wording import headline


def test_the_records_headline_keeps_the_cells_name_apart_in_khmer(world):
    meeting = plan(world.cell)
    notification = Notification(
        recipient=world.member, meeting=meeting, kind=Notification.Kind.RECORDS
    )
    with translation.override("km"):
        said = headline(notification)
    assert f"របស់ {world.cell.name}" in said
    # No Khmer letter glued to a name or a kind of meeting put into the sentence.
    assert not re.search(r"[\u1780-\u17ff](Chi bộ|" + re.escape(world.cell.name) + ")", said)
