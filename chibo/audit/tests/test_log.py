"""The audit log: appended in a chain of keyed seals, and `chibo audit verify` naming every
entry changed, removed or moved behind the app's back."""

import io
import os
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from chibo.audit import keys
from chibo.audit.log import record
from chibo.audit.models import Action, Entry
from chibo.conftest import PASSWORD


def run_verify() -> tuple[str, CommandError | None]:
    """`chibo audit verify`'s output, in English, and the error it exits with (code 1)."""
    out = io.StringIO()
    try:
        with translation.override("en"):
            call_command("audit", "verify", stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def verify() -> str:
    out, error = run_verify()
    assert error is None, out
    return out


def failing_verify() -> str:
    out, error = run_verify()
    assert error is not None and "problem" in str(error), out
    return out


def sql(statement: str, *params) -> None:
    """Write the database behind the app's back, as someone with its password could."""
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=Entry._meta.db_table), params)


@pytest.fixture
def logged(world):
    """Five entries about Mai's cell, by her secretary."""
    mai = world.member.member
    for n in range(5):
        record(None, Action.MEMBER_VIEWED, mai, user=world.secretary, detail={"n": n})
    return list(Entry.objects.order_by("number"))


def test_it_chains_entries_in_order_and_verifies(logged, world):
    assert [e.number for e in logged] == [1, 2, 3, 4, 5]
    first = logged[0]
    assert (first.user_id, first.username, first.kind, first.organisation_id) == (
        world.secretary.pk,
        "son",
        "member",
        world.cell.pk,
    )
    assert len({e.mac for e in logged}) == 5
    assert "5 entries checked" in verify()


def test_it_names_an_entry_whose_content_was_changed(logged):
    sql("UPDATE {table} SET detail = %s WHERE number = 3", '{"n": 99}')
    out = failing_verify()
    assert "Entry 3: its content or place was changed" in out
    assert "Entry 4" not in out  # one changed entry is one problem


def test_it_names_a_removed_entry(logged):
    sql("DELETE FROM {table} WHERE number = 2")
    assert "Entry 3: entries 2 to 2 before it were removed." in failing_verify()


def test_it_names_the_newest_entries_removed_since_the_last_verification(logged):
    assert "5 entries checked" in verify()
    sql("DELETE FROM {table} WHERE number >= 4")
    assert "Entry 5: entries 4 to 5, seen by the last verification, were removed." in (
        failing_verify()
    )
    # Grown again over the cut, the chain is whole, but not the one that was verified.
    record(None, Action.SIGNED_OUT, username="after")
    record(None, Action.SIGNED_OUT, username="after")
    assert "Entry 5: it is not the entry the last verification saw." in failing_verify()


def test_entries_added_after_a_verification_verify(logged):
    verify()
    record(None, Action.SIGNED_OUT, username="later")
    assert "6 entries checked" in verify()


def test_it_names_entries_put_in_another_order(logged):
    sql("UPDATE {table} SET number = 100 WHERE number = 2")
    sql("UPDATE {table} SET number = 2 WHERE number = 4")
    sql("UPDATE {table} SET number = 4 WHERE number = 100")
    out = failing_verify()
    assert "Entry 2: its content or place was changed" in out
    assert "Entry 4: its content or place was changed" in out


def test_it_names_an_entry_resealed_without_the_key(logged, settings):
    settings.CHIBO_AUDIT_KEY = "a key someone guessed"
    record(None, Action.SIGNED_OUT, username="forger")
    settings.CHIBO_AUDIT_KEY = "test audit key"
    assert "Entry 6: its content or place was changed" in failing_verify()


def test_the_log_refuses_changes_through_the_app(logged):
    entry = logged[0]
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    with pytest.raises(ValueError, match="append-only"):
        Entry.objects.filter(pk=entry.pk).update(detail={})
    with pytest.raises(ValueError, match="append-only"):
        Entry.objects.all().delete()


def test_without_a_configured_key_one_is_made_private_in_the_data_folder(settings, tmp_path):
    settings.CHIBO_AUDIT_KEY = ""
    settings.DATA_DIR = tmp_path / "data"
    first = keys.key()
    path = tmp_path / "data" / "audit_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert keys.key() == first == path.read_text().encode()
    assert len(first) >= 48
    assert list(path.parent.iterdir()) == [path]  # no draft left behind


def test_every_sign_in_event_is_recorded(client, world):
    client.post(reverse("login"), {"username": "mai", "password": "wrong"})
    client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    client.post(reverse("login"), {"username": "mai", "password": PASSWORD})
    client.post(reverse("logout"))
    rows = Entry.objects.order_by("number").values_list(
        "action", "username", "user_id", "organisation_id", "detail", "address"
    )
    mai = world.member
    assert list(rows) == [
        (Action.SIGN_IN_FAILED, "mai", None, world.cell.pk, {"known": True}, "127.0.0.1"),
        (Action.SIGN_IN_FAILED, "nobody", None, None, {"known": False}, "127.0.0.1"),
        (Action.SIGNED_IN, "mai", mai.pk, world.cell.pk, {}, "127.0.0.1"),
        (Action.SIGNED_OUT, "mai", mai.pk, world.cell.pk, {}, "127.0.0.1"),
    ]
    assert "4 entries checked" in verify()
