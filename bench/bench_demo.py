"""Time `chibo demo --no-serve` on a fresh database and print the seconds it took.

    python bench/bench_demo.py                      # the city, SQLite in a temporary folder
    python bench/bench_demo.py --scale province --months 60   # all of Quảng Ninh
    python bench/bench_demo.py --database-url postgres://postgres@127.0.0.1:5432/chibo

With --database-url the run goes to a new database on that server, dropped afterwards, so the
demo always starts from nothing and the database named in the URL is left alone.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["city", "province"], default="city")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="a PostgreSQL server to run on instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir, database(args.database_url) as url:
        env = {**os.environ, "CHIBO_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        command = [sys.executable, "-m", "chibo.cli", "demo", "--no-serve", "-v", "0"]
        command += ["--scale", args.scale, "--seed", str(args.seed), "--months", str(args.months)]
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"{time.perf_counter() - started:.1f}")


@contextmanager
def database(url: str | None, keep: bool = False) -> Iterator[str | None]:
    """A new, empty PostgreSQL database on the server of `url`, dropped on the way out unless
    `keep`."""
    if not url:
        yield None
        return
    import psycopg

    name = f"chibo_bench_{uuid.uuid4().hex[:8]}"
    server = urlsplit(url)
    # Create and drop from the maintenance database: the one named need not exist.
    maintenance = urlunsplit(server._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(server._replace(path=f"/{name}"))
    finally:
        if not keep:
            with psycopg.connect(maintenance, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
