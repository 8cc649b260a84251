"""How often one address may do one thing: a count per window of time, in the shared cache, so
that every web process counts together (the public pages, which have no account to throttle)."""

import math
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """At most `times` in each window of `seconds`, per address, for the thing `name`d."""

    name: str
    times: int
    seconds: int

    def _key(self, address: str, now: datetime) -> tuple[str, int]:
        window = math.floor(now.timestamp() / self.seconds)
        return f"limit:{self.name}:{address}:{window}", window

    def take(self, address: str, now: datetime) -> bool:
        """Count one more for `address`; False when it is one too many (nothing else counted
        then: a refused attempt does not push the window further)."""
        key, _window = self._key(address, now)
        cache.add(key, 0, timeout=self.seconds + 1)
        try:
            taken = cache.incr(key)
        except ValueError:  # expired between the two calls: a new window
            cache.add(key, 1, timeout=self.seconds + 1)
            taken = 1
        if taken > self.times:
            cache.decr(key)
            return False
        return True

    def retry_in(self, now: datetime) -> int:
        """Seconds until the window ends and the address may try again."""
        _key, window = self._key("", now)
        return max(1, math.ceil((window + 1) * self.seconds - now.timestamp()))
