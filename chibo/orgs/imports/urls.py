from django.urls import path

from chibo.orgs.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.new, name="new"),
    path("<uuid:id>/", views.detail, name="detail"),
    path("<uuid:id>/confirm/", views.confirm, name="confirm"),
]
