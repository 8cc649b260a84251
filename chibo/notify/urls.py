from django.urls import path

from chibo.notify import views

app_name = "notify"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.mark_read, name="read"),
    path("notifications/settings/", views.mail_settings, name="settings"),
    path("notifications/settings/calendar/", views.new_address, name="new_address"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
