from django.urls import path

from chibo.orgs import views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.tree, name="tree"),
    path("orgs/<uuid:code>/", views.organisation, name="organisation"),
    path("members/", views.members, name="members"),
    path("members/<uuid:code>/", views.member, name="member"),
    path("members/<uuid:code>/edit/", views.member_edit, name="member_edit"),
]
