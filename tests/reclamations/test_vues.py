"""The claim pages: who sees what, filing from the portal with and without an account, and
the back-office's list, detail and decisions."""

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from isoloir.accounts.models import Compte
from isoloir.audit.models import Evenement
from isoloir.core import horloge
from isoloir.elections.models import Inscription
from isoloir.gestion.roles import RoleDeGestion
from isoloir.reclamations import pieces, services
from isoloir.reclamations.models import Reclamation, StatutReclamation
from isoloir.reclamations.services import depot
from tests.reclamations.conftest import FAUX_PDF, NUMEN_NOUVEAU, PDF, Situation, sceller
from tests.second_facteur import verifier_second_facteur

pytestmark = pytest.mark.django_db

DEPOSER = "/portail/reclamations/nouvelle/"
SANS_COMPTE = "/portail/reclamations/sans-compte/"
MES_RECLAMATIONS = "/portail/reclamations/"
LISTE = "/gestion/reclamations/"


def test_adresses() -> None:
    assert reverse("reclamations:deposer") == DEPOSER
    assert reverse("reclamations:deposer_sans_compte") == SANS_COMPTE
    assert reverse("reclamations:mes_reclamations") == MES_RECLAMATIONS
    assert reverse("gestion_reclamations:liste") == LISTE


def jeton(page) -> str:
    trouve = re.search(r'name="jeton" value="([0-9a-f-]{36})"', page.content.decode())
    assert trouve, "pas de jeton dans le formulaire"
    return trouve.group(1)


def cle_captcha(page) -> str:
    trouve = re.search(r'name="captcha_0" value="([^"]+)"', page.content.decode())
    assert trouve, "pas de CAPTCHA dans la page"
    return trouve.group(1)


@pytest.fixture
def voter(client: Client, situation: Situation) -> Client:
    client.force_login(situation.electeur.compte)
    return client


def envoi_electeur(page, **champs) -> dict:
    donnees = {
        "jeton": jeton(page),
        "type": "omission",
        "scrutin": "",
        "explication": "Je suis professeure certifiée depuis 2019.",
    }
    donnees.update(champs)
    return donnees


# --- Portal, with an account -------------------------------------------------------------


def test_deposer_avec_une_piece_puis_confirmation_et_suivi(voter: Client, situation) -> None:
    page = voter.get(DEPOSER)
    assert page.status_code == 200
    assert "Formuler une réclamation" in page.content.decode()
    donnees = envoi_electeur(
        page,
        scrutin=situation.b.pk,
        pieces=[SimpleUploadedFile("arrêté.pdf", PDF, content_type="application/pdf")],
    )
    reponse = voter.post(DEPOSER, donnees)
    reclamation = Reclamation.objects.get()
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("reclamations:confirmation", args=[reclamation.pk])
    confirmation = voter.get(reponse["Location"]).content.decode()
    assert f'<span id="recepisse">{reclamation.reference}</span>' in confirmation
    assert "arrete.pdf" in confirmation

    # The same form again (a double click, a reload): the same claim, said so.
    donnees["pieces"] = [SimpleUploadedFile("arrêté.pdf", PDF, content_type="application/pdf")]
    encore = voter.post(DEPOSER, donnees, follow=True)
    assert Reclamation.objects.count() == 1
    assert "enregistrée qu&#x27;une fois" in encore.content.decode()

    suivi = voter.get(MES_RECLAMATIONS).content.decode()
    assert reclamation.reference in suivi and "Déposée" in suivi
    piece = reclamation.pieces.get()
    telechargement = voter.get(
        reverse("reclamations:piece_jointe", args=[reclamation.pk, piece.pk])
    )
    assert telechargement.status_code == 200
    assert telechargement["Content-Type"] == "application/pdf"
    assert telechargement["Content-Disposition"].startswith("attachment;")
    assert b"".join(telechargement.streaming_content) == PDF


def test_un_faux_pdf_est_refuse_avec_le_formulaire_rempli(voter: Client, situation) -> None:
    page = voter.get(DEPOSER)
    reponse = voter.post(
        DEPOSER,
        envoi_electeur(
            page,
            scrutin=situation.b.pk,
            pieces=[SimpleUploadedFile("bulletin.pdf", FAUX_PDF, content_type="application/pdf")],
        ),
    )
    texte = reponse.content.decode()
    assert reponse.status_code == 200
    assert "n&#x27;est ni un PDF, ni une image JPEG ou PNG" in texte
    assert "Je suis professeure certifiée depuis 2019." in texte
    assert not Reclamation.objects.exists()


def test_erreurs_de_coherence_a_cote_du_champ(voter: Client, situation) -> None:
    page = voter.get(DEPOSER)
    reponse = voter.post(DEPOSER, envoi_electeur(page, scrutin=situation.a.pk))
    assert "Vous figurez déjà sur la liste électorale de ce scrutin." in reponse.content.decode()
    assert 'aria-invalid="true"' in reponse.content.decode()
    reponse = voter.post(DEPOSER, envoi_electeur(page, type="identite", scrutin=situation.a.pk))
    assert "au moins une information d&#x27;identité corrigée" in reponse.content.decode()
    assert not Reclamation.objects.exists()


def test_un_formulaire_sans_jeton_n_est_pas_depose(voter: Client, situation) -> None:
    page = voter.get(DEPOSER)
    donnees = envoi_electeur(page, scrutin=situation.b.pk)
    donnees["jeton"] = "pas-un-jeton"
    reponse = voter.post(DEPOSER, donnees)
    assert "Le formulaire a expiré" in reponse.content.decode()
    assert not Reclamation.objects.exists()
    # The page comes back with a fresh identifier: sent again, it files the claim.
    assert voter.post(DEPOSER, {**donnees, "jeton": jeton(reponse)}).status_code == 302
    assert Reclamation.objects.count() == 1


def test_periode_fermee(voter: Client, situation) -> None:
    with horloge.decalee_de(timedelta(days=12)):
        page = voter.get(DEPOSER).content.decode()
        assert "Réclamations fermées" in page and "ce délai est expiré" in page
        voter.post(DEPOSER, {"jeton": str(uuid.uuid4()), "type": "omission"})
    assert not Reclamation.objects.exists()


def test_un_compte_sans_inscription_est_oriente(client: Client, situation) -> None:
    client.force_login(situation.administrateur)
    page = client.get(DEPOSER).content.decode()
    assert "ne figure sur aucune liste électorale" in page
    assert SANS_COMPTE in page
    assert client.get(MES_RECLAMATIONS).status_code == 200


def test_un_electeur_ne_voit_que_ses_reclamations(
    client: Client, situation, creer_electeur
) -> None:
    reclamation = services.deposer(
        electeur=situation.electeur,
        campagne=situation.campagne,
        type="omission",
        scrutin=situation.b,
        explication="Oubli.",
        jeton=uuid.uuid4(),
        pieces=[pieces.verifier(SimpleUploadedFile("a.pdf", PDF))],
    ).reclamation
    piece = reclamation.pieces.get()
    client.force_login(creer_electeur(situation.a).compte)
    assert reclamation.reference not in client.get(MES_RECLAMATIONS).content.decode()
    assert (
        client.get(reverse("reclamations:confirmation", args=[reclamation.pk])).status_code == 404
    )
    url_piece = reverse("reclamations:piece_jointe", args=[reclamation.pk, piece.pk])
    assert client.get(url_piece).status_code == 404
    client.logout()
    assert client.get(url_piece).status_code == 302  # to the login page
    assert client.get(DEPOSER)["Location"].startswith(reverse("accounts:connexion"))


# --- Portal, without an account ----------------------------------------------------------


def envoi_sans_compte(page, situation, **champs) -> dict:
    donnees = {
        "jeton": jeton(page),
        "civilite": "M.",
        "nom_naissance": "Oubli",
        "prenoms": "Jean",
        "date_naissance": "1985-03-02",
        "email": "jean.oubli@ac-lyon.fr",
        "etablissement": "Collège Jean Moulin",
        "scrutin": situation.c.pk,
        "explication": "Recruté au 1er septembre.",
        "captcha_0": cle_captcha(page),
        "captcha_1": "PASSED",
    }
    donnees.update(champs)
    return donnees


def test_sans_compte_depot_confirmation_et_double_envoi(client: Client, situation) -> None:
    page = client.get(SANS_COMPTE)
    assert page.status_code == 200
    assert 'name="captcha_1"' in page.content.decode()
    donnees = envoi_sans_compte(page, situation)
    reponse = client.post(SANS_COMPTE, donnees)
    reclamation = Reclamation.objects.get()
    assert reclamation.sans_compte and reclamation.electeur is None
    assert reclamation.nom_naissance == "Oubli"
    confirmation = client.get(reponse["Location"]).content.decode()
    assert reclamation.reference in confirmation
    assert "jean.oubli@ac-lyon.fr" in confirmation
    # Posted again, its CAPTCHA already spent: the same claim, not an error.
    encore = client.post(SANS_COMPTE, {**donnees, "captcha_1": "faux"})
    assert encore["Location"] == reponse["Location"]
    assert Reclamation.objects.count() == 1
    # Another browser has no business with this receipt.
    assert Client().get(reponse["Location"]).status_code == 404


def test_sans_compte_captcha_et_champs_obligatoires(client: Client, situation) -> None:
    page = client.get(SANS_COMPTE)
    reponse = client.post(SANS_COMPTE, envoi_sans_compte(page, situation, captcha_1="000000"))
    assert "ne correspondent pas au CAPTCHA" in reponse.content.decode()
    reponse = client.post(
        SANS_COMPTE,
        envoi_sans_compte(page, situation, nom_naissance="", date_naissance="1800-01-01"),
    )
    texte = reponse.content.decode()
    assert "Ce champ est obligatoire." in texte
    assert "date de naissance n&#x27;est pas plausible" in texte
    assert not Reclamation.objects.exists()


def test_sans_compte_limite_par_ip(client: Client, situation) -> None:
    for n in range(depot.PAR_IP.plafond):
        page = client.get(SANS_COMPTE)
        envoi = envoi_sans_compte(page, situation, email=f"agent{n}@ac-lyon.fr")
        assert client.post(SANS_COMPTE, envoi).status_code == 302
    page = client.get(SANS_COMPTE)
    reponse = client.post(SANS_COMPTE, envoi_sans_compte(page, situation, email="x@ac-lyon.fr"))
    assert "de nombreuses réclamations" in reponse.content.decode()
    assert Reclamation.objects.count() == depot.PAR_IP.plafond


def test_sans_compte_hors_periode(client: Client, situation) -> None:
    with horloge.decalee_de(timedelta(days=-3)):
        page = client.get(SANS_COMPTE).content.decode()
    assert "seront ouvertes du" in page
    assert 'name="captcha_1"' not in page


@pytest.mark.parametrize("adresse", [SANS_COMPTE, DEPOSER])
def test_un_envoi_trop_volumineux_est_refuse_avant_d_etre_lu(
    client: Client, situation, adresse: str
) -> None:
    """The declared length is checked before anything reads the body: the test client's
    payload refuses to be read past its real (small) size, so a view or middleware
    touching request.POST/FILES here would fail the test."""
    if adresse == DEPOSER:
        client.force_login(situation.electeur.compte)
    page = client.get(adresse)
    donnees = envoi_sans_compte(page, situation) if adresse == SANS_COMPTE else envoi_electeur(page)
    reponse = client.post(adresse, donnees, CONTENT_LENGTH=str(pieces.TAILLE_MAX_ENVOI + 1))
    assert reponse.status_code == 413
    assert "Votre envoi dépasse 16 Mo" in reponse.content.decode()
    assert not Reclamation.objects.exists()
    assert not Evenement.objects.filter(type__startswith="reclamation").exists()


def test_un_vrai_corps_de_17_mo_est_refuse(client: Client, situation) -> None:
    page = client.get(SANS_COMPTE)
    enorme = SimpleUploadedFile("scan.pdf", PDF + b"0" * (17 * 1024 * 1024))
    reponse = client.post(SANS_COMPTE, envoi_sans_compte(page, situation, pieces=[enorme]))
    assert reponse.status_code == 413
    assert not Reclamation.objects.exists()


def test_la_limite_d_envoi_garde_la_verification_csrf(situation) -> None:
    """The view is exempted from the CSRF middleware to check the length first: the same
    check must still run afterwards."""
    navigateur = Client(enforce_csrf_checks=True)
    page = navigateur.get(SANS_COMPTE)
    reponse = navigateur.post(SANS_COMPTE, envoi_sans_compte(page, situation))
    assert reponse.status_code == 403
    assert not Reclamation.objects.exists()
    jeton_csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert jeton_csrf
    reponse = navigateur.post(
        SANS_COMPTE,
        {**envoi_sans_compte(page, situation), "csrfmiddlewaretoken": jeton_csrf.group(1)},
    )
    assert reponse.status_code == 302
    assert Reclamation.objects.count() == 1


# --- Back-office -------------------------------------------------------------------------


@pytest.fixture
def gestion(client: Client, situation: Situation) -> Client:
    verifier_second_facteur(client, situation.administrateur)
    return client


def deposee(situation: Situation, type: str = "omission", **champs) -> Reclamation:
    champs.setdefault("scrutin", situation.b if type == "omission" else situation.a)
    return services.deposer(
        electeur=situation.electeur,
        campagne=situation.campagne,
        type=type,
        explication="Explication.",
        jeton=uuid.uuid4(),
        **champs,
    ).reclamation


def test_l_assistance_n_a_pas_acces_aux_reclamations(client: Client, situation) -> None:
    reclamation = deposee(situation, pieces=[pieces.verifier(SimpleUploadedFile("a.pdf", PDF))])
    aide = Compte.objects.create_user("aide@education.gouv.fr")
    aide.groups.add(Group.objects.get(name=RoleDeGestion.ASSISTANCE.groupe))
    verifier_second_facteur(client, aide)
    piece = reclamation.pieces.get()
    for url in (
        LISTE,
        reverse("gestion_reclamations:detail", args=[reclamation.pk]),
        reverse("gestion_reclamations:piece_jointe", args=[reclamation.pk, piece.pk]),
    ):
        assert client.get(url).status_code == 403
    for nom in ("prendre_en_charge", "accepter", "rejeter"):
        url = reverse(f"gestion_reclamations:{nom}", args=[reclamation.pk])
        assert client.post(url, {"rejet-motif": "x"}).status_code == 403
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.DEPOSEE
    # Without the second factor, not even the administration.
    anonyme = Client()
    assert anonyme.get(LISTE)["Location"].startswith(reverse("accounts:connexion"))


def test_liste_filtres_et_comptes(gestion: Client, situation) -> None:
    omission = deposee(situation)
    identite = deposee(situation, "identite", identite={"prenoms": "Sophie"})
    services.rejeter(reclamation_id=identite.pk, compte=situation.administrateur, motif="Non.")
    page = gestion.get(LISTE, {"campagne": situation.campagne.slug}).content.decode()
    assert omission.reference in page and identite.reference in page
    assert 'id="compte-deposee">Déposée : 1' in page
    assert 'id="compte-rejetee">Rejetée : 1' in page
    page = gestion.get(LISTE, {"statut": "deposee"}).content.decode()
    assert omission.reference in page and identite.reference not in page
    page = gestion.get(LISTE, {"type": "identite", "campagne": "inconnue"}).content.decode()
    assert identite.reference in page and omission.reference not in page


def test_detail_prise_en_charge_et_acceptation(gestion: Client, situation) -> None:
    reclamation = deposee(
        situation,
        "mauvais_scrutin",
        pieces=[pieces.verifier(SimpleUploadedFile("affectation.pdf", PDF))],
    )
    detail = reverse("gestion_reclamations:detail", args=[reclamation.pk])
    page = gestion.get(detail).content.decode()
    assert "affectation.pdf" in page and "Prendre en charge" in page
    piece = reclamation.pieces.get()
    fichier = gestion.get(
        reverse("gestion_reclamations:piece_jointe", args=[reclamation.pk, piece.pk])
    )
    assert b"".join(fichier.streaming_content) == PDF

    reponse = gestion.post(reverse("gestion_reclamations:prendre_en_charge", args=[reclamation.pk]))
    assert reponse["Location"] == detail
    accepter = reverse("gestion_reclamations:accepter", args=[reclamation.pk])
    sans_scrutin = gestion.post(accepter, {"acceptation-motif": ""})
    assert sans_scrutin.status_code == 400
    assert "Ce champ est obligatoire." in sans_scrutin.content.decode()
    reponse = gestion.post(accepter, {"acceptation-scrutin_souhaite": situation.c.pk}, follow=True)
    assert "est acceptée" in reponse.content.decode()
    assert set(
        Inscription.objects.filter(electeur=situation.electeur).values_list("scrutin", flat=True)
    ) == {situation.c.pk}
    # A second decision, from a page opened before the first one.
    rejet = gestion.post(
        reverse("gestion_reclamations:rejeter", args=[reclamation.pk]), {"rejet-motif": "Non."}
    )
    assert rejet.status_code == 409
    assert "a déjà été acceptée par Agnès Gestion" in rejet.content.decode()
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.ACCEPTEE


def test_rejet_sans_motif_puis_avec(gestion: Client, situation) -> None:
    reclamation = deposee(situation)
    url = reverse("gestion_reclamations:rejeter", args=[reclamation.pk])
    assert gestion.post(url, {"rejet-motif": ""}).status_code == 400
    gestion.post(url, {"rejet-motif": "Vous relevez d'un autre scrutin."})
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.REJETEE
    # The voter reads the decision and its reason.
    voter = Client()
    voter.force_login(situation.electeur.compte)
    page = voter.get(MES_RECLAMATIONS).content.decode()
    assert "Rejetée" in page and "Vous relevez d&#x27;un autre scrutin." in page


def test_acceptation_refusee_liste_scellee(gestion: Client, situation) -> None:
    reclamation = deposee(situation)
    sceller(situation.b)
    detail = gestion.get(reverse("gestion_reclamations:detail", args=[reclamation.pk]))
    assert "Liste électorale scellée" in detail.content.decode()
    reponse = gestion.post(reverse("gestion_reclamations:accepter", args=[reclamation.pk]), {})
    assert reponse.status_code == 409
    assert "est scellé par le bureau de vote" in reponse.content.decode()
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.DEPOSEE


def test_acceptation_sans_compte_avec_le_numen(gestion: Client, situation) -> None:
    reclamation = services.deposer_sans_compte(
        scrutin=situation.c,
        explication="Oubli.",
        identite={
            "civilite": "M.",
            "nom_naissance": "Oubli",
            "prenoms": "Jean",
            "date_naissance": "1985-03-02",
            "etablissement": "Collège",
        },
        email="jean.oubli@ac-lyon.fr",
        jeton=uuid.uuid4(),
    ).reclamation
    url = reverse("gestion_reclamations:accepter", args=[reclamation.pk])
    page = gestion.get(reverse("gestion_reclamations:detail", args=[reclamation.pk]))
    assert 'name="acceptation-numen"' in page.content.decode()
    champs = {
        "acceptation-civilite": "M.",
        "acceptation-nom_naissance": "Oubli",
        "acceptation-prenoms": "Jean",
        "acceptation-date_naissance": "1985-03-02",
        "acceptation-email": "jean.oubli@ac-lyon.fr",
    }
    mauvais = gestion.post(url, {**champs, "acceptation-numen": "01E26000"})
    assert mauvais.status_code == 400 and "13 caractères" in mauvais.content.decode()
    assert "01E26000" not in mauvais.content.decode()
    gestion.post(url, {**champs, "acceptation-numen": NUMEN_NOUVEAU})
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.ACCEPTEE
    assert reclamation.electeur is not None
    assert reclamation.electeur.compte.email == "jean.oubli@ac-lyon.fr"
    # The NUMEN is in no journal line, not even the back-office's generic one.
    assert not any(NUMEN_NOUVEAU in str(e.details) for e in Evenement.objects.all())


def test_back_office_technique_en_lecture_seule(client: Client, situation) -> None:
    reclamation = deposee(situation, pieces=[pieces.verifier(SimpleUploadedFile("a.pdf", PDF))])
    Compte.objects.filter(pk=situation.administrateur.pk).update(is_staff=True)
    verifier_second_facteur(client, Compte.objects.get(pk=situation.administrateur.pk))
    liste = client.get("/back-office/reclamations/reclamation/", {"statut__exact": "deposee"})
    assert liste.status_code == 200
    assert reclamation.reference in liste.content.decode()
    fiche = client.get(f"/back-office/reclamations/reclamation/{reclamation.pk}/change/")
    assert fiche.status_code == 200
    assert "a.pdf" in fiche.content.decode()
    assert client.get("/back-office/reclamations/reclamation/add/").status_code == 403
    supprimer = f"/back-office/reclamations/reclamation/{reclamation.pk}/delete/"
    assert client.post(supprimer, {"post": "yes"}).status_code == 403
    assert Reclamation.objects.filter(pk=reclamation.pk).exists()
