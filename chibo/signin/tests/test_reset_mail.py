"""Without a mail server, a password-reset link is written nowhere: not to the console, not
to the log."""

import logging
import re

from django.core import mail
from django.urls import reverse

from chibo import settings as chibo_settings

UNSENT = "chibo.lib.mail.UnsentBackend"


def test_without_a_mail_server_chibo_uses_the_backend_that_sends_nothing():
    assert not chibo_settings.EMAIL_HOST  # as the tests run: no EMAIL_HOST
    assert chibo_settings.EMAIL_BACKEND == UNSENT


def test_the_reset_link_is_not_in_the_logs(client, world, settings, caplog, capfd):
    # The same reset sent through the test outbox holds a link: what must stay hidden exists.
    client.post(reverse("password_reset"), {"email": "mai@example.org"})
    [sent] = mail.outbox
    token_path = re.search(r"/accounts/reset/(\S+)/", sent.body).group(1)

    settings.EMAIL_BACKEND = UNSENT
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("password_reset"), {"email": "mai@example.org"})
    assert response.status_code == 302
    written = caplog.text + "".join(capfd.readouterr())
    assert "No mail server is configured" in written
    assert "/accounts/reset/" not in written and token_path.split("/")[-1] not in written
    assert "mai@example.org" not in written
