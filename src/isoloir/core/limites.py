"""Counting attempts and refusing further ones, on the shared cache.

A counter is a cache key that lives ``fenetre`` seconds after the latest attempt counted;
while it is at or above ``plafond`` every attempt is refused. Attempts are counted *before*
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
    portee: str  # e.g. "connexion-compte", "connexion-ip"
    plafond: int  # attempts allowed in the window
    fenetre: int  # seconds

    def cle(self, sujet: str) -> str:
        # Subjects are e-mail addresses or IPs: hashed so that the cache holds no
        # personal data in clear.
        digest = hashlib.sha256(sujet.strip().lower().encode()).hexdigest()[:32]
        return f"limite:{self.portee}:{digest}"


def _en_base() -> bool:
    return str(settings.CACHES["default"]["BACKEND"]).endswith("DatabaseCache")


def _maintenant() -> datetime:
    # The machine's time, as the cache's expiry: a window is a duration, not a date.
    return timezone.now()


def _valeur_sql(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _compter_en_base(cle: str, fenetre: int) -> int:
    table = connection.ops.quote_name(Compteur._meta.db_table)
    maintenant = _maintenant()
    with connection.cursor() as curseur:
        curseur.execute(
            # The table name is ours; every value is a parameter.
            f"INSERT INTO {table} (cle, valeur, expire_le) VALUES (%s, 1, %s) "  # noqa: S608
            "ON CONFLICT (cle) DO UPDATE SET "
            f"valeur = CASE WHEN {table}.expire_le <= %s THEN 1 ELSE {table}.valeur + 1 END, "
            "expire_le = excluded.expire_le RETURNING valeur",
            [cle, _valeur_sql(maintenant + timedelta(seconds=fenetre)), _valeur_sql(maintenant)],
        )
        compte = int(curseur.fetchone()[0])
    if compte == 1:
        # A new window: sweep the counters whose window has passed, so that the table
        # holds only live ones (at most one row per subject seen in the last window).
        purger()
    return compte


def compter(limite: Limite, sujet: str) -> int:
    """Count one attempt and return the count, this attempt included."""
    cle = limite.cle(sujet)
    if _en_base():
        return _compter_en_base(cle, limite.fenetre)
    if cache.add(cle, 1, timeout=limite.fenetre):
        return 1
    try:
        nombre = int(cache.incr(cle))
    except ValueError:  # expired between add() and incr()
        cache.add(cle, 1, timeout=limite.fenetre)
        return 1
    # Each attempt pushes the expiry back: a lock lasts until ``fenetre`` seconds pass
    # without any attempt, on every cache backend alike.
    cache.touch(cle, limite.fenetre)
    return nombre


def compter_par_tranche(limite: Limite, sujet: str) -> int:
    """Count one attempt in a fixed window (``fenetre`` seconds, aligned on the clock) and
    return the count, this attempt included.

    For limits on everyday traffic from addresses that many people share (a ministry behind
    one NAT address): :func:`compter`'s window, pushed back by every attempt, never closes
    for an address that is never quiet for ``fenetre`` seconds, and would end up refusing
    everyone behind it. Here the count starts afresh in each window.
    """
    tranche = int(_maintenant().timestamp()) // limite.fenetre
    return compter(limite, f"{sujet}#{tranche}")


def depasse(limite: Limite, nombre: int) -> bool:
    return nombre > limite.plafond


def est_bloque(limite: Limite, sujet: str) -> bool:
    cle = limite.cle(sujet)
    if _en_base():
        compte = (
            Compteur.objects.filter(cle=cle, expire_le__gt=_maintenant())
            .values_list("valeur", flat=True)
            .first()
        )
        return (compte or 0) >= limite.plafond
    return int(cache.get(cle, 0)) >= limite.plafond


def rendre(limite: Limite, sujet: str) -> None:
    """Give back one counted attempt (it succeeded)."""
    cle = limite.cle(sujet)
    if _en_base():
        Compteur.objects.filter(cle=cle, valeur__gt=0).update(valeur=F("valeur") - 1)
        Compteur.objects.filter(cle=cle, valeur=0).delete()
        return
    try:
        if int(cache.decr(cle)) <= 0:
            cache.delete(cle)
    except ValueError:  # nothing counted any more
        pass


def effacer(limite: Limite, sujet: str) -> None:
    if _en_base():
        Compteur.objects.filter(cle=limite.cle(sujet)).delete()
        return
    cache.delete(limite.cle(sujet))


def purger() -> int:
    """Delete the counters whose window has passed."""
    return Compteur.objects.filter(expire_le__lte=_maintenant()).delete()[0]
