"""A person's notifications, their choice of e-mail, and their private calendar feeds."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from chibo.access.scope import scope_for
from chibo.lib.paging import window
from chibo.meetings.models import Meeting
from chibo.notify.calendar import calendar, feed_meetings
from chibo.notify.forms import MailForm, NewAddressForm, ReadForm
from chibo.notify.models import CalendarFeed, new_token
from chibo.notify.push import PUSH_CHANNELS, public_key
from chibo.notify.wording import worded
from chibo.orgs.models import User


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = request.user.notifications.with_subjects()
    page = worded(window(request, notifications, settings.PAGE_SIZE))
    unread = [n.pk for n in page if n.read_at is None]
    return render(
        request, "notify/list.html", {"notifications": page, "upto": max(unread, default=None)}
    )


@require_POST
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    form = ReadForm(request.POST)
    if form.is_valid():
        request.user.notifications.unread().filter(pk__lte=form.cleaned_data["upto"]).update(
            read_at=timezone.now()
        )
    else:
        messages.error(request, _("Nothing was marked as read: reload the page and try again."))
    return redirect("notify:list")


@require_http_methods(["GET", "POST"])
@login_required
def mail_settings(request: HttpRequest) -> HttpResponse:
    form = MailForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        if form.changed_data:
            request.user.save(update_fields=form.changed_data)
        messages.success(request, _("Your choices were saved."))
        if request.user.channels in PUSH_CHANNELS and not request.user.push_subscriptions.exists():
            messages.warning(
                request,
                _(
                    "No phone or browser has notifications turned on yet: turn them on below, "
                    "on each one you use."
                ),
            )
        return redirect("notify:settings")
    context = {"form": form, "feeds": _feeds(request), "push_key": public_key()}
    return render(request, "notify/settings.html", context)


def _feeds(request: HttpRequest) -> list[dict]:
    """ "My meetings" and one feed per cell the user belongs to, leads or supervises; a feed is
    made the first time it is shown."""
    user: User = request.user
    cells = scope_for(request).my_cells().order_by("name")
    names = {None: _("My meetings"), **dict(cells.values_list("pk", "name"))}
    feeds = _owned_feeds(user)
    missing = [
        CalendarFeed(owner=user, cell_id=cell_id) for cell_id in names if cell_id not in feeds
    ]
    if missing:
        CalendarFeed.objects.bulk_create(missing, ignore_conflicts=True)
        feeds = _owned_feeds(user)
    return [_feed_links(request, name, feeds[cell_id]) for cell_id, name in names.items()]


def _owned_feeds(user: User) -> dict[int | None, CalendarFeed]:
    # The unique constraint cannot stop two personal feeds (NULL cells); keep the oldest.
    return {feed.cell_id: feed for feed in user.calendar_feeds.order_by("-pk")}


def _feed_links(request: HttpRequest, name: str, feed: CalendarFeed) -> dict[str, str]:
    url = request.build_absolute_uri(reverse("notify:feed", args=[feed.token]))
    # webcal:// makes phones and desktop apps offer to subscribe rather than download once.
    webcal = "webcal://" + url.split("://", 1)[1]
    return {"name": name, "token": feed.token, "url": url, "webcal": webcal}


@require_POST
@login_required
def new_address(request: HttpRequest) -> HttpResponse:
    """Replace a feed's token: the old address, pasted somewhere it should not be, stops working."""
    form = NewAddressForm(request.POST)
    feed = None
    if form.is_valid():
        feed = request.user.calendar_feeds.filter(token=form.cleaned_data["token"]).first()
    if feed is None:
        raise Http404
    feed.token = new_token()
    feed.save(update_fields=["token"])
    messages.success(
        request,
        _(
            "The calendar has a new address and the old one no longer works: paste the new one "
            "into your calendar app."
        ),
    )
    return redirect("notify:settings")


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: calendar apps cannot; the token in the address is the credential."""
    found = CalendarFeed.objects.select_related("owner", "cell").filter(token=token).first()
    if found is None or not found.owner.is_active:
        raise Http404
    meetings = feed_meetings(found)
    if meetings is None:
        raise Http404

    def url_for(meeting: Meeting) -> str:
        return request.build_absolute_uri(reverse("meetings:meeting", args=[meeting.code]))

    with translation.override(found.owner.language):
        name = found.cell.name if found.cell else _("chibo: my meetings")
        body = calendar(name, meetings, url_for)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private"
    return response
