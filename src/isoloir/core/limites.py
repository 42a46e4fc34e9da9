"""Counting attempts and refusing further ones, on the shared cache.

A counter is a cache key that lives ``window`` seconds after the latest attempt counted;
while it is at or above ``limit`` every attempt is refused. Attempts are counted *before*
the secret is checked, so that a burst of simultaneous requests cannot all pass the check
before any failure is recorded; a success gives its count back.

Counting must be atomic, or a burst checks more secrets than the limit allows. Redis
(required in production) and process memory (tests) count atomically through the cache;
Django's database cache does not (a read, then a write), so with it the counters live in
their own table, counted by one SQL statement (:class:`isoloir.core.models.Compteur`).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.utils import timezone

from isoloir.core.models import Compteur


@dataclass(frozen=True)
class Limite:
    scope: str  # e.g. "connexion-compte", "connexion-ip"
    limit: int
    window: int  # seconds

    def key(self, subject: str) -> str:
        # Subjects are e-mail addresses or IPs: hashed so that the cache holds no
        # personal data in clear.
        digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
        return f"throttle:{self.scope}:{digest}"


def _en_base() -> bool:
    return str(settings.CACHES["default"]["BACKEND"]).endswith("DatabaseCache")


def _maintenant() -> datetime:
    # The machine's time, as the cache's expiry: a window is a duration, not a date.
    return timezone.now()


def _valeur_sql(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _compter_en_base(key: str, window: int) -> int:
    table = connection.ops.quote_name(Compteur._meta.db_table)
    maintenant = _maintenant()
    with connection.cursor() as curseur:
        curseur.execute(
            # The table name is ours; every value is a parameter.
            f"INSERT INTO {table} (cle, valeur, expire_le) VALUES (%s, 1, %s) "  # noqa: S608
            "ON CONFLICT (cle) DO UPDATE SET "
            f"valeur = CASE WHEN {table}.expire_le <= %s THEN 1 ELSE {table}.valeur + 1 END, "
            "expire_le = excluded.expire_le RETURNING valeur",
            [key, _valeur_sql(maintenant + timedelta(seconds=window)), _valeur_sql(maintenant)],
        )
        compte = int(curseur.fetchone()[0])
    if compte == 1:
        # A new window: sweep the counters whose window has passed, so that the table
        # holds only live ones (at most one row per subject seen in the last window).
        purger()
    return compte


def compter(limit: Limite, subject: str) -> int:
    """Count one attempt and return the count, this attempt included."""
    key = limit.key(subject)
    if _en_base():
        return _compter_en_base(key, limit.window)
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


def compter_par_tranche(limit: Limite, subject: str) -> int:
    """Count one attempt in a fixed window (``window`` seconds, aligned on the clock) and
    return the count, this attempt included.

    For limits on everyday traffic from addresses that many people share (a ministry behind
    one NAT address): :func:`compter`'s window, pushed back by every attempt, never closes
    for an address that is never quiet for ``window`` seconds, and would end up refusing
    everyone behind it. Here the count starts afresh in each window.
    """
    tranche = int(_maintenant().timestamp()) // limit.window
    return compter(limit, f"{subject}#{tranche}")


def depasse(limit: Limite, count: int) -> bool:
    return count > limit.limit


def est_bloque(limit: Limite, subject: str) -> bool:
    key = limit.key(subject)
    if _en_base():
        compte = (
            Compteur.objects.filter(cle=key, expire_le__gt=_maintenant())
            .values_list("valeur", flat=True)
            .first()
        )
        return (compte or 0) >= limit.limit
    return int(cache.get(key, 0)) >= limit.limit


def rendre(limit: Limite, subject: str) -> None:
    """Give back one counted attempt (it succeeded)."""
    key = limit.key(subject)
    if _en_base():
        Compteur.objects.filter(cle=key, valeur__gt=0).update(valeur=F("valeur") - 1)
        Compteur.objects.filter(cle=key, valeur=0).delete()
        return
    try:
        if int(cache.decr(key)) <= 0:
            cache.delete(key)
    except ValueError:  # nothing counted any more
        pass


def effacer(limit: Limite, subject: str) -> None:
    if _en_base():
        Compteur.objects.filter(cle=limit.key(subject)).delete()
        return
    cache.delete(limit.key(subject))


def purger() -> int:
    """Delete the counters whose window has passed."""
    return Compteur.objects.filter(expire_le__lte=_maintenant()).delete()[0]
