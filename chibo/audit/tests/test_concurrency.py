"""Two writers appending at once keep one chain: neither forks it by chaining to the entry the
other chained to (PostgreSQL; SQLite's writers queue on its one write lock)."""

import threading

import pytest
from django.db import connection, connections

from chibo.audit.log import record
from chibo.audit.models import Action, Entry
from chibo.audit.tests.test_log import verify

PER_THREAD = 40


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the lock of PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_threads_appending_keep_one_chain():
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            start.wait()
            for n in range(PER_THREAD):
                record(None, Action.SIGN_IN_FAILED, username=name, detail={"n": n})
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = list(Entry.objects.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, 2 * PER_THREAD + 1))
    # Both wrote while the other did: the entries interleave.
    names = "".join(Entry.objects.order_by("number").values_list("username", flat=True))
    assert "ab" in names or "ba" in names
    assert f"{2 * PER_THREAD} entries checked" in verify()
