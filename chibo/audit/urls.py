"""Every route of the audit app."""

from django.urls import path

from chibo.audit import views

app_name = "audit"
urlpatterns = [
    path("<uuid:code>/", views.log, name="log"),
]
