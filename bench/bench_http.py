"""Throughput of chibo's pages over HTTP, as a share of the floor's, measured in the same run.

    chibo demo --no-serve                  # once: the city, into ./data (or DATABASE_URL)
    python bench/bench_http.py [--seconds 10] [--rounds 3] [--workers 2] [--threads 1]
    python bench/bench_http.py --mix meeting-day    # many members' GETs and POSTs

Serves the floor (`bench/floor`: a bare Django app whose one view reads 50 rows from SQLite and
renders them) and chibo with gunicorn under the same settings, signs the personas in, and runs
wrk (Debian's `wrk`) against each page and the floor in turn, so that both meet the same noise.
Prints each page's requests per second, p50 and p99, errors, and its share of the floor's
requests per second, the one figure that survives a busy machine. On SQLite the run works on a
copy of the database; on PostgreSQL the mix adds its comments and answers to the database.
"""

import argparse
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import django

BENCH = Path(__file__).resolve().parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from timing import signed_in  # noqa: E402

from chibo.meetings.models import Meeting  # noqa: E402
from chibo.orgs.models import Member, Organisation, User  # noqa: E402

# What a meeting evening asks of the server, per hundred requests (the figures).
MEETING_DAY = {"home": 25, "meeting": 40, "thread": 5, "tasks": 15, "comment": 10, "answer": 5}
SUMMARY = """
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "errors": %d, "timeouts": %d, "p50": %f, "p99": %f}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


@dataclass
class Run:
    rps: float
    p50: float
    p99: float
    errors: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(app: str, port: int, env: dict, workers: int, threads: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env={**os.environ, **env})
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return server
        except urllib.error.HTTPError:
            return server  # it answers, even if not with 200
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"{app} did not start on port {port}")


def floor_database(folder: Path) -> Path:
    path = folder / "floor.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE row (id INTEGER PRIMARY KEY, name TEXT, value INTEGER)")
        db.executemany(
            "INSERT INTO row (name, value) VALUES (?, ?)",
            [(f"Hàng số {n}", n * 37 % 1000) for n in range(1, 101)],
        )
    return path


def wrk(url: str, seconds: int, connections: int, script: Path) -> Run:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    errors = found["errors"] + found["timeouts"]
    return Run(found["requests"] / found["seconds"], found["p50"], found["p99"], errors)


def lua_for(cookie: str, folder: Path, name: str) -> Path:
    path = folder / f"{name}.lua"
    path.write_text(f'wrk.headers["Cookie"] = "{cookie}"\n' + SUMMARY)
    return path


def session_cookie(user: User) -> str:
    """A signed-in session; with the second factor given, for those whom it is asked of."""
    client = signed_in(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def member_user(member: Member) -> User:
    """The member's sign-in, made for the benchmark if they have none."""
    if member.user_id:
        return member.user
    user, _new = User.objects.get_or_create(username=f"bench-{member.code}")
    member.user = user
    member.save(update_fields=["user"])
    return user


def personas() -> dict[str, tuple[User, list[tuple[str, str]]]]:
    """The demo's accounts, each with the pages they use most."""
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=["member", "secretary", "supervisor", "committee"]
        )
    }
    member = users["member"].member
    meeting = (
        Meeting.objects.filter(cell_id=member.cell_id, status=Meeting.Status.PUBLISHED)
        .order_by("starts_at")
        .first()
    )
    ward = Organisation.objects.get(path=member.cell.path[: -Organisation.steplen])
    city = Organisation.objects.get(ref="QN.UB")
    item = meeting.agenda_items.order_by("position").first()
    member_pages = [
        ("member's home", reverse("home")),
        ("meeting page", reverse("meetings:meeting", args=[meeting.code])),
        ("comment thread", reverse("meetings:comments", args=[meeting.code, item.position])),
        ("my tasks", reverse("meetings:my_tasks")),
        ("cell page", reverse("orgs:organisation", args=[member.cell.code])),
        ("notifications", reverse("notify:list")),
        ("member profile", reverse("orgs:member", args=[member.code])),
    ]
    return {
        "member": (users["member"], member_pages),
        "secretary": (users["secretary"], [("secretary's meeting page", member_pages[1][1])]),
        "supervisor": (users["supervisor"], [("supervision", reverse("supervision:mine"))]),
        "committee": (
            users["committee"],
            [
                ("ward dashboard", reverse("quality:dashboard", args=[ward.code])),
                ("city dashboard", reverse("quality:dashboard", args=[city.code])),
            ],
        ),
    }


def meeting_day_script(folder: Path, cells: int, seed: int) -> tuple[Path, int]:
    """A wrk script that plays many members' sessions: each request picks a member and a kind of
    request by the evening's proportions. Returns the script and the number of sessions."""
    rng = random.Random(seed)
    now = timezone.now()
    meetings = list(
        Meeting.objects.filter(status=Meeting.Status.PUBLISHED, starts_at__gt=now)
        .select_related("cell")
        .order_by("-cell__member_count", "starts_at")
    )
    chosen, seen = [], set()
    for meeting in meetings:
        if meeting.cell_id not in seen:
            seen.add(meeting.cell_id)
            chosen.append(meeting)
        if len(chosen) == cells:
            break
    sessions = []
    for meeting in chosen:
        items = list(meeting.agenda_items.values_list("position", flat=True))
        for member in Member.objects.filter(cell_id=meeting.cell_id).summoned()[:8]:
            token = _get_new_csrf_string()
            cookie = f"{session_cookie(member_user(member))}; csrftoken={token}"
            sessions.append(
                {
                    "cookie": cookie,
                    "token": token,
                    "meeting": str(meeting.code),
                    "position": rng.choice(items),
                }
            )
    kinds = [kind for kind, share in MEETING_DAY.items() for _ in range(share)]
    lua = ["local sessions = {"]
    for s in sessions:
        lua.append(
            f'  {{cookie = "{s["cookie"]}", token = "{s["token"]}", '
            f'meeting = "{s["meeting"]}", position = {s["position"]}}},'
        )
    lua.append("}")
    lua.append("local kinds = {" + ", ".join(f'"{k}"' for k in kinds) + "}")
    lua.append(
        f"""
math.randomseed({seed})
request = function()
  local s = sessions[math.random(#sessions)]
  local kind = kinds[math.random(#kinds)]
  local headers = {{Cookie = s.cookie}}
  local meeting = "/meetings/" .. s.meeting .. "/"
  local thread = meeting .. "items/" .. s.position .. "/comments/"
  if kind == "home" then return wrk.format("GET", "/", headers) end
  if kind == "meeting" then return wrk.format("GET", meeting, headers) end
  if kind == "thread" then return wrk.format("GET", thread, headers) end
  if kind == "tasks" then return wrk.format("GET", "/meetings/tasks/", headers) end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  if kind == "comment" then
    return wrk.format("POST", thread, headers,
      "csrfmiddlewaretoken=" .. s.token .. "&body=T%C3%B4i+%C4%91%E1%BB%93ng+%C3%BD")
  end
  return wrk.format("POST", meeting .. "answer/", headers,
    "csrfmiddlewaretoken=" .. s.token .. "&choice=attending")
end
"""
    )
    path = folder / "meeting-day.lua"
    path.write_text("\n".join(lua) + SUMMARY)
    return path, len(sessions)


def database_copy(folder: Path) -> dict:
    """On SQLite, a copy to work on; on PostgreSQL, the database itself."""
    if connection.vendor != "sqlite":
        return {}
    copy = folder / "chibo.sqlite3"
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    with sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    return {"DATABASE_URL": f"sqlite:///{copy}"}


def compare(name: str, url: str, floor_url: str, args, script: Path, floor_script: Path) -> None:
    """Interleave runs of the page and of the floor; print the medians and the share."""
    pages, floors = [], []
    for _ in range(args.rounds):
        floors.append(wrk(floor_url, args.seconds, args.connections, floor_script))
        pages.append(wrk(url, args.seconds, args.connections, script))
    floors.append(wrk(floor_url, args.seconds, args.connections, floor_script))
    rps = statistics.median(run.rps for run in pages)
    floor = statistics.median(run.rps for run in floors)
    p50 = statistics.median(run.p50 for run in pages)
    p99 = max(run.p99 for run in pages)
    errors = sum(run.errors for run in pages)
    print(
        f"{name[:28]:28} {rps:8.0f} {100 * rps / floor:6.0f}% {p50:7.1f} {p99:7.1f} "
        f"{errors:6d} {floor:8.0f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--mix", choices=["meeting-day"])
    parser.add_argument("--cells", type=int, default=8, help="cells of the meeting evening")
    parser.add_argument("--only", help="run only the pages whose name contains this")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS.append("testserver")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floor_script = lua_for("", folder, "floor")
        if args.mix:
            script, count = meeting_day_script(folder, args.cells, seed=1)
            pages = {"mix": [(f"meeting evening ({count} members)", "/", script)]}
        else:
            pages = {"anonymous": [("sign-in page", reverse("login"), floor_script)]} | {
                persona: [
                    (name, url, lua_for(session_cookie(user), folder, f"{persona}-{n}"))
                    for n, (name, url) in enumerate(urls)
                ]
                for persona, (user, urls) in personas().items()
            }
        env = database_copy(folder)
        chibo_port, floor_port = free_port(), free_port()
        floor_env = {"FLOOR_DATABASE": str(floor_database(folder)), "PYTHONPATH": str(BENCH)}
        servers = [
            serve("chibo.wsgi", chibo_port, env, args.workers, args.threads),
            serve("floor.wsgi", floor_port, floor_env, args.workers, args.threads),
        ]
        try:
            print(
                f"{connection.vendor}; gunicorn --workers {args.workers} --threads "
                f"{args.threads}; wrk -t2 -c{args.connections}, {args.seconds} s x "
                f"{args.rounds} runs, interleaved with the floor"
            )
            print(
                f"{'page':28} {'req/s':>8} {'floor':>7} {'p50 ms':>7} {'p99 ms':>7} "
                f"{'errors':>6} {'floor/s':>8}"
            )
            for entries in pages.values():
                for name, url, script in entries:
                    if args.only and args.only not in name:
                        continue
                    compare(
                        name,
                        f"http://127.0.0.1:{chibo_port}{url}",
                        f"http://127.0.0.1:{floor_port}/",
                        args,
                        script,
                        floor_script,
                    )
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=20)
        if env:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
