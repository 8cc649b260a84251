"""Every route of the orgs app: the tree and its people, and the imports that fill them."""

from django.urls import path

from chibo.orgs import views
from chibo.orgs.imports import views as imports

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.tree, name="tree"),
    path("orgs/<uuid:code>/", views.organisation, name="organisation"),
    path("orgs/<uuid:code>/edit/", views.organisation_edit, name="organisation_edit"),
    path("members/", views.members, name="members"),
    path("members/export/<str:fmt>/", views.members_export, name="members_export"),
    path("members/<uuid:code>/", views.member, name="member"),
    path("members/<uuid:code>/edit/", views.member_edit, name="member_edit"),
]

# Imports keep their own namespace ("imports:new"), under their own prefix in chibo/urls.py.
import_patterns = [
    path("", imports.new, name="new"),
    path("<uuid:id>/", imports.detail, name="detail"),
    path("<uuid:id>/confirm/", imports.confirm, name="confirm"),
]
