"""Browsers ask for /favicon.ico whatever the page says: it leads to chibo's icon."""

from django.test import Client


def test_favicon_leads_to_the_icon(db):
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(icon.streaming_content)
