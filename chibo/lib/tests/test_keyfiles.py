"""A key file is made once, whole and private, however many threads ask for it at once."""

import stat
from concurrent.futures import ThreadPoolExecutor

from chibo.lib.keyfiles import write_once


def test_threads_making_the_key_at_once_all_find_one_whole_key(tmp_path):
    path = tmp_path / "keys" / "secret"
    offered = [f"key {i}".encode() * 100 for i in range(16)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda data: write_once(path, data), offered))
    assert path.read_bytes() in offered
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret"]  # no draft left behind


def test_a_key_already_there_is_kept(tmp_path):
    path = tmp_path / "secret"
    write_once(path, b"first")
    write_once(path, b"second")
    assert path.read_bytes() == b"first"
