"""Routes of this part are declared with its views."""

urlpatterns: list = []
