"""A fragment's key changes with every value it is drawn from, and only with them."""

import pytest
from django.middleware.csrf import CSRF_TOKEN_LENGTH
from django.test import RequestFactory
from django.utils import translation

from chibo.lib.fragments import CSRF_PLACEHOLDER, digest, kept, with_csrf
from chibo.orgs.models import Member, Organisation


def test_the_digest_follows_loaded_fields_related_records_and_prefetched_lists(world):
    cell = Organisation.objects.select_related("level").get(pk=world.cell.pk)
    before = digest([cell])
    assert digest([Organisation.objects.select_related("level").get(pk=cell.pk)]) == before
    cell.level.name_en = "Branch"
    assert digest([cell]) != before, "a record loaded with it"
    cell.level.name_en = Organisation.objects.get(pk=cell.pk).level.name_en
    cell.name += "!"
    assert digest([cell]) != before, "its own field"
    members = Organisation.objects.prefetch_related("members").get(pk=cell.pk)
    listed = digest([members])
    members._prefetched_objects_cache["members"]._result_cache[0].full_name = "Lê Văn Tám"
    assert digest([members]) != listed, "its prefetched list"


def test_the_digest_follows_the_language_and_refuses_what_it_cannot_read(world):
    with translation.override("vi"):
        vietnamese = digest(["x"])
    with translation.override("km"):
        assert digest(["x"]) != vietnamese
    with pytest.raises(TypeError):
        digest([object()])


def test_a_record_loaded_both_ways_is_read_once(world):
    member = Member.objects.select_related("user").get(pk=world.member.member.pk)
    member.user.member = member  # as Django links a one-to-one both ways
    assert digest([member])


def test_a_fragment_is_drawn_once_and_each_request_gets_its_own_token(world):
    drawings = []

    def draw():
        drawings.append(1)
        return f'<input name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}">'

    first = kept("test", ["same"], draw, timeout=60)
    assert kept("test", ["same"], draw, timeout=60) == first and len(drawings) == 1
    kept("test", ["other"], draw, timeout=60)
    assert len(drawings) == 2
    tokens = {with_csrf(first, RequestFactory().get("/")) for _ in range(2)}
    assert len(tokens) == 2 and all(CSRF_PLACEHOLDER not in token for token in tokens)
    assert all(len(token.split('value="')[1].rstrip('">')) == CSRF_TOKEN_LENGTH for token in tokens)
