"""Counting failures and refusing further attempts, on the shared cache.

A counter is a cache key that expires ``window`` seconds after its first failure; once
it reaches ``limit`` every attempt is refused until it expires. The cache is the
database or Redis, never process memory, so every web process sees the same counts.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str  # e.g. "login-account", "login-ip"
    limit: int
    window: int  # seconds

    def key(self, subject: str) -> str:
        # Subjects are e-mail addresses or IPs: hashed so that the cache holds no
        # personal data in clear.
        digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
        return f"throttle:{self.scope}:{digest}"


def is_blocked(limit: Limit, subject: str) -> bool:
    return int(cache.get(limit.key(subject), 0)) >= limit.limit


def record_failure(limit: Limit, subject: str) -> int:
    key = limit.key(subject)
    # add() only sets a missing key, so the window starts at the first failure and is not
    # pushed back by later ones; incr() is atomic on Redis.
    if cache.add(key, 1, timeout=limit.window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=limit.window)
        return 1


def reset(limit: Limit, subject: str) -> None:
    cache.delete(limit.key(subject))
