"""Publishing a meeting's notice, and reading every version that was sent."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from chibo.access.scope import get_meeting_for_user
from chibo.lib.paging import window
from chibo.meetings.models import Notice
from chibo.meetings.publishing import NothingChanged, PublishError, publish, readable, recipients


def late_warning() -> str:
    days = settings.CHIBO_RULES["notice_lead_days"]
    return ngettext(
        "Rule 5 (Guidance 42-HD/BTCTW): documents reach members at least %(days)d day before "
        "the meeting; this notice was published late.",
        "Rule 5 (Guidance 42-HD/BTCTW): documents reach members at least %(days)d days before "
        "the meeting; this notice was published late.",
        days,
    ) % {"days": days}


def published_message(version: int, count: int) -> str:
    return ngettext(
        "Version %(version)d of the notice was published; %(count)d person is being notified.",
        "Version %(version)d of the notice was published; %(count)d people are being notified.",
        count,
    ) % {"version": version, "count": count}


@require_POST
@login_required
def publish_meeting(request: HttpRequest, code: UUID) -> HttpResponse:
    meeting, _rights = get_meeting_for_user(request, code, may="hold")
    try:
        notice = publish(meeting, by=getattr(request.user, "member", None))
    except NothingChanged as error:
        messages.info(request, str(error))
    except PublishError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, published_message(notice.version, recipients(meeting).count()))
        if notice.late:
            messages.warning(request, late_warning())
    return redirect("meetings:meeting", code=meeting.code)


@require_GET
@login_required
def notices(request: HttpRequest, code: UUID) -> HttpResponse:
    meeting, _rights = get_meeting_for_user(request, code)
    versions = meeting.notices.select_related("published_by").defer("content")
    page = window(request, versions, settings.PAGE_SIZE)
    return render(
        request,
        "meetings/publishing/notices.html",
        {
            "meeting": meeting,
            "notices": page,
            "any_late": any(n.late for n in page),
            "late_warning": late_warning(),
        },
    )


@require_GET
@login_required
def notice(request: HttpRequest, code: UUID, version: int) -> HttpResponse:
    """A version as it was sent, from its snapshot: later edits of the meeting do not show."""
    meeting, _rights = get_meeting_for_user(request, code)
    shown: Notice = get_object_or_404(
        meeting.notices.select_related("published_by"), version=version
    )
    latest = meeting.notices.values_list("version", flat=True).first()
    return render(
        request,
        "meetings/publishing/notice.html",
        {
            "meeting": meeting,
            "notice": shown,
            "content": readable(shown.content),
            "is_latest": shown.version == latest,
        },
    )
