from django.urls import path

from chibo.signin import views

app_name = "signin"
urlpatterns = [
    path("enrol/", views.enrol, name="enrol"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("verify/", views.verify, name="verify"),
]
