"""Placeholder: the views are being written."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


adoption = for_meeting = adopt = leave_out = _missing
