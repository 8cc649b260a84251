"""When `chibo clock` runs `chibo remind`: every hour, with the digests once a day."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

HOUR = timedelta(hours=1)


@dataclass
class Clock:
    """The schedule's memory: when remind last ran, and the last day the digests went out."""

    last_run: datetime | None = None
    last_digest: date | None = None

    def due(self, now: datetime) -> tuple[bool, bool]:
        """Whether remind is due at `now`, and whether this run should send the digests."""
        local = timezone.localtime(now)
        digest = local.hour >= settings.CHIBO_DIGEST_HOUR and self.last_digest != local.date()
        hourly = self.last_run is None or now - self.last_run >= HOUR
        return hourly or digest, digest

    def ran(self, now: datetime, digest: bool) -> None:
        self.last_run = now
        if digest:
            self.last_digest = timezone.localdate(now)
