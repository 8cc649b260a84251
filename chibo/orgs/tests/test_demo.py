"""`chibo demo`: the city of Uông Bí, generated once for this module and rolled back after it."""

import os
import random
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from base64 import b32encode
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.access.personal import Shown
from chibo.access.scope import Scope
from chibo.lib.text import fold
from chibo.orgs.demo import names
from chibo.orgs.demo.accounts import PASSWORD
from chibo.orgs.demo.people import plus_years
from chibo.orgs.demo.plan import SCALES, plan
from chibo.orgs.management.commands.demo import Command
from chibo.orgs.models import Level, Member, Membership, Organisation, Position, User
from chibo.quality.models import Evaluation, EvaluationRound
from chibo.signin.factors import enrol_demo
from chibo.supervision.models import Assignment

Kind = Position.Kind
Status = Member.Status


def run_demo(**options) -> str:
    out = StringIO()
    # The meeting history has tests of its own (chibo/meetings/tests/test_demo_history.py).
    call_command("demo", no_serve=True, verbosity=0, stdout=out, **{"months": 0, **options})
    return out.getvalue()


# The module lives on one fixed day, a leap day, whatever the day it runs: the demo is made on
# it and the tests check the demo against it.
DEMO_DAY = datetime(2028, 2, 29, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The output of the first `chibo demo`; the data stays until the module is done."""
    with (
        time_machine.travel(DEMO_DAY),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield run_demo()
        transaction.set_rollback(True)


@pytest.fixture
def demo(generated, db) -> str:
    return generated


def city() -> Organisation:
    return Organisation.objects.get(ref="QN.UB")


def snapshot(cursor) -> tuple[list, list, list]:
    """Everything that must come out the same for the same seed, read alike from any database
    (values as text, rows sorted)."""

    def rows(sql: str) -> list[tuple[str, ...]]:
        cursor.execute(sql)
        return sorted(tuple(str(value) for value in row) for row in cursor.fetchall())

    tree = rows("SELECT ref, name, kind, category, depth FROM orgs_organisation")
    people = rows(
        "SELECT m.card_number, c.ref, m.full_name, m.gender, m.birth_date, m.status, m.citizen_id"
        " FROM orgs_member m LEFT JOIN orgs_organisation c ON c.id = m.cell_id"
    )
    offices = rows(
        "SELECT o.ref, p.kind, m.card_number FROM orgs_position p"
        " JOIN orgs_organisation o ON o.id = p.organisation_id"
        " LEFT JOIN orgs_member m ON m.id = p.member_id"
    )
    return tree, people, offices


def city_made_apart(seed: int, folder: Path) -> tuple[list, list, list]:
    """What `chibo demo --seed` makes in a fresh data folder on the module's day, as the
    README's first command does: a city made anew beside the tests' database rather than after
    emptying it (emptying and refilling it inside the tests' transaction took six minutes a
    city). Its own process has its own clock: libfaketime sets it to the module's day."""
    env = {**os.environ, "CHIBO_DATA_DIR": str(folder), "SECRET_KEY": "test", "TZ": "UTC"}
    env.pop("DATABASE_URL", None)
    day = DEMO_DAY.strftime("@%Y-%m-%d %H:%M:%S")
    command = ["faketime", "-f", day, sys.executable, "-m", "chibo.cli", "demo", "--no-serve"]
    command += ["--months", "0"]
    subprocess.run([*command, "--seed", str(seed)], env=env, check=True, capture_output=True)
    with closing(sqlite3.connect(folder / "chibo.sqlite3")) as database:
        return snapshot(database.cursor())


def test_it_builds_uong_bi_with_its_real_shape(demo):
    uong_bi = city()
    assert uong_bi.name == "Đảng bộ thành phố Uông Bí"
    assert Organisation.objects.get_parent(uong_bi).name == "Đảng bộ tỉnh Quảng Ninh"
    grassroots = Organisation.objects.children_of(uong_bi)
    assert grassroots.committees().count() == grassroots.count() == 42
    assert Organisation.objects.within(uong_bi).cells().count() == 318
    assert Organisation.objects.cells().filter(depth=4).count() == 318
    assert Member.objects.filter(cell__path__startswith=uong_bi.path).count() >= 8_200
    assert list(Level.objects.values_list("name", "name_en")) == [
        ("Tỉnh ủy", "Province"),
        ("Thành ủy", "City"),
        ("Đảng bộ cơ sở", "Grassroots committee"),
        ("Chi bộ", "Cell"),
    ]
    assert all(level.name_km for level in Level.objects.all())
    wards = set(
        grassroots.filter(name__regex=r"^Đảng bộ (phường|xã) ").values_list("name", flat=True)
    )
    assert "Đảng bộ phường Quang Trung" in wards and "Đảng bộ xã Điền Công" in wards
    assert len(wards) == 11
    assert grassroots.filter(name__contains="Than Vàng Danh").exists()


def test_it_gives_every_organisation_a_reference_code(demo):
    refs = list(Organisation.objects.values_list("ref", "depth"))
    assert all(ref for ref, _ in refs)
    assert all(re.fullmatch(r"QN(\.UB(\.\d{2}){0,2})?", ref) for ref, _ in refs)
    assert all(ref.count(".") == depth - 1 for ref, depth in refs)
    assert Organisation.objects.get(ref="QN.UB.01.01").name == "Chi bộ khu 1"


def test_it_names_cells_by_what_they_are(demo):
    categories = Counter(Organisation.objects.cells().values_list("category", flat=True))
    assert set(categories) == {
        "residential",
        "village",
        "agency",
        "school",
        "health",
        "enterprise",
        "armed_forces",
    }
    assert categories["residential"] > categories["village"] > 0
    assert Organisation.objects.cells().filter(name__startswith="Chi bộ Phân xưởng").exists()
    sizes = list(Organisation.objects.cells().values_list("member_count", flat=True))
    assert 6 <= min(sizes) and max(sizes) <= 80


def test_it_keeps_the_tree_as_treebeard_expects(demo):
    assert Organisation.objects.find_problems() == ([], [], [], [], [])
    cells = dict(Member.objects.values_list("cell__path").annotate(n=Count("pk")).order_by())
    for org in Organisation.objects.all():
        below = [path for path in cells if path.startswith(org.path)]
        assert org.member_count == sum(cells[path] for path in below), org.ref
        expected_cells = Organisation.objects.within(org).cells().count() if org.depth < 4 else 1
        assert org.cell_count == expected_cells, org.ref


def test_it_gives_every_member_one_open_membership_in_their_cell(demo):
    members = Member.objects.count()
    open_ones = Membership.objects.filter(ended_on__isnull=True)
    assert open_ones.count() == members
    assert open_ones.values("member").distinct().count() == members
    assert not open_ones.exclude(cell=F("member__cell")).exists()
    moved = Membership.objects.filter(ended_on__isnull=False)
    assert 0.02 * members < moved.count() < 0.05 * members
    assert not moved.filter(cell=F("member__cell")).exists()


def test_it_puts_a_secretary_and_a_deputy_in_every_cell(demo):
    cells = Organisation.objects.cells().annotate(
        secretaries=Count("positions", filter=Q(positions__kind=Kind.SECRETARY)),
        deputies=Count("positions", filter=Q(positions__kind=Kind.DEPUTY)),
        committee=Count("positions", filter=Q(positions__kind=Kind.CELL_COMMITTEE)),
    )
    assert {(c.secretaries, c.deputies) for c in cells} == {(1, 1)}
    assert {c.committee for c in cells if c.member_count >= 50} <= {3}
    assert {c.committee for c in cells if c.member_count < 15} == {0}
    holders = Position.objects.filter(organisation__kind=Organisation.Kind.CELL)
    assert not holders.exclude(member__cell=F("organisation")).exists()
    assert not holders.exclude(member__status=Status.OFFICIAL).exists()


def test_it_elects_the_committees_of_the_city_and_its_grassroots(demo):
    uong_bi = city()
    seats = Counter(uong_bi.positions.values_list("kind", flat=True))
    assert seats[Kind.SECRETARY] == 1 and seats[Kind.DEPUTY] >= 2 and seats[Kind.STANDING] >= 5
    assert 30 <= sum(seats.values()) <= 40
    for org in Organisation.objects.children_of(uong_bi):
        kinds = Counter(org.positions.values_list("kind", flat=True))
        assert kinds[Kind.SECRETARY] == 1 and kinds[Kind.DEPUTY] >= 1, org.ref
        assert kinds[Kind.STANDING] >= 1 and kinds[Kind.COMMITTEE] >= 2, org.ref
        outside = org.positions.exclude(member__cell__path__startswith=org.path)
        assert not outside.exists(), org.ref
    one_seat_each = Position.objects.values("member", "organisation").annotate(n=Count("pk"))
    assert not one_seat_each.filter(n__gt=1).exists()


def test_it_assigns_each_cell_a_supervisor_from_its_grassroots_committee(demo):
    assert not Organisation.objects.cells().filter(supervisions__isnull=True).exists()
    for assignment in Assignment.objects.select_related("cell", "supervisor__cell"):
        committee_path = assignment.cell.path[: -Organisation.steplen]
        seat = assignment.supervisor.positions.filter(organisation__path=committee_path)
        assert seat.filter(kind__in=[Kind.COMMITTEE, Kind.STANDING]).exists()
        assert assignment.supervisor.cell_id != assignment.cell_id
    per_supervisor = Counter(Assignment.objects.values_list("supervisor", flat=True))
    assert sum(per_supervisor.values()) / len(per_supervisor) > 2


def test_it_draws_realistic_members(demo):
    today = timezone.localdate(DEMO_DAY)
    rows = list(
        Member.objects.values_list(
            "gender", "status", "birth_date", "admitted_on", "official_on", "cell__category"
        )
    )
    total = len(rows)
    share = Counter(status for _, status, *_ in rows)
    assert 0.86 < share[Status.OFFICIAL] / total < 0.94
    assert 0.035 < share[Status.PROBATIONARY] / total < 0.065
    assert 0.035 < share[Status.EXEMPT] / total < 0.06
    assert 0 < share[Status.TRANSFERRED] / total < 0.015
    assert 0 < share[Status.SUSPENDED] / total < 0.005
    men = Counter((category, gender) for gender, *_, category in rows)
    assert 0.5 < sum(g == Member.Gender.MALE for g, *_ in rows) / total < 0.6
    assert men["enterprise", "male"] > 2 * men["enterprise", "female"]
    assert men["school", "female"] > men["school", "male"]

    def age(born) -> float:
        return (today - born).days / 365.2425

    ages = [age(born) for _, _, born, *_ in rows]
    assert 19 <= min(ages) and max(ages) < 86
    exempt = [age(born) for _, status, born, *_ in rows if status == Status.EXEMPT]
    assert sum(a >= 70 for a in exempt) > 0.8 * len(exempt)
    residential = [age(b) for _, _, b, *_, c in rows if c == "residential"]
    enterprise = [age(b) for _, _, b, *_, c in rows if c == "enterprise"]
    assert sum(residential) / len(residential) > sum(enterprise) / len(enterprise) + 10
    for _, status, born, admitted, official, _ in rows:
        assert admitted >= plus_years(born, 18)
        if status == Status.PROBATIONARY:
            assert official is None and admitted > today - timedelta(days=366)
        else:
            assert official == plus_years(admitted, 1) <= today


def test_it_gives_members_unique_plausible_numbers(demo):
    cards, ids, phones = zip(
        *Member.objects.values_list("card_number", "citizen_id", "phone"), strict=True
    )
    assert len(set(cards)) == len(set(ids)) == len(cards)
    assert all(re.fullmatch(r"QN\d{8}", card) for card in cards)
    assert all(re.fullmatch(r"022[0-3]\d{8}", cid) for cid in ids)
    assert all(re.fullmatch(r"09\d{8}", phone) for phone in phones)
    for full, search in Member.objects.values_list("full_name", "search_name")[:50]:
        assert len(full.split()) == 3 and search == fold(full)


def test_it_prints_demo_accounts_that_sign_in(demo, rf):
    assert PASSWORD in demo
    for username in ("member", "secretary", "supervisor", "committee", "admin"):
        assert re.search(rf"\b{username}\b", demo)
        request = rf.post("/accounts/login/")
        assert authenticate(request, username=username, password=PASSWORD) is not None, username


def test_it_prints_how_to_get_the_code_of_each_account_that_needs_one(demo):
    """The printed key is the device's, `chibo otp` prints a code it accepts, and the member,
    who needs no second factor, has none."""
    # One instant for every code: read on either side of a 30-second step, two codes differ.
    with time_machine.travel(time.time(), tick=False):
        for username in ("secretary", "supervisor", "committee", "admin"):
            user = User.objects.get(username=username)
            [device] = devices_for_user(user)
            key = b32encode(device.bin_key).decode()
            line = next(line for line in demo.splitlines() if f"chibo otp {username}" in line)
            assert key == "".join(line.split()[1:-3]), line
            assert pyotp.TOTP(key).now() == run_otp(username)
            assert device.verify_token(run_otp(username))
    assert "chibo otp member" not in demo
    assert list(devices_for_user(User.objects.get(username="member"))) == []


def test_the_keys_follow_from_the_seed(demo):
    user = User.objects.get(username="secretary")
    printed = TOTPDevice.objects.get(user=user).key
    TOTPDevice.objects.filter(user=user).delete()
    assert enrol_demo(user, seed=1).key == printed
    assert enrol_demo(user, seed=2).key != printed


def run_otp(username: str) -> str:
    out = StringIO()
    call_command("otp", username, stdout=out)
    return out.getvalue().strip()


def test_it_shows_each_demo_account_what_its_role_reaches(demo):
    users = {u.username: u for u in User.objects.all()}
    cell = Organisation.objects.get(ref="QN.UB.01.01")
    ward = Organisation.objects.get_parent(cell)

    member = Scope(users["member"])
    assert list(member.organisations()) == [cell]
    assert not member.can_manage(cell)

    secretary = Scope(users["secretary"])
    assert list(secretary.organisations()) == [cell] and secretary.can_manage(cell)
    assert users["secretary"].member.cell == cell

    supervisor = Scope(users["supervisor"])
    assert cell in supervisor.supervised_cells()
    assert supervisor.sits_above(ward)
    assert not supervisor.sits_above(Organisation.objects.get_parent(ward))
    assert not supervisor.can_manage(cell)
    assert (
        users["supervisor"].member.positions.filter(organisation=ward, kind=Kind.COMMITTEE).exists()
    )

    committee = Scope(users["committee"])
    assert [org.ref for org in committee.roots()] == ["QN.UB"]
    assert committee.organisations().count() == 1 + 42 + 318
    some_member = Member.objects.select_related("cell").exclude(cell=cell).first()
    assert committee.personal(some_member).shows("citizen_id") == Shown.FULL
    assert Scope(users["supervisor"]).personal(some_member).shows("citizen_id") != Shown.FULL

    admin = Scope(users["admin"])
    assert admin.is_admin and users["admin"].is_staff
    assert admin.organisations().count() == Organisation.objects.count()


def test_it_reuses_a_database_that_has_organisations(demo):
    before = (Organisation.objects.count(), Member.objects.count(), User.objects.count())
    output = run_demo(seed=2)
    with translation.override(settings.LANGUAGE_CODE):
        assert gettext("The database already has organisations: using them as they are.") in output
    assert (Organisation.objects.count(), Member.objects.count(), User.objects.count()) == before
    assert PASSWORD in output and "supervisor" in output


def test_it_serves_the_demo_over_http_in_one_command(tmp_path):
    """The README's first command, for real: a fresh data folder, then a page over HTTP."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "CHIBO_DATA_DIR": str(tmp_path), "SECRET_KEY": "test"}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "chibo.cli", "demo", "--port", str(port), "--months", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        page = wait_for_page(f"http://127.0.0.1:{port}/accounts/login/", server)
        assert 'name="password"' in page
        assert (tmp_path / "chibo.sqlite3").exists()
        # Its files collected with their compressed copies, and sent so (decision record 20).
        assert (tmp_path / "static" / "chibo" / "chibo.css.br").exists()
        for path, encoding in [("/static/chibo/chibo.css", "br"), ("/accounts/login/", "gzip")]:
            asked = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Accept-Encoding": "gzip, br"}
            )
            with urllib.request.urlopen(asked, timeout=5) as response:
                assert response.headers["Content-Encoding"] == encoding, path
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "chibo-demo" in output and "supervisor" in output


def wait_for_page(url: str, server: subprocess.Popen, seconds: float = 180) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "chibo demo stopped before serving"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"nothing served at {url} within {seconds} s")


def test_it_makes_the_same_city_from_the_same_seed_and_another_from_another(demo, tmp_path):
    with connection.cursor() as cursor:
        first = snapshot(cursor)  # the seed by default: 1
    assert city_made_apart(1, tmp_path / "one") == first
    tree, people, _ = city_made_apart(2, tmp_path / "two")
    assert tree == first[0]
    assert {p[2] for p in people[:200]} != {p[2] for p in first[1][:200]}
    assert Counter(p[1] for p in people) != Counter(p[1] for p in first[1])


def test_it_plans_a_province_of_a_hundred_thousand_members():
    province = plan(SCALES["province"], random.Random(1))
    units = province.children
    assert [u.ref for u in units] == [f"QN.{u.ref}" for u in names.UNITS]
    cells = province.cells()
    assert 3_900 <= len(cells) <= 4_100
    assert 95_000 <= sum(c.size for c in cells) <= 105_000
    uong_bi = next(u for u in units if u.ref == "QN.UB")
    assert len(uong_bi.children) == 42 and len(uong_bi.cells()) == 318
    refs = [node.ref for node in province.walk()]
    assert len(set(refs)) == len(refs)
    grassroots = [g.name for u in units for g in u.children]
    assert len(set(grassroots)) == len(grassroots)


def test_it_explains_its_options():
    text = Command().create_parser("chibo", "demo").format_help()
    assert "--no-serve" in text and "--seed" in text and "{city,country,province}" in text


def test_each_demo_member_finds_this_years_self_assessment_waiting(demo):
    opened = EvaluationRound.objects.get()
    assert (opened.organisation, opened.year) == (city(), 2028)
    mine = Evaluation.objects.get(round=opened, member__user__username="member")
    assert mine.status == Evaluation.Step.OPENED
    assert Evaluation.objects.filter(round=opened).count() > Member.objects.count() // 2
