"""Those who must give a second factor see nothing else until they have."""

from urllib.parse import urlencode

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django_otp import user_has_device

from chibo.access.scope import scope_for
from chibo.signin import sessions

# Pages an unverified user may still open: signing out, another language, signing in anew, and
# the public door's pages, open to anyone.
OPEN = {"logout", "set_language", "login", "door", "door_thanks", "door_track"}


class SecondFactorMiddleware(MiddlewareMixin):
    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if sessions.ended(request):
            logout(request)
            return redirect_to_login(request.get_full_path())
        if user.is_verified() or not scope_for(request).needs_second_factor:
            return None
        match = request.resolver_match
        if match.namespace == "signin" or match.url_name in OPEN:
            return None
        step = "signin:verify" if user_has_device(user) else "signin:enrol"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
