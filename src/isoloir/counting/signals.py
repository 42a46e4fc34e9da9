"""Nothing a bureau has sealed may change (issue 5 § 3, docs/scellement.md).

The house rule is "nothing clever in signals"; this is the exception, on purpose: a seal
must hold whichever path writes (a service, the admin, a shell, a management command), and
``pre_save`` / ``pre_delete`` are the one place every ORM write of a single object goes
through. The receivers only refuse: they raise :class:`ScrutinScelle` before anything is
written, and change nothing. Writes that skip signals (``QuerySet.update``,
``bulk_create``, raw SQL) are caught later by :func:`isoloir.counting.scellement.verifier`,
which stops the count.

:func:`refus_de_modification` and :func:`refus_de_suppression` give the refusal as a
message without raising, for the admin's forms (elections/admin.py).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_delete, pre_save

from isoloir.accounts.models import Electeur
from isoloir.booth.models import CleDeScrutin
from isoloir.core.dates import date_heure_fr
from isoloir.counting.models import BureauDeVote, MembreDuBureau, RattachementAuBureau, Scellement
from isoloir.elections.models import Campagne, Candidat, Inscription, ListeCandidats, Scrutin

# Set only while the demo reloads itself (isoloir demo): its bureau starts over.
_demonstration_rechargee: ContextVar[bool] = ContextVar("demonstration_rechargee", default=False)


@contextmanager
def rechargement_de_la_demonstration() -> Iterator[None]:
    """Let ``isoloir demo`` reload a campaign whose bureau sealed it in an earlier run:
    its seal, key and count are thrown away with the rest. Refused in production, where
    nothing may undo a seal."""
    if settings.PRODUCTION:
        raise RuntimeError("un scellement ne se défait pas en production")
    jeton = _demonstration_rechargee.set(True)
    try:
        yield
    finally:
        _demonstration_rechargee.reset(jeton)


class ScrutinScelle(ValidationError):
    """A change to something a bureau has sealed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="scrutin_scelle")
        self.texte = message

    def __str__(self) -> str:
        return self.texte


def _scellement(scrutin_id: int | None) -> Scellement | None:
    if scrutin_id is None:
        return None
    return (
        Scellement.objects.filter(
            bureau__rattachements__scrutin_id=scrutin_id, scelle_le__isnull=False
        )
        .select_related("bureau")
        .first()
    )


def _message(scrutin_id: int, scellement: Scellement, quoi: str, suppression: bool = False) -> str:
    intitule = Scrutin.objects.filter(pk=scrutin_id).values_list("intitule", flat=True).first()
    assert scellement.scelle_le is not None  # _scellement() reads only sealed ones
    le = date_heure_fr(scellement.scelle_le, jour_de_semaine=True)
    verbe, rien = ("supprimer", "supprimé") if suppression else ("modifier", "enregistré")
    return (
        f"Le scrutin « {intitule} » est scellé par le bureau de vote « {scellement.bureau.nom} » "
        f"depuis le {le} : impossible de {verbe} {quoi}. Rien n'a été {rien}."
    )


def _avant(instance: models.Model, champs: list[str]) -> dict[str, Any] | None:
    """The stored values of these fields, or None for a new object."""
    if instance.pk is None:
        return None
    return type(instance)._default_manager.filter(pk=instance.pk).values(*champs).first()


def _change(instance: models.Model, avant: dict[str, Any] | None, champs: list[str]) -> bool:
    return avant is None or any(getattr(instance, c) != avant[c] for c in champs)


# What each model's sealed part is, and how the refusal names it.
_CHAMPS_SCRUTIN = {
    "campagne_id": "son rattachement à la campagne",
    "code": "son code",
    "intitule": "son intitulé",
    "type": "son type",
    "perimetre": "son périmètre",
    "ouverture": "sa période de vote",
    "cloture": "sa période de vote",
    "sieges_titulaires": "son nombre de sièges",
    "sieges_suppleants": "son nombre de sièges",
}
_CHAMPS_LISTE = ["scrutin_id", "ordre", "sigle", "denomination", "union", "profession_de_foi"]
_CHAMPS_CANDIDAT = ["liste_id", "rang", "civilite", "nom", "prenoms"]
_CHAMPS_CAMPAGNE = ["slug", "ouverture", "cloture"]


def _liste_scrutin(liste_id: int | None) -> int | None:
    if liste_id is None:
        return None
    return ListeCandidats.objects.filter(pk=liste_id).values_list("scrutin_id", flat=True).first()


def _refus_scrutin(instance: Scrutin) -> str | None:
    scellement = _scellement(instance.pk)
    if scellement is None:
        return None
    avant = _avant(instance, list(_CHAMPS_SCRUTIN))
    if avant is None:
        return None
    for champ, quoi in _CHAMPS_SCRUTIN.items():
        if getattr(instance, champ) != avant[champ]:
            return _message(instance.pk, scellement, quoi)
    return None


def _refus_par_scrutin(
    instance: models.Model, scrutins: list[int | None], champs: list[str], quoi: str
) -> str | None:
    for scrutin_id in dict.fromkeys(scrutins):
        scellement = _scellement(scrutin_id)
        if (
            scellement is not None
            and scrutin_id is not None
            and _change(instance, _avant(instance, champs), champs)
        ):
            return _message(scrutin_id, scellement, quoi)
    return None


def refus_de_modification(instance: models.Model) -> str | None:
    """Why saving ``instance`` (with its new values) would break a seal, in French; None
    if it would not."""
    if isinstance(instance, Scrutin):
        return _refus_scrutin(instance)
    if isinstance(instance, ListeCandidats):
        avant = _avant(instance, ["scrutin_id"])
        return _refus_par_scrutin(
            instance,
            [instance.scrutin_id, avant["scrutin_id"] if avant else None],
            _CHAMPS_LISTE,
            "ses listes de candidats",
        )
    if isinstance(instance, Candidat):
        avant = _avant(instance, ["liste_id"])
        return _refus_par_scrutin(
            instance,
            [
                _liste_scrutin(instance.liste_id),
                _liste_scrutin(avant["liste_id"] if avant else None),
            ],
            _CHAMPS_CANDIDAT,
            "ses candidats",
        )
    if isinstance(instance, Inscription):
        avant = _avant(instance, ["scrutin_id"])
        return _refus_par_scrutin(
            instance,
            [instance.scrutin_id, avant["scrutin_id"] if avant else None],
            ["scrutin_id", "electeur_id"],
            "sa liste électorale",
        )
    if isinstance(instance, CleDeScrutin):
        avant = _avant(instance, ["scrutin_id"])
        return _refus_par_scrutin(
            instance,
            [instance.scrutin_id, avant["scrutin_id"] if avant else None],
            ["scrutin_id", "cle_publique", "origine"],
            "sa clé de chiffrement",
        )
    if isinstance(instance, RattachementAuBureau):
        return _refus_rattachement(instance)
    if isinstance(instance, Campagne):
        return _refus_campagne(instance)
    if isinstance(instance, Electeur):
        return _refus_electeur(instance)
    if isinstance(instance, BureauDeVote):
        return _refus_bureau(instance.pk, instance, ["campagne_id", "nom", "seuil"])
    if isinstance(instance, MembreDuBureau):
        avant = _avant(instance, ["bureau_id"])
        for bureau_id in dict.fromkeys([instance.bureau_id, avant["bureau_id"] if avant else None]):
            refus = _refus_bureau(bureau_id, instance, _CHAMPS_MEMBRE)
            if refus:
                return refus
    return None


_CHAMPS_MEMBRE = ["bureau_id", "compte_id", "role", "liste_id", "detenteur_de_cle"]


def _refus_bureau(bureau_id: int | None, instance: models.Model, champs: list[str]) -> str | None:
    """The seal covers the bureau's name and threshold, and who sits on it in which role
    (the count checks the président and the délégués against it)."""
    scelle = Scellement.objects.filter(bureau_id=bureau_id, scelle_le__isnull=False).first()
    if scelle is None or not _change(instance, _avant(instance, champs), champs):
        return None
    return (
        f"Le bureau de vote « {scelle.bureau.nom} » est scellé : impossible de modifier sa "
        "composition, son nom ou son seuil. Rien n'a été enregistré."
    )


def _refus_rattachement(instance: RattachementAuBureau) -> str | None:
    avant = _avant(instance, ["bureau_id", "scrutin_id"])
    if avant == {"bureau_id": instance.bureau_id, "scrutin_id": instance.scrutin_id}:
        return None
    bureaux = {instance.bureau_id, avant["bureau_id"] if avant else None} - {None}
    scelle = Scellement.objects.filter(bureau_id__in=bureaux, scelle_le__isnull=False).first()
    if scelle is None:
        for scrutin_id in (instance.scrutin_id, avant["scrutin_id"] if avant else None):
            scelle = _scellement(scrutin_id)
            if scelle is not None:
                break
    if scelle is None:
        return None
    return (
        f"Le bureau de vote « {scelle.bureau.nom} » est scellé : impossible de modifier ses "
        "scrutins. Rien n'a été enregistré."
    )


def _refus_campagne(instance: Campagne) -> str | None:
    avant = _avant(instance, _CHAMPS_CAMPAGNE)
    if avant is None or not _change(instance, avant, _CHAMPS_CAMPAGNE):
        return None
    scelles = Scellement.objects.filter(bureau__campagne_id=instance.pk, scelle_le__isnull=False)
    if not scelles.exists():
        return None
    return (
        f"La campagne « {instance.nom} » a des bureaux de vote scellés : impossible de "
        "modifier ses dates de vote ou son identifiant. Rien n'a été enregistré."
    )


def _refus_electeur(instance: Electeur) -> str | None:
    avant = _avant(instance, ["numen_empreinte"])
    if avant is None or avant["numen_empreinte"] == instance.numen_empreinte:
        return None
    for scrutin_id in Inscription.objects.filter(electeur_id=instance.pk).values_list(
        "scrutin_id", flat=True
    ):
        scellement = _scellement(scrutin_id)
        if scellement is not None:
            return _message(scrutin_id, scellement, "l'identifiant de ses électeurs")
    return None


def refus_de_suppression(instance: models.Model) -> str | None:
    """Why deleting ``instance`` would break a seal, in French; None if it would not."""
    scrutin_id: int | None
    if isinstance(instance, Scrutin):
        scrutin_id, quoi = instance.pk, "ce scrutin"
    elif isinstance(instance, ListeCandidats):
        scrutin_id, quoi = instance.scrutin_id, "une de ses listes de candidats"
    elif isinstance(instance, Candidat):
        scrutin_id, quoi = _liste_scrutin(instance.liste_id), "un de ses candidats"
    elif isinstance(instance, Inscription):
        scrutin_id, quoi = instance.scrutin_id, "une inscription de sa liste électorale"
    elif isinstance(instance, CleDeScrutin):
        scrutin_id, quoi = instance.scrutin_id, "sa clé de chiffrement"
    elif isinstance(instance, RattachementAuBureau):
        scrutin_id, quoi = instance.scrutin_id, "son rattachement au bureau"
    elif isinstance(instance, Scellement):
        if instance.scelle_le is None:
            return None
        return "Un scellement ne se supprime pas. Rien n'a été supprimé."
    elif isinstance(instance, MembreDuBureau):
        if Scellement.objects.filter(
            bureau_id=instance.bureau_id, scelle_le__isnull=False
        ).exists():
            return (
                "Le bureau de vote est scellé : impossible de retirer un de ses membres. Rien "
                "n'a été supprimé."
            )
        return None
    else:
        return None
    scellement = _scellement(scrutin_id)
    if scellement is None or scrutin_id is None:
        return None
    return _message(scrutin_id, scellement, quoi, suppression=True)


MODELES_SCELLES: tuple[type[models.Model], ...] = (
    Campagne,
    Scrutin,
    ListeCandidats,
    Candidat,
    Inscription,
    CleDeScrutin,
    RattachementAuBureau,
    Electeur,
    BureauDeVote,
    MembreDuBureau,
)


def refuser_la_modification(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    if _demonstration_rechargee.get():
        return
    message = refus_de_modification(instance)
    if message:
        raise ScrutinScelle(message)


def refuser_la_suppression(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    if _demonstration_rechargee.get():
        return
    message = refus_de_suppression(instance)
    if message:
        raise ScrutinScelle(message)


def connecter() -> None:
    for modele in MODELES_SCELLES:
        pre_save.connect(
            refuser_la_modification, sender=modele, dispatch_uid=f"scelle-save-{modele.__name__}"
        )
    supprimables: tuple[type[models.Model], ...] = (*MODELES_SCELLES, Scellement)
    for supprimable in supprimables:
        pre_delete.connect(
            refuser_la_suppression,
            sender=supprimable,
            dispatch_uid=f"scelle-delete-{supprimable.__name__}",
        )
