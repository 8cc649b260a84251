"""A draft meeting that members never heard of can be deleted by whoever prepares it, after a
confirmation page; the deletion is in the audit log, and nothing else is deleted this way."""

import pytest
from django.test import Client
from django.urls import reverse

from chibo.audit.models import Action, Entry
from chibo.meetings.models import AgendaItem, Meeting
from chibo.meetings.tests.holding_data import ENGLISH, messages_in
from chibo.meetings.tests.test_planning import make_meeting, member
from chibo.meetings.tests.test_roles import seat


def delete_url(meeting: Meeting) -> str:
    return reverse("meetings:delete", args=[meeting.code])


def test_it_asks_before_deleting_a_draft_then_deletes_it_and_logs_it(world):
    meeting = make_meeting(world.cell)
    client = world.client("secretary")
    agenda = client.get(reverse("meetings:agenda", args=[meeting.code]), headers=ENGLISH)
    assert delete_url(meeting) in agenda.content.decode()
    page = client.get(delete_url(meeting), headers=ENGLISH)
    assert page.status_code == 200
    assert "This cannot be undone." in page.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()  # asking deletes nothing

    response = client.post(delete_url(meeting), follow=True, headers=ENGLISH)
    assert response.redirect_chain[-1][0] == reverse("meetings:cell", args=[world.cell.code])
    assert "The draft meeting was deleted." in messages_in(response)
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not AgendaItem.objects.filter(meeting_id=meeting.pk).exists()
    entry = Entry.objects.get(action=Action.MEETING_DELETED)
    assert (entry.user, entry.organisation_id, entry.kind, entry.object_id) == (
        world.secretary,
        world.cell.pk,
        "meeting",
        str(meeting.pk),
    )
    assert entry.detail["place"] == meeting.place


def test_it_lets_the_assigned_preparer_delete_the_draft(world):
    mai = member("Nguyễn Thị Mai")
    seat(mai, world.cell)
    meeting = make_meeting(world.cell, preparer=mai)
    assert world.client("member").post(delete_url(meeting)).status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


@pytest.mark.parametrize("persona", ["member", "committee", "supervisor", "outsider"])
def test_it_hides_a_draft_from_those_who_do_not_prepare_it(world, persona):
    meeting = make_meeting(world.cell)
    assert world.client(persona).post(delete_url(meeting)).status_code == 404
    assert Meeting.objects.filter(pk=meeting.pk).exists()


@pytest.mark.parametrize("persona", ["member", "committee", "supervisor"])
def test_it_refuses_readers_of_a_published_meeting(world, persona):
    meeting = make_meeting(world.cell, status=Meeting.Status.PUBLISHED)
    assert world.client(persona).post(delete_url(meeting)).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_it_sends_anonymous_visitors_to_sign_in(world):
    meeting = make_meeting(world.cell)
    response = Client().post(delete_url(meeting))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "status, published",
    [
        (Meeting.Status.PUBLISHED, True),
        (Meeting.Status.OPEN, True),
        (Meeting.Status.CLOSED, True),
        (Meeting.Status.CANCELLED, False),
    ],
)
def test_it_deletes_nothing_but_a_draft_never_published(world, status, published):
    meeting = make_meeting(world.cell, status=status)
    if published:
        Meeting.objects.filter(pk=meeting.pk).update(published_at=meeting.starts_at)
    client = world.client("secretary")
    assert (
        delete_url(meeting)
        not in client.get(reverse("meetings:agenda", args=[meeting.code])).content.decode()
    )
    for method in ("get", "post"):
        response = getattr(client, method)(delete_url(meeting), follow=True, headers=ENGLISH)
        assert response.status_code == 200
        assert messages_in(response)
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Entry.objects.filter(action=Action.MEETING_DELETED).exists()


def test_it_refuses_a_draft_published_once_and_set_back(world):
    """A draft whose notice went out once (set back by hand) stays: members heard of it."""
    meeting = make_meeting(world.cell)
    Meeting.objects.filter(pk=meeting.pk).update(published_at=meeting.starts_at)
    response = world.client("secretary").post(delete_url(meeting), follow=True, headers=ENGLISH)
    assert "it cannot be deleted, only cancelled" in messages_in(response)
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_it_refuses_other_methods(world):
    meeting = make_meeting(world.cell)
    assert world.client("secretary").put(delete_url(meeting)).status_code == 405


def test_a_draft_published_meanwhile_is_not_deleted(world):
    """The page read a draft; by the time it is confirmed, the notice went out."""
    meeting = make_meeting(world.cell)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.PUBLISHED, published_at=meeting.starts_at
    )
    with pytest.raises(ValueError):
        meeting.delete_draft()
    assert Meeting.objects.filter(pk=meeting.pk).exists()
