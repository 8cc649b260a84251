"""The mail backend of an installation with no mail server."""

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("chibo.mail")


class UnsentBackend(BaseEmailBackend):
    """Sends nothing and writes nothing of a message (no body, no address, no subject): a
    password-reset link in a log would open the account to whoever reads the log."""

    def send_messages(self, messages) -> int:
        if messages:
            logger.warning(
                "No mail server is configured (set EMAIL_HOST): %d message(s) not sent.",
                len(messages),
            )
        return 0
