"""A roll file from HR that no longer lists what an accepted réclamation added: the check
names those voters, the administrator keeps them or not, and the application (resumed
after a crash or not) does exactly what was chosen."""

import html
import io
import uuid
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from isoloir.accounts.models import Compte, Electeur
from isoloir.audit.models import Evenement
from isoloir.audit.services import verifier_chaine
from isoloir.core import dates, horloge
from isoloir.elections.import_liste import application, depot, verification
from isoloir.elections.import_liste.en_une_fois import importer_liste_electorale
from isoloir.elections.import_liste.rapport import RapportImport
from isoloir.elections.models import Campagne, EtatImport, ImportListe, Inscription, Scrutin
from isoloir.gestion.roles import RoleDeGestion
from isoloir.reclamations import services as reclamations
from isoloir.reclamations.models import Reclamation
from tests.elections.test_import_liste import (
    CODES,
    NUMEN_A,
    NUMEN_B,
    csv,
    ligne,
    ligne_b,
    sans_numen,
    texte_csv,
)
from tests.factories import numen_de
from tests.second_facteur import verifier_second_facteur

NUMEN_C = numen_de(103)  # the person on no roll whom a claim adds
NUMEN_D = numen_de(104)  # a voter HR removes, with no claim: an ordinary removal


@pytest.fixture(autouse=True)
def _dossier_propre(settings, tmp_path) -> None:
    settings.DATA_DIR = tmp_path


@pytest.fixture
def campagne(creer_campagne, creer_scrutin) -> Campagne:
    return campagne_ouverte_aux_reclamations(creer_campagne, creer_scrutin)


def campagne_ouverte_aux_reclamations(creer_campagne, creer_scrutin) -> Campagne:
    """The import tests' six scrutins, in a campaign whose claim period runs now."""
    maintenant = horloge.maintenant()
    campagne = creer_campagne(
        slug="elections-2026",
        ouverture=maintenant + timedelta(days=20),
        publication_des_listes=maintenant - timedelta(days=1),
    )
    for code in CODES:
        creer_scrutin(campagne, code=code, intitule=f"Scrutin {code}")
    return campagne


@pytest.fixture
def administrateur() -> Compte:
    compte = Compte.objects.create_user("gestion@isoloir.localhost", None, is_staff=True)
    compte.groups.add(Group.objects.get(name=RoleDeGestion.ADMINISTRATION.groupe))
    return compte


def ligne_d() -> dict[str, str]:
    return ligne(
        numen=NUMEN_D,
        nom_naissance="Durand",
        prenoms="Denis",
        email_professionnel="denis.durand@ac-lyon.fr",
        scrutins="csa-men",
    )


def fichier_rh() -> io.BytesIO:
    """HR's file, after the claims as before them: A, B; D has left."""
    return csv(ligne(), ligne_b())


def scrutin(campagne: Campagne, code: str) -> Scrutin:
    return Scrutin.objects.get(campagne=campagne, code=code)


def accepter(reclamation: Reclamation, administrateur: Compte, **decision) -> Reclamation:
    reclamations.accepter(
        reclamation_id=reclamation.pk,
        compte=administrateur,
        decision=reclamations.Decision(**decision),
    )
    reclamation.refresh_from_db()
    return reclamation


@pytest.fixture
def reclamations_acceptees(campagne, administrateur) -> tuple[Reclamation, Reclamation]:
    return importer_puis_accepter_deux_reclamations(campagne, administrateur)


def importer_puis_accepter_deux_reclamations(
    campagne: Campagne, administrateur: Compte
) -> tuple[Reclamation, Reclamation]:
    """The roll imported from HR (A, B, D); then two accepted claims: B was missing from
    cap-agreges, and Jean Paul Oubli, on no roll, is added to ccp-contractuels."""
    rapport = importer_liste_electorale(
        campagne=campagne, fichier=csv(ligne(), ligne_b(), ligne_d())
    )
    assert not rapport.refuse, rapport.erreurs
    b = Electeur.objects.get(compte__email="bao-long.nguyen@ac-lyon.fr")
    omission = reclamations.deposer(
        electeur=b,
        campagne=campagne,
        type="omission",
        scrutin=scrutin(campagne, "cap-agreges"),
        explication="Agrégé depuis le 1er septembre.",
        jeton=uuid.uuid4(),
    ).reclamation
    sans_compte = reclamations.deposer_sans_compte(
        scrutin=scrutin(campagne, "ccp-contractuels"),
        explication="Recruté au 1er septembre, je ne figure sur aucune liste.",
        identite={
            "civilite": "M.",
            "nom_naissance": "Oubli",
            "nom_usage": "",
            "prenoms": "Jean Paul",
            "date_naissance": date(1985, 3, 2),
            "etablissement": "Collège Jean Moulin",
        },
        email="jean-paul.oubli@ac-lyon.fr",
        jeton=uuid.uuid4(),
        ip="198.51.100.7",
    ).reclamation
    return (
        accepter(omission, administrateur),
        accepter(sans_compte, administrateur, numen=NUMEN_C),
    )


def inscrits(campagne: Campagne) -> set[tuple[str, str]]:
    return set(
        Inscription.objects.filter(scrutin__campagne=campagne).values_list(
            "electeur__nom_naissance", "scrutin__code"
        )
    )


AVANT = {
    ("Campodifiori", "csa-men"),
    ("Campodifiori", "cap-certifies"),
    ("Nguyen", "csa-men"),
    ("Nguyen", "csa-ac-lyon"),
    ("Durand", "csa-men"),
}
PAR_RECLAMATION = {("Nguyen", "cap-agreges"), ("Oubli", "ccp-contractuels")}


def verifier_le_fichier_rh(campagne: Campagne) -> ImportListe:
    import_ = depot.deposer(campagne=campagne, fichier=fichier_rh())
    rapport = verification.verifier(import_.pk)
    assert rapport is not None and not rapport.refuse, rapport and rapport.erreurs
    import_.refresh_from_db()
    return import_


# --- The check names them ------------------------------------------------------------------


@pytest.mark.django_db
def test_la_verification_nomme_les_inscrits_par_reclamation_que_le_fichier_retire(
    campagne, reclamations_acceptees
) -> None:
    omission, sans_compte = reclamations_acceptees
    assert inscrits(campagne) == AVANT | PAR_RECLAMATION

    import_ = verifier_le_fichier_rh(campagne)

    rapport = RapportImport.depuis_json(import_.rapport)
    # D's removal is ordinary; the two lines the claims added are named, with their claim.
    assert rapport.electeurs_retires == 2  # D and Jean Paul Oubli
    assert [
        (r["nom"], r["prenoms"], r["scrutin"], r["reclamation"]) for r in rapport.retraits_reclames
    ] == [
        ("Nguyen", "Bao Long", "cap-agreges", omission.reference),
        ("Oubli", "Jean Paul", "ccp-contractuels", sans_compte.reference),
    ]
    assert [r.decidee_le for r in rapport.retraits_par_reclamation()] == [
        omission.decide_le,
        sans_compte.decide_le,
    ]
    assert sans_numen(str(import_.rapport), NUMEN_A, NUMEN_B, NUMEN_C, NUMEN_D)
    assert inscrits(campagne) == AVANT | PAR_RECLAMATION  # the check writes nothing


@pytest.mark.django_db
def test_une_inscription_que_rh_a_listee_depuis_la_reclamation_n_est_plus_signalee(
    campagne, reclamations_acceptees
) -> None:
    """Once HR's own file lists what the claim added, HR knows of it: a later file
    without it is HR's decision, an ordinary removal."""
    rapport = importer_liste_electorale(
        campagne=campagne, fichier=csv(ligne(), ligne_b(scrutins="csa-men|csa-ac-lyon|cap-agreges"))
    )
    assert not rapport.refuse, rapport.erreurs
    assert [r["nom"] for r in rapport.retraits_reclames] == ["Oubli"]

    import_ = verifier_le_fichier_rh(campagne)

    # Nguyen's cap-agreges goes as an ordinary change; Oubli, kept and still unknown to
    # HR, is named again.
    rapport = RapportImport.depuis_json(import_.rapport)
    assert [r["nom"] for r in rapport.retraits_reclames] == ["Oubli"]
    assert "cap-agreges" in rapport.echantillons["modifies"][0]["retraits"]


# --- The application honours the choice -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("conserver", [True, False])
def test_l_application_conserve_ou_retire_selon_le_choix(
    campagne, reclamations_acceptees, administrateur, conserver
) -> None:
    import_ = verifier_le_fichier_rh(campagne)
    application.demander_application(
        import_, compte_id=administrateur.pk, ip="10.0.0.1", conserver_reclamations=conserver
    )

    rapport = application.appliquer(import_.pk)

    assert rapport is not None
    sans_durand = AVANT - {("Durand", "csa-men")}
    assert inscrits(campagne) == (sans_durand | PAR_RECLAMATION if conserver else sans_durand)
    assert rapport.inscriptions_conservees == (2 if conserver else 0)
    demande = Evenement.objects.filter(type="liste_electorale.application_demandee").latest("pk")
    assert demande.details["conserver_reclamations"] is conserver
    assert demande.details["retraits_reclames"] == 2
    assert sorted(demande.details["reclamations"]) == sorted(r.pk for r in reclamations_acceptees)
    importee = Evenement.objects.filter(type="liste_electorale.importee").latest("pk")
    assert importee.details["inscriptions_conservees"] == (2 if conserver else 0)
    assert verifier_chaine() is None
    if conserver:
        # Kept, they stay protected: the same file again warns about them again.
        suivant = verifier_le_fichier_rh(campagne)
        assert len(RapportImport.depuis_json(suivant.rapport).retraits_reclames) == 2


class Panne(Exception):
    """The worker dies here: its batch is rolled back, its lease left behind."""


@pytest.mark.django_db
@pytest.mark.parametrize("conserver", [True, False])
@pytest.mark.parametrize("etape", ["lignes", "retraits"])
def test_le_choix_survit_a_la_reprise(
    campagne, reclamations_acceptees, administrateur, monkeypatch, conserver, etape
) -> None:
    import_ = verifier_le_fichier_rh(campagne)
    application.demander_application(import_, conserver_reclamations=conserver)
    # One row, one removal per batch, and a death at the second batch of the step.
    monkeypatch.setattr(application, "TAILLE_LOT", 1)
    monkeypatch.setattr(application, "LOT_DE_RETRAITS", 1)
    nom = "_appliquer" if etape == "lignes" else "_retirer_un_lot"
    vraie, appels = getattr(application, nom), []

    def mourir_au_deuxieme(*args, **kwargs):
        appels.append(1)
        if len(appels) == 2:
            raise Panne
        return vraie(*args, **kwargs)

    monkeypatch.setattr(application, nom, mourir_au_deuxieme)
    with pytest.raises(Panne):
        application.appliquer(import_.pk)
    monkeypatch.setattr(application, nom, vraie)
    import_.refresh_from_db()
    assert import_.etat == EtatImport.APPLICATION
    assert import_.phase == ("application" if etape == "lignes" else "retraits")

    # Resumed by the command line, which says nothing of the choice: the stored one holds.
    rapport = importer_liste_electorale(
        campagne=campagne, fichier=fichier_rh(), reprendre=True, conserver_reclamations=True
    )

    assert not rapport.refuse, rapport.erreurs
    import_.refresh_from_db()
    assert import_.etat == EtatImport.APPLIQUE
    sans_durand = AVANT - {("Durand", "csa-men")}
    assert inscrits(campagne) == (sans_durand | PAR_RECLAMATION if conserver else sans_durand)


@pytest.mark.django_db
def test_la_commande_conserve_par_defaut(campagne, reclamations_acceptees) -> None:
    rapport = importer_liste_electorale(campagne=campagne, fichier=fichier_rh())
    assert inscrits(campagne) == AVANT - {("Durand", "csa-men")} | PAR_RECLAMATION
    assert any("réclamation" in phrase for phrase in rapport.resume())


@pytest.mark.django_db
def test_la_commande_nomme_puis_retire_sur_demande(
    campagne, reclamations_acceptees, tmp_path
) -> None:
    fichier = tmp_path / "liste.csv"
    fichier.write_bytes(fichier_rh().getvalue())
    sortie = io.StringIO()
    call_command(
        "import_electeurs", "--campagne", campagne.slug, "--simulation", str(fichier), stdout=sortie
    )
    assert "le fichier retire 2 inscription(s) ajoutée(s) par une réclamation acceptée" in (
        sortie.getvalue()
    )
    assert "Oubli Jean Paul, ccp-contractuels : réclamation R-" in sortie.getvalue()
    assert sans_numen(sortie.getvalue(), NUMEN_A, NUMEN_B, NUMEN_C, NUMEN_D)

    call_command(
        "import_electeurs",
        "--campagne",
        campagne.slug,
        "--retirer-inscrits-par-reclamation",
        str(fichier),
        stdout=sortie,
    )
    assert inscrits(campagne) == AVANT - {("Durand", "csa-men")}
    assert "Inscriptions ajoutées par une réclamation acceptée retirées" in sortie.getvalue()


# --- The page -------------------------------------------------------------------------------


def url(nom: str, campagne: Campagne, pk: int) -> str:
    return reverse(f"gestion_listes:{nom}", kwargs={"slug": campagne.slug, "pk": pk})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("choix", "conserver"), [("conserver", True), ("retirer", False)])
def test_la_page_avertit_par_nom_et_applique_le_choix(
    client: Client,
    campagne,
    reclamations_acceptees,
    administrateur,
    executer_taches,
    choix,
    conserver,
) -> None:
    omission, sans_compte = reclamations_acceptees
    verifier_second_facteur(client, administrateur)
    fichier = io.BytesIO(texte_csv(ligne(), ligne_b()).encode())
    fichier.name = "liste.csv"
    client.post(
        reverse("gestion_listes:importer", kwargs={"slug": campagne.slug}), {"fichier": fichier}
    )
    executer_taches()
    import_ = ImportListe.objects.latest("pk")
    assert import_.etat == EtatImport.VERIFIE

    page = html.unescape(client.get(url("suivi", campagne, import_.pk)).content.decode())

    alerte = page[page.index('<div class="fr-alert fr-alert--warning" id="retraits-reclames"') :]
    alerte = alerte[: alerte.index("</form>")]
    assert "2 inscriptions ajoutées par une réclamation acceptée" in alerte
    for attendu in (
        "Nguyen",
        "Bao Long",
        "Scrutin cap-agreges",
        omission.reference,
        dates.date_fr(omission.decide_le),
        "Oubli",
        "Jean Paul",
        "Scrutin ccp-contractuels",
        sans_compte.reference,
    ):
        assert attendu in alerte
    # An explicit choice, keeping them checked: the administration accepted those claims.
    assert (
        'type="radio" id="reclamations-conserver" name="reclamations" value="conserver" checked'
        in alerte
    )
    assert 'value="retirer"' in alerte
    assert sans_numen(page, NUMEN_A, NUMEN_B, NUMEN_C, NUMEN_D)

    client.post(url("appliquer", campagne, import_.pk), {"reclamations": choix})
    import_.refresh_from_db()
    assert import_.conserver_reclamations is conserver
    executer_taches()

    import_.refresh_from_db()
    assert import_.etat == EtatImport.APPLIQUE
    sans_durand = AVANT - {("Durand", "csa-men")}
    assert inscrits(campagne) == (sans_durand | PAR_RECLAMATION if conserver else sans_durand)
    page = html.unescape(client.get(url("suivi", campagne, import_.pk)).content.decode())
    if conserver:
        assert "2 inscriptions ajoutées par une réclamation acceptée conservées" in page


@pytest.mark.django_db(transaction=True)
def test_un_choix_inconnu_est_refuse_en_francais(
    client: Client, campagne, reclamations_acceptees, administrateur
) -> None:
    verifier_second_facteur(client, administrateur)
    import_ = verifier_le_fichier_rh(campagne)
    reponse = client.post(
        url("appliquer", campagne, import_.pk), {"reclamations": "peut-etre"}, follow=True
    )
    assert "Choisissez de conserver ou de retirer" in html.unescape(reponse.content.decode())
    import_.refresh_from_db()
    assert import_.etat == EtatImport.VERIFIE
