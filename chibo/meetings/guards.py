"""The guard of every page that changes a meeting being prepared, whichever app serves it."""

from collections.abc import Callable
from functools import wraps
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from chibo.access.scope import get_meeting_for_user


def preparing(view: Callable | None = None, *, argument: str = "code") -> Callable:
    """Hand the view the meeting named by the URL's `argument` if the user may prepare it and
    it may still change: 404 out of reach, 403 for those who may only read it; a meeting that
    has opened, ended or been cancelled sends the user back to its page with a message."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, **kwargs) -> HttpResponse:
            code: UUID = kwargs.pop(argument)
            meeting, _rights = get_meeting_for_user(request, code, may="prepare")
            if not meeting.is_editable:
                messages.error(
                    request,
                    _("This meeting has opened, ended or been cancelled: it no longer changes."),
                )
                return redirect("meetings:meeting", code=meeting.code)
            return view(request, meeting, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
