"""The service's outgoing mail rate, shared by every worker through the cache.

Relays and receiving servers (the academies' and ministries' own) throttle or blacklist a
sender that floods them, so the whole service stays under ``ISOLOIR_COURRIELS_PAR_SECONDE``
whatever the number of workers. A counter per second of wall time lives in the cache
(Redis in production, where ``incr`` is atomic; the in-memory cache of the tests and the
demo is atomic within a process): a worker takes the next number of the current second and
sends if it is within the rate; otherwise it sleeps to the next second and tries again. It
never drops a mail, and it waits less than a second each time, so holding a mail's row
lock meanwhile costs nothing.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

CLE = "notify:debit:{seconde}"


def courriels_par_seconde() -> int:
    return max(1, int(settings.ISOLOIR_COURRIELS_PAR_SECONDE))


@dataclass
class Debit:
    """``horloge`` and ``dormir`` are injectable so that a test runs many "seconds" in no
    time; in service they are the wall clock (shared by every host, unlike a monotonic
    one) and ``time.sleep``."""

    par_seconde: int
    horloge: Callable[[], float] = field(default=time.time)
    dormir: Callable[[float], None] = field(default=time.sleep)

    def attendre_son_tour(self) -> int:
        """Block until this caller may send one mail; returns the second it was given."""
        while True:
            maintenant = self.horloge()
            seconde = int(maintenant)
            if self._prendre(seconde) <= self.par_seconde:
                return seconde
            self.dormir(max(seconde + 1 - maintenant, 0.001))

    def _prendre(self, seconde: int) -> int:
        cle = CLE.format(seconde=seconde)
        # The key outlives its second by a little, for workers whose clocks lag.
        if cache.add(cle, 1, timeout=10):
            return 1
        try:
            return int(cache.incr(cle))
        except ValueError:  # expired between add() and incr()
            cache.add(cle, 1, timeout=10)
            return 1


def attendre_son_tour() -> int:
    return Debit(courriels_par_seconde()).attendre_son_tour()
