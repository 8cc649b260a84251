"""Voices recorded and handled through the app's own functions, for the voices tests."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from chibo.access.scope import Scope
from chibo.conftest import make_member, make_user
from chibo.orgs.models import Organisation, Position, User
from chibo.voices import handling
from chibo.voices.models import Category, Voice

# The tests' clock: mid-December 2026, morning in Vietnam.
NOW = datetime(2026, 12, 15, 3, 0, tzinfo=UTC)
clock = pytest.mark.time_machine(NOW, tick=False)


def scope(user: User) -> Scope:
    return Scope(user)


def category(slug: str = "land_environment") -> Category:
    return Category.objects.get(slug=slug)


def recorded(
    world, persona: str = "member", cell: Organisation | None = None, at=None, **fields
) -> Voice:
    """A voice the persona records for their cell (the home cell unless given)."""
    fields.setdefault("category", category())
    fields.setdefault("text", "Đường vào khu 3 ngập nước mỗi khi mưa to.")
    fields.setdefault("place", "Khu 3")
    return handling.record(
        cell or world.cell, scope(getattr(world, persona)), at=at or NOW, **fields
    )


def standing(world, organisation: Organisation, name: str, username: str) -> User:
    """A member of the sister cell on the organisation's standing committee."""
    member = make_member(world.sister_cell, name)
    Position.objects.create(
        member=member,
        organisation=organisation,
        kind=Position.Kind.STANDING,
        started_on=date(2020, 1, 1),
    )
    return make_user(member, username)


def url(name: str, *args) -> str:
    return reverse(f"voices:{name}", args=args)
