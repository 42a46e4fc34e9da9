"""What the helpdesk sees of a voter, and the one thing it may change: the réassort lock.

The helpdesk answers callers who lost track of their account or code. It needs the
voter's *state* (account activated, code issued, réassort locked, voted or not), never a
secret: no password, answer, NUMEN, code or hash is read from the database here (the
queries name their columns), and nothing here can set one.

Searching runs on a table of 1.4 million voters: only prefix searches, which an index
serves (see the migration of this app for PostgreSQL's), at least two characters, pages
of a fixed size fetched one row beyond to know whether another follows (no COUNT over
the table), and a bounded depth: beyond it, the member refines the search.

Lifting the lock comes after an identity check: the member types what the caller says
(date and place of birth), the server compares it with the roll and says only whether it
matches. The checks are counted per voter (3 a day) and per member (30 an hour), so that
nobody at the helpdesk can find a voter's birth data by trying.
"""

import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils.crypto import salted_hmac

from isoloir.accounts.models import Compte, Electeur
from isoloir.assistance.models import DemandeAssistance
from isoloir.assistance.services import ActionImpossible
from isoloir.audit.services import journaliser
from isoloir.booth.models import Emargement
from isoloir.core import limites
from isoloir.elections.models import Inscription, Scrutin
from isoloir.notify import services as courriels
from isoloir.votecode import reassort
from isoloir.votecode.models import CodeDeVote, Origine

TAILLE_PAGE = 25
PAGES_MAX = 20
LONGUEUR_MIN = 2

# What a page may read of a voter: identity and state, no hash.
CHAMPS_VISIBLES = (
    "pk",
    "civilite",
    "nom_naissance",
    "nom_usage",
    "prenoms",
    "etablissement",
    "active_le",
    "compte__email",
    "compte__is_active",
)


@dataclass(frozen=True)
class Resultats:
    electeurs: list[Electeur]
    page: int
    precedente: bool
    suivante: bool
    message: str = ""


def rechercher(texte: str, page: int = 1) -> Resultats:
    """Voters whose professional address, name (birth or usage) or establishment starts
    with ``texte``. With several words, the first is the name and the others the first
    names (``dupont marie``), or the whole is the establishment's beginning."""
    texte = " ".join((texte or "").split())
    if len(texte) < LONGUEUR_MIN:
        return Resultats([], 1, False, False, f"Saisissez au moins {LONGUEUR_MIN} caractères.")
    page = min(max(page, 1), PAGES_MAX)
    if "@" in texte:
        filtre = Q(compte__email__startswith=texte.lower())
    else:
        nom, *prenoms = texte.split(" ")
        par_nom = Q(nom_naissance__istartswith=nom) | Q(nom_usage__istartswith=nom)
        for prenom in prenoms:
            par_nom &= Q(prenoms__icontains=prenom)
        filtre = par_nom | Q(etablissement__istartswith=texte)
    debut = (page - 1) * TAILLE_PAGE
    lignes = list(
        Electeur.objects.filter(filtre)
        .select_related("compte")
        .only(*(c for c in CHAMPS_VISIBLES if c != "pk"))
        .order_by("nom_naissance", "prenoms", "pk")[debut : debut + TAILLE_PAGE + 1]
    )
    suivante = len(lignes) > TAILLE_PAGE
    message = ""
    if suivante and page == PAGES_MAX:
        suivante = False
        message = "Trop de résultats : précisez la recherche (nom et prénom, ou adresse)."
    elif not lignes:
        message = "Aucun électeur ne correspond à cette recherche."
    return Resultats(lignes[:TAILLE_PAGE], page, page > 1, suivante, message)


def journaliser_recherche(texte: str, resultats: Resultats, *, agent: Compte, ip: str) -> None:
    """Who searched the roll, from where, for what kind of criterion and with how many
    voters shown: a member browsing voters they have no call about leaves a trace. The
    term itself is personal data (a name, an address): only a keyed hash of it is kept,
    enough to check a suspected term against the journal, useless without the key."""
    texte = " ".join((texte or "").split())
    if len(texte) < LONGUEUR_MIN:
        critere = "trop_court"
    elif "@" in texte:
        critere = "adresse"
    else:
        critere = "nom_ou_etablissement"
    journaliser(
        "assistance.recherche",
        compte_id=agent.pk,
        ip=ip,
        critere=critere,
        mots=len(texte.split(" ")) if texte else 0,
        resultats=len(resultats.electeurs),
        page=resultats.page,
        suite=resultats.suivante,
        empreinte_terme=salted_hmac(
            "isoloir.assistance.recherche", texte.lower(), algorithm="sha256"
        ).hexdigest()[:32],
    )


@dataclass(frozen=True)
class CodeEmis:
    origine: str
    emis_le: datetime
    generation: int


@dataclass(frozen=True)
class ParticipationAuScrutin:
    scrutin: Scrutin
    a_vote: bool


@dataclass(frozen=True)
class EtatDeLElecteur:
    electeur: Electeur
    code: CodeEmis | None
    reassort_verrouille: bool
    scrutins: list[ParticipationAuScrutin]
    demandes: list[DemandeAssistance]


def electeur_visible(electeur_id: int) -> Electeur:
    return (
        Electeur.objects.select_related("compte")
        .only(*(c for c in CHAMPS_VISIBLES if c != "pk"))
        .get(pk=electeur_id)
    )


def consulter(*, electeur_id: int, agent: Compte, ip: str) -> EtatDeLElecteur:
    """The voter's state page, journaled: who looked at whom, and when."""
    electeur = electeur_visible(electeur_id)
    code = (
        CodeDeVote.objects.filter(electeur_id=electeur.pk)
        .values("origine", "emis_le", "generation")
        .first()
    )
    inscriptions = (
        Inscription.objects.filter(electeur_id=electeur.pk)
        .select_related("scrutin", "scrutin__campagne")
        .order_by("-scrutin__campagne__ouverture", "scrutin__ordre", "scrutin__intitule")
    )
    votes = set(
        Emargement.objects.filter(inscription__electeur_id=electeur.pk).values_list(
            "inscription_id", flat=True
        )
    )
    journaliser("assistance.consultation", compte_id=agent.pk, ip=ip, electeur=electeur.pk)
    return EtatDeLElecteur(
        electeur=electeur,
        code=CodeEmis(
            origine=Origine(code["origine"]).label,
            emis_le=code["emis_le"],
            generation=code["generation"],
        )
        if code
        else None,
        reassort_verrouille=reassort.est_verrouille(electeur),
        scrutins=[ParticipationAuScrutin(i.scrutin, i.pk in votes) for i in inscriptions],
        demandes=list(
            # Those filed from the account, and the anonymous ones typed with its address;
            # not those another logged-in account typed this address into.
            DemandeAssistance.objects.filter(
                Q(compte_id=electeur.compte_id)
                | Q(compte__isnull=True, email=electeur.compte.email)
            ).order_by("-cree_le")[:20]
        ),
    )


# --- Identity check and unlock ------------------------------------------------------------

VERIFICATIONS_PAR_ELECTEUR = limites.Limite("assistance-identite", 3, 24 * 3600)
VERIFICATIONS_PAR_AGENT = limites.Limite("assistance-identite-agent", 30, 3600)

FORMAT_LIEU = re.compile(r"^(?:\d{2}|2[AB])\d{3}$")


def normaliser_lieu(saisie: str) -> str:
    return "".join((saisie or "").split()).upper()


class IdentiteNonConcordante(ActionImpossible):
    def __init__(self) -> None:
        # Never which of the two differs: the check must not help guess either.
        super().__init__(
            "Les informations données ne correspondent pas à celles de la liste électorale. "
            "Le verrou n'est pas levé."
        )


class TropDeVerifications(ActionImpossible):
    def __init__(self) -> None:
        super().__init__(
            "Le nombre de vérifications d'identité autorisé est atteint pour cet électeur "
            "aujourd'hui (ou pour vous, cette heure-ci). Réessayez plus tard."
        )


def _concorde(electeur: Electeur, date_naissance: date, lieu: str) -> bool:
    attendu_lieu = electeur.commune_naissance or electeur.pays_naissance
    # Both compared every time, in constant time, so the answer's delay tells nothing.
    date_ok = hmac.compare_digest(date_naissance.isoformat(), electeur.date_naissance.isoformat())
    lieu_ok = hmac.compare_digest(normaliser_lieu(lieu), attendu_lieu.upper())
    return date_ok and lieu_ok


def lever_le_verrou(
    *, electeur_id: int, agent: Compte, date_naissance: date, lieu_naissance: str, ip: str
) -> None:
    """Check the caller's identity against the roll and, if it matches, lift the lock of
    the voter's réassort and tell their professional address."""
    electeur = Electeur.objects.select_related("compte").get(pk=electeur_id)
    if not reassort.est_verrouille(electeur):
        raise ActionImpossible("Le réassort de cet électeur n'est pas verrouillé : rien à lever.")
    essais = limites.compter(VERIFICATIONS_PAR_ELECTEUR, str(electeur.pk))
    essais_agent = limites.compter(VERIFICATIONS_PAR_AGENT, str(agent.pk))
    if limites.depasse(VERIFICATIONS_PAR_ELECTEUR, essais) or limites.depasse(
        VERIFICATIONS_PAR_AGENT, essais_agent
    ):
        journaliser(
            "assistance.verification_identite",
            compte_id=agent.pk,
            ip=ip,
            electeur=electeur.pk,
            resultat="refusee_limite",
        )
        raise TropDeVerifications
    if not _concorde(electeur, date_naissance, lieu_naissance):
        journaliser(
            "assistance.verification_identite",
            compte_id=agent.pk,
            ip=ip,
            electeur=electeur.pk,
            resultat="discordante",
            essai=essais,
        )
        raise IdentiteNonConcordante
    with transaction.atomic():
        journaliser(
            "assistance.verification_identite",
            compte_id=agent.pk,
            ip=ip,
            electeur=electeur.pk,
            resultat="concordante",
            essai=essais,
        )
        courriels.programmer(
            type_courriel="reassort_deverrouille",
            compte_id=electeur.compte_id,
            destinataire=electeur.compte.email,
            contexte={},
        )
        journaliser(
            "assistance.deverrouillage",
            compte_id=agent.pk,
            ip=ip,
            electeur=electeur.pk,
            electeur_compte=electeur.compte_id,
        )
        # Last, once everything else is written: a failure above leaves the lock on.
        reassort.lever_le_verrou(electeur)
