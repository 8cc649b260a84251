"""Members' personal data by role: which fields each role sees in full, masked or not at all.

Rule 21. The one table every page, form, export and PDF reads, through `Scope.personal` for one
member and `Scope.members_showing` for a list; nowhere else decides.
"""

from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

from chibo.lib.text import mask
from chibo.orgs.models import Member


class Shown(IntEnum):
    """How much of a field a role sees; ordered, so that a role that sees more compares higher."""

    HIDDEN = 0
    MASKED = 1
    FULL = 2


class Role(StrEnum):
    """A viewer's standing towards one member, most entitled first: the first that applies is
    theirs (`Scope.role_towards`)."""

    ADMIN = "admin"
    SELF = "self"
    # The cell's secretary, and committee staff given the "view personal data" permission.
    SECRETARY = "secretary"
    STAFF = "staff"
    DEPUTY = "deputy"
    COMMITTEE = "committee"
    SUPERVISOR = "supervisor"
    # Anyone else who may open the member's profile: the other members of the cell.
    MEMBER = "member"


FIELDS = ("card_number", "birth_date", "phone", "citizen_id")
F, M, H = Shown.FULL, Shown.MASKED, Shown.HIDDEN
# Read across: party card number, date of birth, phone, citizen ID. Each row sees no less than
# the rows below it (a test holds it), so that lists can be narrowed role by role.
TABLE: dict[Role, dict[str, Shown]] = {
    role: dict(zip(FIELDS, shown, strict=True))
    for role, shown in {
        Role.ADMIN: (F, F, F, F),
        Role.SELF: (F, F, F, F),
        Role.SECRETARY: (F, F, F, F),
        Role.STAFF: (F, F, F, F),
        Role.DEPUTY: (F, F, M, M),
        Role.COMMITTEE: (F, F, M, M),
        Role.SUPERVISOR: (F, M, M, H),
        Role.MEMBER: (M, M, M, H),
    }.items()
}


def shown(role: Role, field: str) -> Shown:
    return TABLE[role][field]


def _masked(value) -> str:
    if isinstance(value, date):
        return f"••/••/{value.year}"  # the year tells an age, not a birthday
    return mask(value)


@dataclass(frozen=True)
class Value:
    """One field of one member as one viewer may see it: the value itself, or its mask."""

    value: str | date
    masked: bool


class Personal:
    """The personal fields of `member` as someone in `role` sees them: `personal.phone` is a
    `Value` (full or masked), or None when the role does not see the field at all."""

    def __init__(self, member: Member, role: Role) -> None:
        self.member, self.role = member, role

    @property
    def of_another(self) -> bool:
        """Someone else's data: seeing it is recorded (rule 21); one's own is not."""
        return self.role != Role.SELF

    def shows(self, field: str) -> Shown:
        return shown(self.role, field)

    def __getattr__(self, field: str) -> Value | None:
        if field not in FIELDS:
            raise AttributeError(field)
        level = self.shows(field)
        if level == Shown.HIDDEN:
            return None
        raw = getattr(self.member, field)
        if level == Shown.FULL:
            return Value(raw, masked=False)
        return Value(_masked(raw) if raw else "", masked=True)
