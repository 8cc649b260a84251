from django.urls import path

from chibo.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.mine, name="mine"),
]
