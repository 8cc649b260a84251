from django.urls import path

from chibo.notify import phone, views

app_name = "notify"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.mark_read, name="read"),
    path("notifications/settings/", views.mail_settings, name="settings"),
    path("notifications/settings/calendar/", views.new_address, name="new_address"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("notifications/push/", phone.subscribe, name="push"),
    path("notifications/push/off/", phone.unsubscribe, name="push_off"),
    # At the root: a service worker looks after the pages under the folder it is served from.
    path("manifest.webmanifest", phone.manifest, name="manifest"),
    path("sw.js", phone.service_worker, name="service_worker"),
]
