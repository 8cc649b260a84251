"""chibo on a phone's home screen: the web app manifest, the service worker that keeps the
meetings a member opened readable offline and shows push notifications, turning push on and
off for a device, and signing out so that nothing of the person stays in the browser."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chibo.notify.forms import SubscriptionForm, UnsubscribeForm
from chibo.notify.models import PushSubscription

ACCENT = "#b3261e"
# What the service worker keeps from the start: every page needs these.
SHELL = ["chibo/chibo.css", "chibo/chibo.js", "chibo/icons/icon-192.png", "chibo/icons/badge.png"]


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, in the language of the request: what a phone needs to install
    chibo on its home screen and open it like an app."""
    icons = [
        {"src": static(f"chibo/icons/{name}-{size}.png"), "sizes": f"{size}x{size}", **extra}
        for name, extra in (("icon", {"purpose": "any"}), ("maskable", {"purpose": "maskable"}))
        for size in (192, 512)
    ]
    body = {
        "name": "chibo",
        "short_name": "chibo",
        "description": _("Meetings, notices and tasks of party cells and their committees."),
        "lang": translation.get_language(),
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": ACCENT,
        "icons": icons,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    response["Vary"] = "Accept-Language, Cookie"
    return response


def _worker_messages() -> dict[str, dict[str, str]]:
    """The service worker's few sentences in every language: it picks the one of the page it
    shows, as it has no request to take a language from."""
    messages = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            messages[code] = {
                "copy": _(
                    "You are offline: this is the copy saved when you last opened this page. "
                    "It may be out of date."
                ),
                "title": _("You are offline"),
                "none": _(
                    "This page was not saved on this device. Pages of the meetings you opened "
                    "while online, and their documents, can be read offline."
                ),
                "home": _("Home"),
            }
    return messages


def worker_script() -> str:
    """The service worker, with a version that changes whenever it or the shell changes, so
    that browsers replace it and its cache of the shell (served from there first)."""
    context = {
        "shell": json.dumps([static(path) for path in SHELL]),
        "messages": json.dumps(_worker_messages(), ensure_ascii=False),
        "default_language": settings.LANGUAGE_CODE,
        "icon": static("chibo/icons/icon-192.png"),
        "badge": static("chibo/icons/badge.png"),
        "sign_in": reverse("login"),
        "meetings": reverse("meetings:list"),
        "version": "VERSION",
    }
    script = render_to_string("notify/sw.js", context)
    # The shell's files keep their addresses when they change: their content is in the version.
    digest = hashlib.sha256(script.encode())
    for path in SHELL:
        digest.update(Path(finders.find(path)).read_bytes())
    version = digest.hexdigest()[:12]
    return script.replace('"VERSION"', json.dumps(version), 1)


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the root, so that it may look after every page of the site."""
    response = HttpResponse(worker_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers look for a new version at each visit; a cached copy would delay every fix.
    response["Cache-Control"] = "no-cache"
    return response


def _json(request: HttpRequest) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


@require_POST
@login_required
def subscribe(request: HttpRequest) -> JsonResponse:
    """Push on for this device: chibo.js posts what `pushManager.subscribe` gave it."""
    data = _json(request)
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    form = SubscriptionForm(
        {"endpoint": data.get("endpoint"), "p256dh": keys.get("p256dh"), "auth": keys.get("auth")}
    )
    if not form.is_valid():
        return JsonResponse(
            {"error": _("This browser's subscription could not be read: nothing was saved.")},
            status=400,
        )
    # A shared browser that subscribed for someone else now brings this person's notifications.
    PushSubscription.objects.update_or_create(
        endpoint=form.cleaned_data["endpoint"],
        defaults={
            "owner": request.user,
            "p256dh": form.cleaned_data["p256dh"],
            "auth": form.cleaned_data["auth"],
            "failures": 0,
        },
    )
    return JsonResponse({"ok": True}, status=201)


@require_POST
@login_required
def unsubscribe(request: HttpRequest) -> HttpResponse:
    form = UnsubscribeForm({"endpoint": _json(request).get("endpoint")})
    if form.is_valid():
        request.user.push_subscriptions.filter(endpoint=form.cleaned_data["endpoint"]).delete()
    return HttpResponse(status=204)


class SignOut(auth_views.LogoutView):
    """Django's sign-out, which also asks the browser to drop the pages it kept for offline
    reading and the service worker with its push subscription: the next person to use this
    browser sees nothing of the last one's."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
