"""The demo accounts: one person for each role, in and around one cell of Uông Bí."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _

from chibo.access.scope import Scope
from chibo.orgs.models import Member, Organisation, Position, User
from chibo.signin import factors

PASSWORD = "chibo-demo"
CITY_REF = "QN.UB"
CELL_REF = "QN.UB.01.01"  # khu 1 of Quang Trung ward
ROLES = {
    "member": _("member"),
    "secretary": _("cell secretary"),
    "secretary_km": _("secretary of a Khmer hamlet's cell, working in Khmer"),
    "supervisor": _("supervising committee member"),
    "committee": _("city committee"),
    "admin": _("administrator"),
}


def create_accounts(seed: int) -> None:
    """Give a sign-in to one person of each role, all sharing one password; those who need a
    second factor have an authenticator already, its secret following from the seed."""
    people = demo_people()
    # Hashing with argon2 is slow on purpose: do it once for every account.
    password = make_password(PASSWORD)
    for username, member in people.items():
        admin = username == "admin"
        user = User.objects.create(
            username=username,
            password=password,
            is_staff=admin,
            is_superuser=admin,
            language="km" if username == "secretary_km" else "vi",
        )
        if member is not None:
            member.user = user
            member.save(update_fields=["user"])
    # The city committee's account stands for its authorised staff, who see personal data.
    User.objects.get(username="committee").user_permissions.add(
        Permission.objects.get(content_type__app_label="orgs", codename="view_personal_data")
    )
    for user in User.objects.filter(username__in=people):
        if Scope(user).needs_second_factor:
            factors.enrol_demo(user, seed)


def demo_people() -> dict[str, Member | None]:
    """Members of one cell, its secretary, its supervisor and a member of the city committee."""
    cell = Organisation.objects.get(ref=CELL_REF)
    city = Organisation.objects.get(ref=CITY_REF)
    members = Member.objects.order_by("pk")
    secretary = members.get(positions__organisation=cell, positions__kind=Position.Kind.SECRETARY)
    supervisor = members.filter(
        supervisions__cell=cell,
        positions__organisation__path=cell.path[: -Organisation.steplen],
        positions__kind=Position.Kind.COMMITTEE,
    ).first()
    taken = [secretary.pk, supervisor.pk]
    committee = (
        members.filter(positions__organisation=city, positions__kind=Position.Kind.COMMITTEE)
        .exclude(pk__in=taken)
        .first()
    )
    member = (
        members.filter(cell=cell, status=Member.Status.OFFICIAL)
        .filter(positions__isnull=True, supervisions__isnull=True)
        .first()
    )
    # The first of the hamlets whose cells work in Khmer (`names.KHMER_HAMLETS`).
    hamlet = Organisation.objects.cells().filter(name__contains="Khmer").order_by("path").first()
    secretary_km = members.filter(
        positions__organisation=hamlet, positions__kind=Position.Kind.SECRETARY
    ).first()
    return {
        "member": member,
        "secretary": secretary,
        "secretary_km": secretary_km,
        "supervisor": supervisor,
        "committee": committee,
        "admin": None,
    }


def describe_accounts() -> list[tuple[str, str, str, str]]:
    """(role, username, person, where their view of the tree starts) for each demo account."""
    users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    rows = []
    for username, role in ROLES.items():
        if (user := users.get(username)) is None:
            continue
        member = getattr(user, "member", None)
        sees = ", ".join(org.name for org in Scope(user).roots())
        rows.append((str(role), username, member.full_name if member else "—", sees))
    return rows


def demo_authenticators() -> list[tuple[str, str]]:
    """(username, secret to type into an authenticator app) of each demo account that has one."""
    devices = factors.demo_devices().filter(user__username__in=ROLES).select_related("user")
    found = {device.user.username: factors.secret(device) for device in devices}
    return [(username, found[username]) for username in ROLES if username in found]
