"""Issuing and consuming single-use links: the one mechanism behind every link we mail.

A link is valid while it is neither used, revoked nor expired. Issuing a new link of a
given purpose revokes the older ones of the same account, so only the latest mail works.
Consuming locks the row, so two simultaneous uses of one link give one success.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction

from isoloir.core import horloge
from isoloir.links.models import LienUsageUnique, Usage

TOKEN_BYTES = 32  # 256 bits, above the 128 the requirements ask for


class LienInvalide(Exception):
    """Base of the reasons a link cannot be used; ``message`` is shown to the person."""

    message = "Ce lien n'est pas valide. Vérifiez que vous avez copié l'adresse en entier."


class LienInconnu(LienInvalide):
    pass


class LienExpire(LienInvalide):
    message = "Ce lien a expiré. Demandez-en un nouveau."


class LienDejaUtilise(LienInvalide):
    message = "Ce lien a déjà été utilisé. Chaque lien ne sert qu'une seule fois."


class LienRemplace(LienInvalide):
    message = "Ce lien a été remplacé par un lien plus récent. Utilisez le dernier message reçu."


def empreinte(jeton: str) -> str:
    return hashlib.sha256(jeton.encode()).hexdigest()


def emettre(
    *, usage: Usage, compte_id: int, duree: timedelta, contexte: dict[str, Any] | None = None
) -> tuple[LienUsageUnique, str]:
    """Create a link and return it with its token, which exists nowhere else afterwards."""
    jeton = secrets.token_urlsafe(TOKEN_BYTES)
    maintenant = horloge.maintenant()
    with transaction.atomic():
        LienUsageUnique.objects.filter(
            compte_id=compte_id, usage=usage, utilise_le__isnull=True, revoque_le__isnull=True
        ).update(revoque_le=maintenant)
        lien = LienUsageUnique.objects.create(
            usage=usage,
            compte_id=compte_id,
            empreinte_jeton=empreinte(jeton),
            contexte=contexte or {},
            cree_le=maintenant,
            expire_le=maintenant + duree,
        )
    return lien, jeton


def _verifier(lien: LienUsageUnique | None) -> LienUsageUnique:
    if lien is None:
        raise LienInconnu
    if lien.utilise_le is not None:
        raise LienDejaUtilise
    if lien.revoque_le is not None:
        raise LienRemplace
    if lien.expire_le <= horloge.maintenant():
        raise LienExpire
    return lien


def consulter(*, usage: Usage, jeton: str) -> LienUsageUnique:
    """The valid link behind ``jeton``, without using it (a GET must not burn a link:
    mail scanners open links before the person does)."""
    if not jeton or len(jeton) > 200:
        raise LienInconnu
    lien = (
        LienUsageUnique.objects.select_related("compte")
        .filter(usage=usage, empreinte_jeton=empreinte(jeton))
        .first()
    )
    return _verifier(lien)


def consommer(*, usage: Usage, jeton: str) -> LienUsageUnique:
    """Mark the link used. Must run inside the caller's transaction, which holds the row
    lock until the work the link allows is committed with it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("consommer() doit être appelé dans une transaction.")
    if not jeton or len(jeton) > 200:
        raise LienInconnu
    lien = (
        LienUsageUnique.objects.select_for_update()
        .filter(usage=usage, empreinte_jeton=empreinte(jeton))
        .first()
    )
    lien = _verifier(lien)
    lien.utilise_le = horloge.maintenant()
    lien.save(update_fields=["utilise_le"])
    return lien


def revoquer_tout(*, compte_id: int, usage: Usage) -> int:
    return LienUsageUnique.objects.filter(
        compte_id=compte_id, usage=usage, utilise_le__isnull=True, revoque_le__isnull=True
    ).update(revoque_le=horloge.maintenant())
