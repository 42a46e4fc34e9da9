"""The key holders' devices, played by the pure protocol code as they would run it: each
keeps its secrets (z_j, then x_j) and publishes only what the protocol says. Shared by the
tests of the ceremony, the seal, the count, the PV and the archive."""

from datetime import timedelta

from isoloir.core import horloge
from isoloir.counting import ceremonie, scellement
from isoloir.counting.models import EtatCeremonie, MembreDuBureau, Scellement
from isoloir.crypto import seuil
from isoloir.crypto.groupe import AleaSysteme

# The scrutin of tests/scrutin_de_vote.py opened an hour ago; the bureau seals before that.
AVANT_L_OUVERTURE = timedelta(hours=-2)


class Detenteur:
    """A key holder's device: keeps z and x_j, publishes only what the protocol says."""

    def __init__(self, membre: MembreDuBureau) -> None:
        self.membre = membre
        self.z, self.cle_communication = seuil.generer_cle_communication(AleaSysteme())
        self.x: bytes | None = None


def ceremonie_complete(bureau) -> tuple[object, dict[str, Detenteur]]:
    c = ceremonie.ouvrir(bureau)
    detenteurs = {
        m.compte.email.split("@")[0]: Detenteur(m)
        for m in bureau.membres.filter(detenteur_de_cle=True).select_related("compte")
    }
    for d in detenteurs.values():
        ceremonie.publier_cle_de_communication(c, d.membre, d.cle_communication)
    c.refresh_from_db()
    assert c.etat == EtatCeremonie.DISTRIBUTION
    contexte = ceremonie.contexte(c)
    for d in detenteurs.values():
        j = ceremonie.indice(c, d.membre)
        distribution = seuil.distribuer(contexte, j, AleaSysteme())
        ceremonie.publier_distribution(c, d.membre, distribution.vers_dict())
    c.refresh_from_db()
    assert c.etat == EtatCeremonie.RECEPTION
    receptions = {}
    for nom, d in detenteurs.items():
        j = ceremonie.indice(c, d.membre)
        receptions[nom] = seuil.recevoir(
            contexte, j, d.z, ceremonie.distributions(c), AleaSysteme()
        )
        ceremonie.publier_reception(c, d.membre, [p.vers_dict() for p in receptions[nom].plaintes])
    c.refresh_from_db()
    assert c.etat == EtatCeremonie.CLOSE
    cle = ceremonie.cle_du_bureau(c)
    for nom, d in detenteurs.items():
        d.x = seuil.cle_de_detenteur(cle, receptions[nom])
    return c, detenteurs


def signature_de(c, h: Detenteur, empreinte: str) -> dict:
    """What holder h's device sends to sign the seal: x_j never leaves it."""
    assert h.x is not None
    j = ceremonie.indice(c, h.membre)
    cle = ceremonie.cle_du_bureau(c)
    return seuil.signer_scellement(cle, j, h.x, bytes.fromhex(empreinte), AleaSysteme()).vers_dict()


def sceller(
    bureau, c, detenteurs: dict[str, Detenteur], signataires=("presidente", "delegue-fsu")
) -> Scellement:
    """Before the opening: the seal proposed, then signed by the président and a délégué."""
    with horloge.decalee_de(AVANT_L_OUVERTURE):
        s = scellement.proposer(bureau)
        for nom in signataires:
            h = detenteurs[nom]
            s = scellement.signer(bureau, h.membre, signature_de(c, h, s.empreinte))
    return s
