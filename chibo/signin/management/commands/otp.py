"""`chibo otp USERNAME`: the code a demo account's authenticator shows now."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chibo.signin import factors


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a plain string, translated when asked
        return _("Print the current sign-in code of a demo account.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        # Only the demo's own authenticators: a real account's codes come from its owner's phone.
        device = factors.demo_devices().filter(user__username=username).first()
        if device is None:
            raise CommandError(
                _("%(username)s has no demo authenticator: its codes come from its owner's app.")
                % {"username": username}
            )
        self.stdout.write(factors.current_code(device))
