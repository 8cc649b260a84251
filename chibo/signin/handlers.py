"""Axes' record of failed sign-ins, also told to chibo's sign-in log."""

import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username

logger = logging.getLogger("chibo.signin")


class LoggedDatabaseHandler(AxesDatabaseHandler):
    """Axes masks who failed and from where in its own log; chibo's log says both, as a
    server's log of failed sign-ins does, and never the password."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None:
            logger.warning(
                "Sign-in failed: %s from %s",
                get_client_username(request, credentials),
                request.axes_ip_address,
            )
