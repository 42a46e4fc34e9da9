"""The roll import in the espace de gestion: upload, background check, differences,
application, progress, errors, and who may do it."""

import html
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from isoloir.accounts.models import Compte, Electeur
from isoloir.audit.models import Evenement
from isoloir.core import horloge
from isoloir.elections.import_liste import application, depot, etats
from isoloir.elections.import_liste.en_une_fois import importer_liste_electorale
from isoloir.elections.import_liste.rapport import RapportImport
from isoloir.elections.models import EtatImport, ImportListe, Inscription
from isoloir.elections.selectors import progression_de_l_import
from tests.concurrence import en_meme_temps
from tests.elections.test_import_liste import (
    NUMEN_A,
    NUMEN_B,
    campagne_des_tests,
    csv,
    etat,
    ligne,
    ligne_b,
    sans_numen,
)
from tests.factories import numen_de
from tests.second_facteur import verifier_second_facteur

# Real commits: the tasks are queued on commit and the worker closes the connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def campagne(creer_campagne, creer_scrutin):
    return campagne_des_tests(creer_campagne, creer_scrutin)


@pytest.fixture(autouse=True)
def _dossier_propre(settings, tmp_path) -> None:
    """Each test its own folder of stored files, to see which ones remain."""
    settings.DATA_DIR = tmp_path


@pytest.fixture
def administrateur() -> Compte:
    compte = Compte.objects.create_user("admin@isoloir.localhost", None, is_staff=True)
    compte.groups.add(Group.objects.get(name="Administration des élections"))
    return compte


@pytest.fixture
def admin_client(client: Client, administrateur: Compte) -> Client:
    verifier_second_facteur(client, administrateur)
    return client


def url(nom: str, campagne, pk: int | None = None) -> str:
    kwargs: dict[str, object] = {"slug": campagne.slug}
    if pk is not None:
        kwargs["pk"] = pk
    return reverse(f"gestion_listes:{nom}", kwargs=kwargs)


def deposer(client: Client, campagne, contenu: bytes, nom: str = "liste.csv"):
    fichier = io.BytesIO(contenu)
    fichier.name = nom
    return client.post(url("importer", campagne), {"fichier": fichier})


def texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


def dernier_import() -> ImportListe:
    return ImportListe.objects.latest("pk")


def verifier_puis_afficher(client: Client, campagne, executer_taches) -> tuple[ImportListe, str]:
    executer_taches()
    import_ = dernier_import()
    return import_, texte(client.get(url("suivi", campagne, import_.pk)))


def test_depot_verification_difference_puis_application(
    admin_client, campagne, administrateur, executer_taches
) -> None:
    page = admin_client.get(url("importer", campagne))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()

    reponse = deposer(admin_client, campagne, csv(ligne(), ligne_b()).getvalue())
    import_ = dernier_import()
    assert reponse["Location"] == url("suivi", campagne, import_.pk)
    assert import_.etat == EtatImport.DEPOSE
    assert len(import_.empreinte) == 64 and Path(import_.chemin).exists()
    # Before the worker: the progress page, which refreshes itself without JavaScript.
    html = admin_client.get(reponse["Location"]).content.decode()
    assert '<progress id="barre-import"' in html
    assert '<meta http-equiv="refresh" content="5">' in html
    assert 'src="/static/isoloir/js/progression.js" nonce="' in html
    assert 'aria-live="polite"' in html

    import_, html = verifier_puis_afficher(admin_client, campagne, executer_taches)
    assert import_.etat == EtatImport.VERIFIE
    assert "Fichier vérifié : 2 électeurs concernés" in html
    assert '<th scope="row">Électeurs ajoutés</th><td>2</td>' in html
    assert '<th scope="row">Campodifiori</th>' in html
    assert "inscrit à cap-certifies, csa-men" in html
    assert Electeur.objects.count() == 0  # the check writes nothing to the roll
    assert sans_numen(html, NUMEN_A, NUMEN_B)

    reponse = admin_client.post(url("appliquer", campagne, import_.pk))
    assert reponse["Location"] == url("suivi", campagne, import_.pk)
    html = admin_client.get(reponse["Location"]).content.decode()
    assert "Liste électorale en cours de mise à jour" in html
    assert "partiellement mise à jour" in html
    import_, html = verifier_puis_afficher(admin_client, campagne, executer_taches)
    assert import_.etat == EtatImport.APPLIQUE
    assert "Liste électorale mise à jour" in html
    assert '<th scope="row">Inscriptions ajoutées</th><td>4</td>' in html
    assert Electeur.objects.count() == 2 and Inscription.objects.count() == 4
    # The stored copy, with its NUMENs in clear, is gone.
    assert import_.chemin == "" and not list(depot.dossier_des_imports().iterdir())
    evenement = Evenement.objects.get(type="liste_electorale.importee")
    assert evenement.compte_id == administrateur.pk
    assert evenement.details["import_liste"] == import_.pk


def test_reimport_ne_montre_et_n_applique_que_les_differences(
    admin_client, campagne, creer_electeur, executer_taches
) -> None:
    lignes = [
        ligne(numen=numen_de(500 + i), email_professionnel=f"agent{i}@ac-lyon.fr") for i in range(6)
    ]
    importer_liste_electorale(campagne=campagne, fichier=csv(*lignes))
    inchange = Electeur.objects.get(compte__email="agent0@ac-lyon.fr")
    avant = list(Inscription.objects.filter(electeur=inchange).values_list("pk", flat=True))
    # One changes school, one leaves, one arrives.
    lignes[1]["etablissement"] = "Lycée Saint-Exupéry"
    lignes[2]["scrutins"] = "csa-men"
    depart = lignes.pop(3)
    lignes.append(ligne_b())

    deposer(admin_client, campagne, csv(*lignes).getvalue())
    import_, html = verifier_puis_afficher(admin_client, campagne, executer_taches)

    rapport = RapportImport.depuis_json(import_.rapport)
    assert (
        rapport.electeurs_ajoutes,
        rapport.electeurs_modifies,
        rapport.electeurs_retires,
        rapport.electeurs_inchanges,
    ) == (1, 2, 1, 3)
    assert rapport.champs_modifies == {"établissement": 1}
    assert rapport.par_scrutin == {
        "csa-men": [1, 1],
        "csa-ac-lyon": [1, 0],
        "cap-certifies": [0, 2],
    }
    assert [e["champs"] for e in rapport.echantillons["modifies"]] == [
        ["établissement"],
        ["scrutins"],
    ]
    assert "retiré de cap-certifies" in html
    assert '<th scope="row">Électeurs retirés</th><td>1</td>' in html
    assert '<th scope="row">Électeurs inchangés</th><td>3</td>' in html

    admin_client.post(url("appliquer", campagne, import_.pk))
    executer_taches()
    import_.refresh_from_db()
    applique = RapportImport.depuis_json(import_.compteurs)
    for champ in (
        "electeurs_ajoutes",
        "electeurs_modifies",
        "electeurs_retires",
        "electeurs_inchanges",
        "par_scrutin",
        "champs_modifies",
    ):
        assert getattr(applique, champ) == getattr(rapport, champ), champ
    # The unchanged voter kept the very same inscriptions; the one who left has none here.
    assert list(Inscription.objects.filter(electeur=inchange).values_list("pk", flat=True)) == (
        avant
    )
    assert not Inscription.objects.filter(electeur__compte__email=depart["email_professionnel"])
    assert Compte.objects.filter(email=depart["email_professionnel"]).exists()


def test_progression_en_json(admin_client, campagne, executer_taches) -> None:
    deposer(admin_client, campagne, csv(ligne(), ligne_b()).getvalue())
    import_ = dernier_import()
    donnees = admin_client.get(url("progression", campagne, import_.pk)).json()
    assert donnees == {
        "etat": "depose",
        "libelle": "En attente de vérification",
        "en_cours": True,
        "barres": [
            # Voters' lines, the header left out (issue 12, item 14: "ligne 0 sur 30001").
            {"cle": "lignes", "faits": 0, "total": 2, "texte": "0 % — aucune ligne traitée sur 2"}
        ],
        "annonce": "En attente d'un processus de traitement",
        "valeurs": {"etape": "En attente d'un processus de traitement"},
    }
    ImportListe.objects.filter(pk=import_.pk).update(
        etat=EtatImport.VERIFICATION, phase="lecture", lignes_traitees=2
    )
    donnees = admin_client.get(url("progression", campagne, import_.pk)).json()
    assert (donnees["annonce"], donnees["valeurs"], donnees["barres"][0]) == (
        "Lecture et contrôle des lignes du fichier",
        {"etape": "Lecture et contrôle des lignes du fichier"},
        {"cle": "lignes", "faits": 1, "total": 2, "texte": "50 % — 1 ligne traitée sur 2"},
    )
    ImportListe.objects.filter(pk=import_.pk).update(etat=EtatImport.DEPOSE)
    executer_taches()
    donnees = admin_client.get(url("progression", campagne, import_.pk)).json()
    assert (donnees["etat"], donnees["en_cours"], donnees["barres"][0]["faits"]) == (
        "verifie",
        False,
        2,
    )
    assert donnees["annonce"] == "Vérifié, prêt à appliquer."


def test_fichier_refuse_erreurs_ligne_par_ligne_et_csv_sans_numen(
    admin_client, campagne, executer_taches
) -> None:
    contenu = csv(
        ligne(), ligne_b(civilite=NUMEN_B, scrutins="csa-zzz"), ligne(numen=NUMEN_A.lower())
    ).getvalue()
    deposer(admin_client, campagne, contenu)
    import_, html = verifier_puis_afficher(admin_client, campagne, executer_taches)

    assert import_.etat == EtatImport.REFUSE
    assert "Fichier refusé : 4 erreurs" in html
    assert "Scrutin « csa-zzz » inconnu dans cette campagne." in html
    assert import_.chemin == "" and not list(depot.dossier_des_imports().iterdir())
    reponse = admin_client.get(url("erreurs", campagne, import_.pk))
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"] == (
        f'attachment; filename="erreurs-import-{import_.pk}.csv"'
    )
    texte = reponse.content.decode("utf-8-sig")
    assert texte.splitlines() == [
        "ligne;colonne;erreur",
        "3;civilite;Civilité (valeur masquée) inconnue : « Mme » ou « M. ».",
        "3;scrutins;Scrutin « csa-zzz » inconnu dans cette campagne.",
        "4;numen;NUMEN déjà présent ligne 2.",
        "4;email_professionnel;Adresse déjà présente ligne 2.",
    ]
    assert sans_numen(texte + html, NUMEN_A, NUMEN_B)
    assert Electeur.objects.count() == 0


def test_appliquer_deux_fois_n_applique_qu_une_fois(
    admin_client, campagne, executer_taches
) -> None:
    deposer(admin_client, campagne, csv(ligne()).getvalue())
    executer_taches()
    import_ = dernier_import()
    admin_client.post(url("appliquer", campagne, import_.pk))
    reponse = admin_client.post(url("appliquer", campagne, import_.pk), follow=True)
    assert "Cet import n'est pas prêt à être appliqué : il est « application en cours »." in (
        texte(reponse)
    )
    executer_taches()
    assert Evenement.objects.filter(type="liste_electorale.importee").count() == 1
    assert Evenement.objects.filter(type="liste_electorale.application_demandee").count() == 1
    assert Inscription.objects.count() == 2


def test_appliquer_refuse_si_la_liste_a_change_depuis_la_verification(
    admin_client, campagne, creer_electeur, executer_taches
) -> None:
    deposer(admin_client, campagne, csv(ligne(), ligne_b()).getvalue())
    executer_taches()
    import_ = dernier_import()
    # Someone adds a voter to the roll between the check and the application.
    intrus = creer_electeur(campagne.scrutins.get(code="csa-men"))
    avant = etat()

    admin_client.post(url("appliquer", campagne, import_.pk))
    import_, html = verifier_puis_afficher(admin_client, campagne, executer_taches)

    assert import_.etat == EtatImport.PERIME
    assert etat()[:3] == avant[:3]
    assert "La liste électorale a changé depuis la vérification du fichier" in html
    assert "Vérifier à nouveau" in html
    # Checked again, the differences now include the newcomer's removal.
    admin_client.post(url("reprendre", campagne, import_.pk))
    import_, html = verifier_puis_afficher(admin_client, campagne, executer_taches)
    assert import_.etat == EtatImport.VERIFIE
    rapport = RapportImport.depuis_json(import_.rapport)
    assert rapport.electeurs_retires == 1
    assert rapport.echantillons["retires"][0]["nom"] == intrus.nom


def test_appliquer_refuse_un_fichier_modifie_depuis_la_verification(
    admin_client, campagne, executer_taches
) -> None:
    deposer(admin_client, campagne, csv(ligne()).getvalue())
    executer_taches()
    import_ = dernier_import()
    Path(import_.chemin).write_bytes(csv(ligne(), ligne_b()).getvalue())
    admin_client.post(url("appliquer", campagne, import_.pk))
    executer_taches()
    import_.refresh_from_db()
    assert (import_.etat, import_.message) == (EtatImport.PERIME, etats.MESSAGE_FICHIER_CHANGE)
    assert Electeur.objects.count() == 0


def test_un_second_import_pendant_le_premier_est_refuse(
    admin_client, campagne, executer_taches
) -> None:
    deposer(admin_client, campagne, csv(ligne()).getvalue())
    page = deposer(admin_client, campagne, csv(ligne_b()).getvalue())
    assert page.status_code == 200
    assert "Un import de la liste électorale de cette campagne est déjà en cours" in (
        page.content.decode()
    )
    assert ImportListe.objects.count() == 1
    assert len(list(depot.dossier_des_imports().iterdir())) == 1
    # Once checked, a new file replaces the one waiting to be applied.
    executer_taches()
    premier = dernier_import()
    deposer(admin_client, campagne, csv(ligne_b()).getvalue())
    premier.refresh_from_db()
    assert (premier.etat, premier.chemin) == (EtatImport.ABANDONNE, "")


@pytest.mark.django_db(transaction=True)
def test_deux_depots_simultanes_un_seul_accepte(campagne) -> None:
    def deposer_en_meme_temps(n: int) -> object:
        return depot.deposer(campagne=campagne, fichier=csv(ligne(prenoms=f"P{n}")))

    resultats = en_meme_temps(deposer_en_meme_temps, [1, 2, 3])
    refus = [r for r in resultats if isinstance(r, etats.ImportRefuse)]
    assert len(refus) == 2, resultats
    assert all(str(r) == etats.MESSAGE_IMPORT_EN_COURS for r in refus)
    assert ImportListe.objects.filter(etat=EtatImport.DEPOSE).count() == 1


def test_une_application_en_cours_bloque_la_commande(admin_client, campagne, executer_taches):
    deposer(admin_client, campagne, csv(ligne()).getvalue())
    executer_taches()
    application.demander_application(dernier_import())
    rapport = importer_liste_electorale(campagne=campagne, fichier=csv(ligne_b()))
    assert [e.raison for e in rapport.erreurs] == [etats.MESSAGE_IMPORT_EN_COURS]


def test_abandonner_supprime_le_fichier(admin_client, campagne, executer_taches) -> None:
    deposer(admin_client, campagne, csv(ligne()).getvalue())
    executer_taches()
    import_ = dernier_import()
    reponse = admin_client.post(url("abandonner", campagne, import_.pk), follow=True)
    assert "Import abandonné : le fichier conservé a été supprimé." in texte(reponse)
    import_.refresh_from_db()
    assert (import_.etat, import_.chemin) == (EtatImport.ABANDONNE, "")
    assert admin_client.post(url("appliquer", campagne, import_.pk)).status_code == 302
    assert Electeur.objects.count() == 0


def test_import_arrete_se_reprend_depuis_la_page(admin_client, campagne, executer_taches) -> None:
    deposer(admin_client, campagne, csv(ligne()).getvalue())
    import_ = dernier_import()
    # A worker took the check, then died: its heartbeat stops.
    ImportListe.objects.filter(pk=import_.pk).update(
        etat=EtatImport.VERIFICATION,
        jeton="mort",
        battement=import_.depose_le - etats.DELAI_DE_SILENCE,
    )
    html = admin_client.get(url("suivi", campagne, import_.pk)).content.decode()
    assert "L'import semble arrêté" in html
    # A state of its own: the page, rendered with its « Reprendre » button, stops reloading.
    donnees = admin_client.get(url("progression", campagne, import_.pk)).json()
    assert (donnees["etat"], donnees["en_cours"]) == ("arrete", True)
    assert 'data-progression-etat="arrete"' in html
    # Without JavaScript too: no refresh every 5 s of a page that waits for a click.
    assert 'http-equiv="refresh"' not in html
    admin_client.post(url("reprendre", campagne, import_.pk))
    executer_taches()
    import_.refresh_from_db()
    assert import_.etat == EtatImport.VERIFIE


def test_un_import_vivant_n_est_pas_repris(admin_client, campagne, executer_taches) -> None:
    deposer(admin_client, campagne, csv(ligne()).getvalue())
    import_ = dernier_import()
    ImportListe.objects.filter(pk=import_.pk).update(
        etat=EtatImport.VERIFICATION, jeton="vivant", battement=import_.depose_le
    )
    reponse = admin_client.post(url("reprendre", campagne, import_.pk), follow=True)
    assert "Cet import n'est pas arrêté : rien à reprendre." in texte(reponse)
    executer_taches()
    import_.refresh_from_db()
    assert (import_.etat, import_.jeton) == (EtatImport.VERIFICATION, "vivant")


def test_assistance_et_anonymes_refuses(client, campagne, executer_taches) -> None:
    importer_liste_electorale(campagne=campagne, fichier=csv(ligne()), simulation=True)
    import_ = dernier_import()
    lectures = [url("importer", campagne)] + [
        url(nom, campagne, import_.pk) for nom in ("suivi", "progression", "erreurs")
    ]
    ecritures = [url("importer", campagne)] + [
        url(nom, campagne, import_.pk) for nom in ("appliquer", "reprendre", "abandonner")
    ]
    for adresse in lectures:
        assert client.get(adresse).status_code == 302  # to the login

    assistant = Compte.objects.create_user("assistance@ac-lyon.fr", None, is_staff=True)
    assistant.groups.add(Group.objects.get(name="Assistance"))
    verifier_second_facteur(client, assistant)
    for adresse in lectures:
        assert client.get(adresse).status_code == 403, adresse
    for adresse in ecritures:
        assert client.post(adresse).status_code == 403, adresse
    assert deposer(client, campagne, csv(ligne()).getvalue()).status_code == 403
    assert ImportListe.objects.count() == 1 and Electeur.objects.count() == 0


def test_import_d_une_autre_campagne_introuvable(
    admin_client, campagne, creer_campagne, executer_taches
) -> None:
    importer_liste_electorale(campagne=campagne, fichier=csv(ligne()), simulation=True)
    autre = creer_campagne(slug="autre")
    assert admin_client.get(url("suivi", autre, dernier_import().pk)).status_code == 404


def test_la_page_de_la_campagne_mene_a_l_import(admin_client, campagne) -> None:
    html = admin_client.get(reverse("gestion:campagne", args=[campagne.slug])).content.decode()
    assert url("importer", campagne) in html


def test_un_scrutin_scelle_entre_verification_et_application_arrete_tout(
    admin_client, campagne, executer_taches, monkeypatch
) -> None:
    """The check found nothing sealed; the bureau seals the CSA before the application:
    the first batch is refused whole and the import stops with the reason."""
    deposer(admin_client, campagne, csv(ligne(), ligne_b()).getvalue())
    executer_taches()
    import_ = dernier_import()
    csa = campagne.scrutins.get(code="csa-men").pk
    monkeypatch.setattr(application, "scrutins_scelles", lambda ids: {csa} & set(ids))
    admin_client.post(url("appliquer", campagne, import_.pk))
    import_, html = verifier_puis_afficher(admin_client, campagne, executer_taches)

    assert import_.etat == EtatImport.INTERROMPU
    assert import_.message == (
        "La liste électorale de csa-men est scellée par le bureau de vote : elle ne peut "
        "plus changer. Rien n'a été enregistré."
    )
    assert "Import interrompu" in html
    assert Electeur.objects.count() == 0 and Inscription.objects.count() == 0


def _en_lecture(*, lignes_du_fichier: int, lignes_traitees: int) -> ImportListe:
    return ImportListe(
        etat=EtatImport.VERIFICATION,
        phase="lecture",
        lignes_du_fichier=lignes_du_fichier,
        lignes_traitees=lignes_traitees,
        battement=horloge.maintenant(),
    )


def test_progression_d_un_grand_fichier() -> None:
    """30,000 voters and their header: the page counts voters' lines, grouped by thousands."""
    en_cours = _en_lecture(lignes_du_fichier=30_001, lignes_traitees=3_601)
    assert progression_de_l_import(en_cours).barre["lignes"].texte == (
        "12 % — 3\xa0600 lignes traitées sur 30\xa0000"
    )


@pytest.mark.parametrize(
    ("lignes_traitees", "texte"),
    [
        (1, "0 % — aucune ligne traitée sur 4"),
        (2, "25 % — 1 ligne traitée sur 4"),
        (3, "50 % — 2 lignes traitées sur 4"),
    ],
)
def test_progression_accorde_les_lignes(lignes_traitees: int, texte: str) -> None:
    """French puts 0 and 1 in the singular: « 1 ligne traitée », never « 1 lignes »."""
    en_cours = _en_lecture(lignes_du_fichier=5, lignes_traitees=lignes_traitees)
    assert progression_de_l_import(en_cours).barre["lignes"].texte == texte
