"""Work shared among processes forked from this one, once the records are committed."""

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context

from django.db import connections, transaction


def available() -> int:
    """A process per core; one when a caller's transaction holds the records (tests), as
    workers would not see them."""
    return 1 if transaction.get_connection().in_atomic_block else os.cpu_count() or 1


@contextmanager
def forked(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `workers` processes forked from this one, each with its own connections."""
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("Workers read committed records: rebuild outside a transaction.")
    # A connection must not be shared across the fork: each worker opens its own.
    connections.close_all()
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        yield pool
