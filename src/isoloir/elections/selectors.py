"""Reads of the elections domain, for the portal and the mails, and the roll import's
progress for the back-office page that follows it."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Concat, Upper

from isoloir.accounts.models import Electeur
from isoloir.core import horloge
from isoloir.core.progression import Barre, Progression
from isoloir.core.texte import nombre
from isoloir.elections.calendrier import Periode, calendrier, consultation_ouverte
from isoloir.elections.import_liste.etats import arrete
from isoloir.elections.models import (
    ETATS_ACTIFS,
    Campagne,
    Candidat,
    EtatImport,
    ImportListe,
    Inscription,
    ListeCandidats,
    Scrutin,
)


class Phase(StrEnum):
    A_VENIR = "a_venir"
    OUVERT = "ouvert"
    CLOS = "clos"


@dataclass(frozen=True)
class Fenetre:
    ouverture: datetime
    cloture: datetime

    def phase(self, maintenant: datetime | None = None) -> Phase:
        maintenant = maintenant or horloge.maintenant()
        if maintenant < self.ouverture:
            return Phase.A_VENIR
        if maintenant < self.cloture:
            return Phase.OUVERT
        return Phase.CLOS

    def prochaine_echeance(self, maintenant: datetime | None = None) -> datetime | None:
        """The opening before it, the closing during it, nothing after."""
        phase = self.phase(maintenant)
        if phase is Phase.A_VENIR:
            return self.ouverture
        if phase is Phase.OUVERT:
            return self.cloture
        return None


@dataclass(frozen=True)
class CompteARebours:
    """What the "Je vote" countdown shows: time to the next deadline, in whole minutes."""

    phase: Phase
    maintenant: datetime
    echeance: datetime | None
    jours: int = 0
    heures: int = 0
    minutes: int = 0


def compte_a_rebours(fenetre: Fenetre, maintenant: datetime | None = None) -> CompteARebours:
    maintenant = maintenant or horloge.maintenant()
    phase = fenetre.phase(maintenant)
    echeance = fenetre.prochaine_echeance(maintenant)
    if echeance is None:
        return CompteARebours(phase=phase, maintenant=maintenant, echeance=None)
    reste = max(0, int((echeance - maintenant).total_seconds() // 60))
    return CompteARebours(
        phase=phase,
        maintenant=maintenant,
        echeance=echeance,
        jours=reste // 1440,
        heures=reste % 1440 // 60,
        minutes=reste % 60,
    )


def campagne_de(electeur: Electeur) -> Campagne | None:
    """The campaign of the voter's rolls, the latest one if there are several."""
    return (
        Campagne.objects.filter(scrutins__inscriptions__electeur=electeur)
        .order_by("-ouverture")
        .first()
    )


def fenetre_de(campagne: Campagne) -> Fenetre:
    return Fenetre(campagne.ouverture, campagne.cloture)


def fenetre_du_scrutin(scrutin: Scrutin) -> Fenetre:
    return Fenetre(*scrutin.fenetre)


def scrutins_de(electeur: Electeur, campagne: Campagne | None = None) -> QuerySet[Scrutin]:
    scrutins = Scrutin.objects.filter(inscriptions__electeur=electeur).select_related("campagne")
    if campagne is not None:
        scrutins = scrutins.filter(campagne=campagne)
    return scrutins.order_by("ordre", "intitule")


def scrutins_avec_listes(electeur: Electeur, campagne: Campagne) -> QuerySet[Scrutin]:
    listes = ListeCandidats.objects.order_by("ordre").prefetch_related(
        Prefetch("candidats", queryset=Candidat.objects.order_by("rang"))
    )
    return scrutins_de(electeur, campagne).prefetch_related(Prefetch("listes", queryset=listes))


def liste_visible_par(electeur: Electeur, liste_id: int) -> ListeCandidats | None:
    """A candidate list of one of the voter's scrutins, or None."""
    return (
        ListeCandidats.objects.filter(pk=liste_id, scrutin__inscriptions__electeur=electeur)
        .select_related("scrutin__campagne")
        .first()
    )


def effectifs_des_scrutins(electeur: Electeur, campagne: Campagne) -> QuerySet[Scrutin]:
    """The voter's scrutins with the number of voters on each roll."""
    # A subquery, not Count() on the join: the join is already filtered on this voter.
    inscrits = (
        Inscription.objects.filter(scrutin=OuterRef("pk"))
        .values("scrutin")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return scrutins_de(electeur, campagne).annotate(
        nombre_inscrits=Subquery(inscrits, output_field=IntegerField())
    )


# --- The rolls, as the voters consult them ---------------------------------------------------

TAILLE_PAGE_LISTE = 50
# From this many voters on, a roll is read by walking the name index (see ListeDUnScrutin).
SEUIL_PARCOURS_PAR_NOM = 20_000
LONGUEUR_MAX_RECHERCHE = 100
# A search shows at most this many voters (20 pages): counting every "M…" of a
# 1.4-million-voter roll takes seconds, and nobody reads 170,000 names; the page asks for
# more letters instead.
PLAFOND_RECHERCHE = 1000
# What a roll shows of a voter: the name and the posting, nothing else (no birth date, no
# address). The query selects only these columns, so nothing more can leak to a template.
COLONNES_LISTE = ("civilite", "nom_naissance", "nom_usage", "prenoms", "etablissement")


@dataclass(frozen=True)
class Consultation:
    """Whether the rolls may be read now, and the period a page names otherwise."""

    ouverte: bool
    periode: Periode | None
    a_venir: bool


def etat_consultation(campagne: Campagne | None) -> Consultation:
    if campagne is None:
        return Consultation(ouverte=False, periode=None, a_venir=False)
    periode = calendrier(campagne).consultation
    return Consultation(
        ouverte=consultation_ouverte(campagne),
        periode=periode,
        a_venir=periode is not None and horloge.maintenant() < periode.debut,
    )


def scrutin_de_l_electeur(
    electeur: Electeur, campagne: Campagne, scrutin_id: int
) -> Scrutin | None:
    """One of the voter's scrutins of this campaign, or None (someone else's, or none)."""
    return scrutins_de(electeur, campagne).filter(pk=scrutin_id).first()


def terme_de_recherche(saisie: str) -> str:
    """The search as typed, spaces collapsed, bounded, control characters dropped (a NUL
    is refused by PostgreSQL); what the name must start with."""
    imprimable = "".join(c if c.isprintable() else " " for c in saisie or "")
    return " ".join(imprimable.split())[:LONGUEUR_MAX_RECHERCHE]


def _filtre_prefixe(terme: str) -> Q:
    """Names starting with ``terme``, case aside, as a range of the ``nom_tri`` index.

    The bounds go through the database's own UPPER, like the key itself, so that both sides
    fold case the same way on SQLite (ASCII only) and PostgreSQL. The LIKE keeps the match
    exact; the range is what lets the planner read only the matching slice of the index.
    The upper bound is the prefix with its last letter or digit moved one up ("DUR" ->
    "DUS"); after a "Z", a "9" or another character no bound is set, since the next
    code point may be punctuation that a linguistic collation ignores.
    """
    filtre = Q(nom_tri__gte=Upper(Value(terme))) & Q(nom_tri__startswith=Upper(Value(terme)))
    dernier = terme[-1].upper()
    # "ß".upper() is "SS" and ligatures unfold too: only a single ASCII letter or digit
    # has a next one.
    if len(dernier) == 1 and dernier.isascii() and dernier.isalnum() and dernier not in "Z9":
        filtre &= Q(nom_tri__lt=Concat(Upper(Value(terme[:-1])), Value(chr(ord(dernier) + 1))))
    return filtre


class ListeDUnScrutin:
    """A scrutin's roll, optionally narrowed to a name prefix, in name order; sliced by
    Django's Paginator, which only asks for ``count()`` and one slice.

    Two ways to read a page, chosen by the roll's size (measured on SQLite with 1.4 million
    voters; plans and figures in tests/elections/test_pages_electeur.py):
    - a small roll is read from its inscriptions (index on the scrutin) and sorted:
      tens of milliseconds up to ``SEUIL_PARCOURS_PAR_NOM`` voters, whatever the page;
    - a large roll walks the ``nom_tri`` index of all voters in order and keeps those of
      the scrutin (a probe in the inscriptions' unique index): a page costs about
      50 x (all voters / roll size) index steps, 1 to 3 ms for the first pages of a
      200,000- or a 1.4-million-voter roll, and a name prefix bounds the walk to its slice.
      Pages past the middle are walked from the end, so the last page is as quick as the
      first; the middle pages of the largest rolls are the slow case (~1-2 s on SQLite).
    A search is counted up to ``PLAFOND_RECHERCHE`` only (``tronquee`` says it went past).
    """

    def __init__(self, scrutin: Scrutin, recherche: str = "") -> None:
        self.scrutin = scrutin
        self.terme = terme_de_recherche(recherche)
        self._effectif: int | None = None
        self._nombre: int | None = None
        self.tronquee = False  # the search matched more than PLAFOND_RECHERCHE voters

    def effectif(self) -> int:
        """Voters on the whole roll (an index-only count)."""
        if self._effectif is None:
            self._effectif = Inscription.objects.filter(scrutin=self.scrutin).count()
        return self._effectif

    def _electeurs(self) -> QuerySet[Electeur]:
        electeurs = Electeur.objects.all()
        if self.terme:
            electeurs = electeurs.filter(_filtre_prefixe(self.terme))
        if self.effectif() >= SEUIL_PARCOURS_PAR_NOM:
            inscrit = Inscription.objects.filter(electeur=OuterRef("pk"), scrutin=self.scrutin)
            return electeurs.filter(Exists(inscrit))
        return electeurs.filter(inscriptions__scrutin=self.scrutin)

    def count(self) -> int:
        if self._nombre is None:
            if self.terme:
                # Counted up to the cap only, in index order, so that the walk stops at
                # the cap's next match (the model's default order would sort them all).
                premiers = self._electeurs().order_by("nom_tri", "id").values("pk")
                trouves = premiers[: PLAFOND_RECHERCHE + 1].count()
                self.tronquee = trouves > PLAFOND_RECHERCHE
                self._nombre = min(trouves, PLAFOND_RECHERCHE)
            else:
                self._nombre = self.effectif()
        return self._nombre

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, tranche: slice) -> list[dict[str, str]]:
        if not isinstance(tranche, slice):
            raise TypeError("Une liste électorale se lit par pages.")
        debut, fin = tranche.start or 0, tranche.stop if tranche.stop is not None else 0
        fin = min(fin, self.count())
        if debut >= fin:
            return []
        electeurs = self._electeurs()
        if debut > self.count() // 2 and not self.tronquee:
            # Walk from the end: the rows before ``debut`` need not be stepped over.
            depuis_la_fin = self.count() - fin
            lignes = list(
                electeurs.order_by("-nom_tri", "-id").values(*COLONNES_LISTE)[
                    depuis_la_fin : depuis_la_fin + (fin - debut)
                ]
            )
            lignes.reverse()
            return lignes
        return list(electeurs.order_by("nom_tri", "id").values(*COLONNES_LISTE)[debut:fin])


def page_de_liste(scrutin: Scrutin, *, recherche: str = "", numero: str | int = 1) -> Page:
    """One page of a scrutin's roll; a page number out of range gives the nearest page."""
    liste = ListeDUnScrutin(scrutin, recherche)
    paginateur: Paginator[dict[str, str]] = Paginator(liste, TAILLE_PAGE_LISTE)  # type: ignore[arg-type]
    return paginateur.get_page(numero)


# --- Professions de foi ----------------------------------------------------------------------


def taille_lisible(octets: int) -> str:
    """« 1,2 Mo », « 61 ko », « 12 octets »: the size a download link announces (RGAA 6.1)."""
    if octets < 1024:
        return f"{octets} octet{'s' if octets > 1 else ''}"
    if octets < 1024 * 1024:
        return f"{round(octets / 1024)} ko"
    return f"{octets / (1024 * 1024):.1f} Mo".replace(".", ",")


def description_profession_de_foi(liste: ListeCandidats) -> str | None:
    """« PDF, 1,2 Mo », or None when the list has no readable profession de foi."""
    if not liste.profession_de_foi:
        return None
    try:
        taille = liste.profession_de_foi.size
    except OSError:  # the file is gone from the storage: offer no dead link
        return None
    return f"PDF, {taille_lisible(taille)}"


# --- The roll import's progress ----------------------------------------------------------------

ETAPES = {
    "attente": "En attente d'un processus de traitement",
    "empreinte": "Lecture de la liste électorale actuelle",
    "lecture": "Lecture et contrôle des lignes du fichier",
    "retraits": "Recherche des électeurs absents du fichier",
    "application": "Enregistrement des lignes du fichier",
}
ETAPES_APPLICATION = {**ETAPES, "retraits": "Retrait des électeurs absents du fichier"}


def _lignes_traitees(n: int) -> str:
    if n == 0:
        return "aucune ligne traitée"
    # French puts 0 and 1 in the singular; 0 has its own words above.
    s = "s" if n > 1 else ""
    return f"{nombre(n)} ligne{s} traitée{s}"


def progression_de_l_import(import_: ImportListe) -> Progression:
    """What the import's progress page shows, for the page itself and for its script
    (core/progression.py): one bar of the file's lines, the step (announced when it
    changes) and, while the import is under way with no worker advancing it, the state
    code ``arrete``, which the page renders with its « Reprendre » button."""
    en_cours = import_.etat in ETATS_ACTIFS
    etapes = ETAPES_APPLICATION if import_.etat == EtatImport.APPLICATION else ETAPES
    # In voters' lines, the header left out: a file of 30,000 voters reads "sur 30 000",
    # and the worker's checkpoint is the number of the last line done (the first voter's
    # is line 2).
    total = max(import_.lignes_du_fichier - 1, 1)
    faites = max(0, min(import_.lignes_traitees - 1, total))
    if not en_cours:
        faites = total
    pourcentage = int(100 * faites / total)
    etape = etapes.get(import_.phase, "")
    libelle = import_.get_etat_display()
    return Progression(
        etat="arrete" if arrete(import_) else import_.etat,
        libelle=libelle,
        en_cours=en_cours,
        barres=(
            Barre(
                cle="lignes",
                faits=faites,
                total=total,
                texte=f"{pourcentage} % — {_lignes_traitees(faites)} sur {nombre(total)}",
            ),
        ),
        annonce=etape if en_cours else f"{libelle}.",
        valeurs={"etape": etape},
    )
