from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from chibo.notify.phone import SignOut
from chibo.orgs.urls import import_patterns
from chibo.orgs.views import home

urlpatterns = [
    # Browsers ask for it at the root whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=static("chibo/favicon.svg"), permanent=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Before Django's own: signing out also clears what the browser kept for offline reading.
    path("accounts/logout/", SignOut.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/second-factor/", include("chibo.signin.urls")),
    path("imports/", include((import_patterns, "imports"))),
    path("meetings/", include("chibo.meetings.urls")),
    path("guidance/", include("chibo.guidance.urls")),
    path("library/", include("chibo.library.urls")),
    path("voices/", include("chibo.voices.urls")),
    path("quality/", include("chibo.quality.urls")),
    path("audit/", include("chibo.audit.urls")),
    path("supervision/", include("chibo.supervision.urls")),
    path("", include("chibo.notify.urls")),
    path("", home, name="home"),
    path("", include("chibo.orgs.urls")),
]
