"""Placeholder while this page is built."""

urlpatterns = []
