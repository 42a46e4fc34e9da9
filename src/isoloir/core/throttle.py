"""Counting attempts and refusing further ones, on the shared cache.

A counter is a cache key that lives ``window`` seconds after the latest attempt counted;
while it is at or above ``limit`` every attempt is refused. Attempts are counted *before*
the secret is checked, so that a burst of simultaneous requests cannot all pass the check
before any failure is recorded; a success gives its count back. The cache is the database
or Redis (required in production, where ``incr`` is atomic), never process memory.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str  # e.g. "connexion-compte", "connexion-ip"
    limit: int
    window: int  # seconds

    def key(self, subject: str) -> str:
        # Subjects are e-mail addresses or IPs: hashed so that the cache holds no
        # personal data in clear.
        digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
        return f"throttle:{self.scope}:{digest}"


def compter(limit: Limit, subject: str) -> int:
    """Count one attempt and return the count, this attempt included."""
    key = limit.key(subject)
    if cache.add(key, 1, timeout=limit.window):
        return 1
    try:
        count = int(cache.incr(key))
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=limit.window)
        return 1
    # Each attempt pushes the expiry back: a lock lasts until ``window`` seconds pass
    # without any attempt, on every cache backend alike.
    cache.touch(key, limit.window)
    return count


def depasse(limit: Limit, count: int) -> bool:
    return count > limit.limit


def est_bloque(limit: Limit, subject: str) -> bool:
    return int(cache.get(limit.key(subject), 0)) >= limit.limit


def rendre(limit: Limit, subject: str) -> None:
    """Give back one counted attempt (it succeeded)."""
    key = limit.key(subject)
    try:
        if int(cache.decr(key)) <= 0:
            cache.delete(key)
    except ValueError:  # nothing counted any more
        pass


def effacer(limit: Limit, subject: str) -> None:
    cache.delete(limit.key(subject))
