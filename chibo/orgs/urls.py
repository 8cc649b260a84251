from django.urls import path

from chibo.orgs import views

urlpatterns = [
    path("", views.home, name="home"),
]
