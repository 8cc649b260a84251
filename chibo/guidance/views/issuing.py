"""Placeholder: the views are being written."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


committee = new = guidance = edit = audience = point = remove_point = publish = correct = _missing
pass_on = _missing
