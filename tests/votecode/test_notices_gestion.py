"""The back-office's notices pages: who may open them, generation through the task with its
progress, downloads and destruction of the batches, delivery import and dashboard, and no
clear code anywhere but in the PDFs."""

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from isoloir.accounts.models import Compte
from isoloir.audit.models import Evenement
from isoloir.core import horloge
from isoloir.votecode import code, lancement, notices
from isoloir.votecode.generation import executer_generation
from isoloir.votecode.models import (
    CodeDeVote,
    EtatGeneration,
    EtatRemise,
    GenerationDeNotices,
    LotDeNotices,
    RemiseDeNotice,
)
from isoloir.votecode.selectors import progression_de_la_generation
from tests.factories import MOT_DE_PASSE
from tests.pdf import texte_du_pdf
from tests.second_facteur import verifier_second_facteur

pytestmark = pytest.mark.django_db
HIER = (horloge.maintenant() - timedelta(days=1)).date()


def _compte(email: str, groupe: str | None) -> Compte:
    compte = Compte.objects.create_user(email, MOT_DE_PASSE)
    if groupe:
        compte.groups.add(Group.objects.get(name=groupe))
    return compte


@pytest.fixture
def administrateur() -> Compte:
    return _compte("admin@education.gouv.fr", "Administration des élections")


@pytest.fixture
def admin(client: Client, administrateur: Compte) -> Client:
    verifier_second_facteur(client, administrateur)
    return client


@pytest.fixture
def campagne(settings, tmp_path: Path, creer_campagne, creer_scrutin, creer_electeur):
    settings.DATA_DIR = tmp_path / "donnees"
    settings.MEDIA_ROOT = tmp_path / "donnees" / "media"
    campagne = creer_campagne(ouverture=horloge.maintenant() + timedelta(days=30))
    scrutin = creer_scrutin(campagne)
    for n in range(3):
        creer_electeur(scrutin, email=f"agent{n}@ac-lyon.fr", etablissement="Lycée du Parc")
    creer_electeur(scrutin, email="agent3@ac-lyon.fr", etablissement="Collège Ampère")
    return campagne


def url(nom: str, campagne, **kwargs) -> str:
    return reverse(f"gestion_notices:{nom}", kwargs={"slug": campagne.slug, **kwargs})


def _generer(campagne) -> GenerationDeNotices:
    generation = lancement.lancer_generation(campagne=campagne, compte_id=None)
    return executer_generation(generation.pk)


# --- Access --------------------------------------------------------------------------------------


def test_seule_l_administration_entre(client: Client, campagne, creer_electeur) -> None:
    _generer(campagne)
    lot = LotDeNotices.objects.first()
    pages = [
        url("tableau", campagne),
        url("progression", campagne),
        url("telecharger", campagne, pk=lot.pk),
        url("detruire", campagne, pk=lot.pk),
        url("remises", campagne),
        url("importer", campagne),
    ]
    for page in pages:  # anonymous: to the login
        assert client.get(page)["Location"].startswith(reverse("accounts:connexion"))
    # A voter, logged in: sent to prove a second factor, which gives no role anyway.
    electeur = creer_electeur(email="votant@ac-lyon.fr")
    client.force_login(electeur.compte)
    for page in pages:
        assert client.get(page).status_code == 302
    verifier_second_facteur(client, electeur.compte)
    for page in pages:
        assert client.get(page).status_code == 403
    # The helpdesk: 403, never a file.
    aide = Client()
    verifier_second_facteur(aide, _compte("aide@education.gouv.fr", "Assistance"))
    for page in pages:
        assert aide.get(page).status_code == 403
    assert aide.post(url("detruire", campagne, pk=lot.pk)).status_code == 403
    assert aide.post(url("lancer", campagne)).status_code == 403
    assert not Evenement.objects.filter(type="notices.lot_telecharge").exists()
    assert LotDeNotices.objects.get(pk=lot.pk).detruit_le is None


# --- Generation -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_lancement_progression_et_fichiers(admin: Client, campagne, executer_taches) -> None:
    page = admin.get(url("tableau", campagne))
    assert page.status_code == 200
    assert "Aucune génération n'a encore été lancée" in page.text
    assert admin.get(url("progression", campagne)).json() == {
        "etat": "aucune",
        "libelle": "Aucune génération",
        "en_cours": False,
        "barres": [],
        "annonce": "",
        "valeurs": {},
    }

    reponse = admin.post(url("lancer", campagne))
    assert reponse.status_code == 302
    assert admin.get(url("progression", campagne)).json()["etat"] == "en_attente"
    page = admin.get(url("tableau", campagne))
    assert "isoloir/js/progression.js" in page.text and 'aria-live="polite"' in page.text
    assert "Actualiser la progression" in page.text  # without JavaScript

    # A second launch while the first waits for its worker: refused, in French.
    encore = admin.post(url("lancer", campagne))
    assert encore.status_code == 409
    assert "déjà en cours" in encore.text
    assert GenerationDeNotices.objects.count() == 1

    executer_taches()
    etat = admin.get(url("progression", campagne)).json()
    assert etat == {
        "etat": "terminee",
        "libelle": "Terminée",
        "en_cours": False,
        "barres": [
            {"cle": "etablissements", "faits": 2, "total": 2, "texte": "2 sur 2"},
            {"cle": "notices", "faits": 4, "total": 4, "texte": "4 sur 4"},
        ],
        "annonce": "Génération terminée : 4 notices sur 4. Les fichiers sont listés ci-dessous.",
        "valeurs": {},
    }
    page = admin.get(url("tableau", campagne))
    assert "isoloir/js/progression.js" not in page.text
    for lot in LotDeNotices.objects.all():
        assert lot.fichier in page.text
    lancement = Evenement.objects.get(type="notices.generation_lancee")
    assert lancement.compte_id == Compte.objects.get(email="admin@education.gouv.fr").pk


@pytest.mark.parametrize(
    ("faites", "annonce"),
    [(0, "0 notice sur 0"), (1, "1 notice sur 1"), (2, "2 notices sur 2")],
)
def test_l_annonce_de_fin_accorde_les_notices(faites: int, annonce: str) -> None:
    """French puts 0 and 1 in the singular: « 1 notice sur 1 », never « 1 notices »."""
    generation = GenerationDeNotices(
        etat=EtatGeneration.TERMINEE, notices_faites=faites, notices_total=faites
    )
    assert progression_de_la_generation(generation).annonce == (
        f"Génération terminée : {annonce}. Les fichiers sont listés ci-dessous."
    )


def test_a04_refus_puis_confirmation_journalisee(
    admin: Client, settings, tmp_path, creer_campagne, creer_scrutin, creer_electeur
) -> None:
    settings.DATA_DIR = tmp_path
    campagne = creer_campagne(ouverture=horloge.maintenant() + timedelta(days=5))
    creer_electeur(creer_scrutin(campagne))
    page = admin.get(url("tableau", campagne))
    assert "La date limite de remise des notices est passée" in page.text
    assert 'name="confirmer_hors_delai"' in page.text
    refus = admin.post(url("lancer", campagne))
    assert refus.status_code == 409
    assert "cochez la case de confirmation" in refus.text
    assert not GenerationDeNotices.objects.exists()
    assert admin.post(url("lancer", campagne), {"confirmer_hors_delai": "on"}).status_code == 302
    generation = GenerationDeNotices.objects.get()
    assert generation.hors_delai
    evenement = Evenement.objects.get(type="notices.generation_lancee_hors_delai_confirme")
    assert evenement.compte_id is not None and evenement.details["hors_delai"] is True


# --- Batches --------------------------------------------------------------------------------------


def test_telechargement_journalise_et_hors_de_media(admin: Client, campagne, settings) -> None:
    _generer(campagne)
    lot = LotDeNotices.objects.get(etablissement="Collège Ampère")
    reponse = admin.get(url("telecharger", campagne, pk=lot.pk))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"].startswith("attachment;")
    assert "no-store" in reponse["Cache-Control"]
    assert b"".join(reponse.streaming_content).startswith(b"%PDF-")
    evenement = Evenement.objects.get(type="notices.lot_telecharge")
    assert evenement.details == {"campagne": campagne.slug, "lot": lot.pk, "notices": 1}
    assert LotDeNotices.objects.get(pk=lot.pk).telechargements == 1
    # The files are not under MEDIA_ROOT, and no public URL reaches them.
    dossier = notices.dossier_des_notices(campagne).resolve()
    assert not dossier.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert Client().get(f"/media/notices/{campagne.slug}/{lot.fichier}").status_code == 404
    # A batch of another campaign is not reachable through this one's address.
    assert admin.get(url("telecharger", campagne, pk=lot.pk + 1000)).status_code == 404


def test_destruction(admin: Client, campagne) -> None:
    _generer(campagne)
    lot = LotDeNotices.objects.get(etablissement="Collège Ampère")
    chemin = notices.chemin_du_lot(lot)
    assert chemin.exists()
    confirmation = admin.get(url("detruire", campagne, pk=lot.pk))
    assert confirmation.status_code == 200
    assert "Détruire le fichier" in confirmation.text
    assert chemin.exists()  # a GET destroys nothing
    reponse = admin.post(url("detruire", campagne, pk=lot.pk))
    assert reponse.status_code == 302
    assert not chemin.exists()
    lot.refresh_from_db()
    assert lot.detruit_le is not None and lot.detruit_par is not None
    # Twice (a double click): nothing more, one journal line.
    assert admin.post(url("detruire", campagne, pk=lot.pk)).status_code == 302
    assert Evenement.objects.filter(type="notices.lot_detruit").count() == 1
    assert admin.get(url("telecharger", campagne, pk=lot.pk)).status_code == 404
    assert "Détruit le" in admin.get(url("tableau", campagne)).text
    # The codes still work: destroying the file destroys no code.
    assert CodeDeVote.objects.count() == 4


def test_apres_un_changement_de_slug_la_destruction_atteint_le_fichier(admin: Client, campagne):
    _generer(campagne)
    lot = LotDeNotices.objects.get(etablissement="Collège Ampère")
    ancien = notices.dossier_des_notices(campagne) / lot.fichier
    assert lot.chemin == f"{campagne.slug}/{lot.fichier}" and ancien.exists()
    # The administrator renames the campaign's slug after the files were written.
    campagne.slug = "elections-renommees"
    campagne.save(update_fields=["slug"])
    assert admin.get(url("telecharger", campagne, pk=lot.pk)).status_code == 200
    reponse = admin.post(url("detruire", campagne, pk=lot.pk), follow=True)
    assert f"Le fichier « {lot.fichier} » est détruit." in reponse.text
    assert not ancien.exists()  # the file with the clear codes, not a path that never was
    lot.refresh_from_db()
    assert lot.detruit_le is not None and not lot.introuvable


def test_un_fichier_introuvable_n_est_pas_dit_detruit(admin: Client, campagne) -> None:
    _generer(campagne)
    lot = LotDeNotices.objects.get(etablissement="Collège Ampère")
    notices.chemin_du_lot(lot).unlink()  # moved or deleted by hand
    reponse = admin.post(url("detruire", campagne, pk=lot.pk), follow=True)
    assert f"Fichier introuvable : {lot.chemin}" in reponse.text
    assert "Rien n&#x27;a été détruit" in reponse.text
    assert "est détruit" not in reponse.text
    lot.refresh_from_db()
    assert lot.introuvable and lot.detruit_le is not None
    evenement = Evenement.objects.get(type="notices.lot_introuvable")
    assert evenement.details["chemin"] == lot.chemin
    assert not Evenement.objects.filter(type="notices.lot_detruit").exists()
    assert "Introuvable le" in admin.get(url("tableau", campagne)).text
    assert "Fichier introuvable" in admin.get(url("detruire", campagne, pk=lot.pk)).text
    assert admin.get(url("telecharger", campagne, pk=lot.pk)).status_code == 404


def test_la_migration_remplit_le_chemin_des_lots_existants(campagne) -> None:
    import importlib

    _generer(campagne)
    LotDeNotices.objects.update(chemin="")
    migration = importlib.import_module("isoloir.votecode.migrations.0003_lot_chemin")
    migration.chemins_actuels(apps, None)
    for lot in LotDeNotices.objects.all():
        assert lot.chemin == f"{campagne.slug}/{lot.fichier}"
        assert notices.chemin_du_lot(lot).is_file()


# --- Deliveries -----------------------------------------------------------------------------------


def _fichier(texte: str, nom: str = "remises.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(nom, texte.encode("utf-8"), content_type="text/csv")


def test_import_simulation_puis_enregistrement(admin: Client, campagne) -> None:
    _generer(campagne)
    texte = (
        "adresse électronique professionnelle;état;date\n"
        f"agent0@ac-lyon.fr;remise contre signature;{HIER:%d/%m/%Y}\n"
        f"agent1@ac-lyon.fr;envoyée par la poste;{HIER:%d/%m/%Y}\n"
        f"agent3@ac-lyon.fr;détruite;{HIER:%d/%m/%Y}\n"
    )
    page = admin.get(url("importer", campagne))
    assert 'id="id_simulation"' in page.text and "checked" in page.text
    essai = admin.post(url("importer", campagne), {"fichier": _fichier(texte), "simulation": "on"})
    assert essai.status_code == 200
    assert "Vérification réussie : rien n'a encore été enregistré" in essai.text
    assert not RemiseDeNotice.objects.exists()
    reponse = admin.post(url("importer", campagne), {"fichier": _fichier(texte)})
    assert reponse.status_code == 302
    assert RemiseDeNotice.objects.count() == 3
    tableau = admin.get(url("remises", campagne))
    assert "Lycée du Parc" in tableau.text and "Collège Ampère" in tableau.text
    assert "3 notices générées" not in tableau.text  # 4 of them
    assert "1 remise contre signature, 1 envoyée par la poste, 1 détruite, 1 en attente" in (
        tableau.text
    )
    # The same file twice changes nothing.
    encore = admin.post(url("importer", campagne), {"fichier": _fichier(texte)}, follow=True)
    assert "0 notice(s) mise(s) à jour, 3 inchangée(s)" in encore.text


def test_import_refuse_avec_les_erreurs_en_francais(admin: Client, campagne) -> None:
    _generer(campagne)
    texte = "email;etat;date\nagent0@ac-lyon.fr;remise;01/01/2026\nagent1@ac-lyon.fr;volée;\n"
    reponse = admin.post(url("importer", campagne), {"fichier": _fichier(texte)})
    assert reponse.status_code == 200
    assert "Fichier refusé : 1 erreur, rien n'a été enregistré" in reponse.text
    assert "Ligne 3, colonne « état » : État inconnu" in reponse.text
    assert not RemiseDeNotice.objects.exists()
    sans_fichier = admin.post(url("importer", campagne), {})
    assert "Choisissez le fichier CSV de l&#x27;établissement." in sans_fichier.text


def test_retard_apres_la_date_de_remise(admin: Client, campagne, monkeypatch) -> None:
    _generer(campagne)
    plus_tard = horloge.maintenant() + timedelta(days=16)
    monkeypatch.setattr(horloge, "maintenant", lambda: plus_tard)
    tableau = admin.get(url("remises", campagne))
    assert "4 notices encore en attente après la date limite" in tableau.text
    assert "en retard" in tableau.text
    filtre = admin.get(url("remises", campagne), {"etablissement": "ampère", "en_attente": "1"})
    assert "Collège Ampère" in filtre.text and "Lycée du Parc" not in filtre.text


def test_tableau_des_remises_filtre_et_pagine_par_la_base(
    admin: Client, campagne, creer_electeur, monkeypatch
) -> None:
    from django.db import connection

    from isoloir.accounts.models import Electeur
    from isoloir.votecode import views_gestion

    creer_electeur(
        campagne.scrutins.first(), email="agent4@ac-lyon.fr", etablissement="Collège Zola"
    )
    _generer(campagne)
    RemiseDeNotice.objects.create(
        electeur=Electeur.objects.get(compte__email="agent3@ac-lyon.fr"),
        etat=EtatRemise.REMISE,
        date=HIER,
        etablissement="Collège Ampère",
        modifiee_le=horloge.maintenant(),
    )
    monkeypatch.setattr(views_gestion, "PAR_PAGE", 1)
    requetes: list[str] = []

    def noter(execute, sql, params, many, context):  # every query, the request's included
        requetes.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noter):
        premiere = admin.get(url("remises", campagne), {"en_attente": "1"})
    # « Collège Ampère » has nothing pending: Zola, then Lycée du Parc, one page each.
    assert "Zola" in premiere.text and "Collège Ampère</a>" not in premiere.text
    assert "1 sur 2" in premiere.text and "Lycée du Parc" not in premiere.text
    seconde = admin.get(url("remises", campagne), {"en_attente": "1", "page": "2"})
    assert "Lycée du Parc" in seconde.text and "Zola" not in seconde.text
    # The totals still cover the whole campaign, from one aggregate.
    assert "5 électeurs, 5 notices générées" in premiere.text
    assert "1 remise contre signature, 0 envoyées par la poste, 0 détruites, 4 en attente" in (
        premiere.text
    )
    # The filter and the page are the database's (HAVING, LIMIT), not Python's.
    sql = [q for q in requetes if "GROUP BY" in q]
    assert any("HAVING" in q and "LIMIT" in q for q in sql), sql
    assert all("LIMIT" in q or "COUNT(*)" in q for q in sql), sql


def test_une_a_une_depuis_l_etablissement(admin: Client, campagne) -> None:
    _generer(campagne)
    page = admin.get(url("etablissement", campagne), {"nom": "Lycée du Parc"})
    assert page.status_code == 200
    assert "agent0@ac-lyon.fr" in page.text and "agent3@ac-lyon.fr" not in page.text
    electeur = CodeDeVote.objects.get(electeur__compte__email="agent0@ac-lyon.fr").electeur
    adresse = url("modifier_remise", campagne, pk=electeur.pk)
    assert admin.get(adresse).status_code == 200
    sans_date = admin.post(adresse, {"etat": EtatRemise.POSTE, "date": ""})
    assert sans_date.status_code == 200
    assert "Date obligatoire pour une notice remise, envoyée ou détruite." in sans_date.text
    assert (
        admin.post(adresse, {"etat": EtatRemise.POSTE, "date": f"{HIER:%d/%m/%Y}"}).status_code
        == 302
    )
    assert RemiseDeNotice.objects.get(electeur=electeur).etat == EtatRemise.POSTE
    assert Evenement.objects.filter(type="notices.remise_modifiee").count() == 1
    # An unknown establishment, a voter outside the campaign: 404.
    assert admin.get(url("etablissement", campagne), {"nom": "Ailleurs"}).status_code == 404
    assert admin.get(url("modifier_remise", campagne, pk=electeur.pk + 999)).status_code == 404


# --- No clear code anywhere ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_aucun_code_en_clair_en_base_dans_les_journaux_ni_le_journal(
    admin: Client, campagne, executer_taches, monkeypatch, caplog, tmp_path
) -> None:
    tires: list[str] = []
    vrai = code.tirer

    def tirer() -> str:
        tires.append(vrai())
        return tires[-1]

    monkeypatch.setattr(code, "tirer", tirer)
    caplog.set_level(logging.DEBUG)
    admin.post(url("lancer", campagne))
    executer_taches()
    assert GenerationDeNotices.objects.get().etat == EtatGeneration.TERMINEE
    assert len(tires) == 4
    pdf = ""
    for lot in LotDeNotices.objects.all():
        reponse = admin.get(url("telecharger", campagne, pk=lot.pk))
        pdf += texte_du_pdf(b"".join(reponse.streaming_content), tmp_path)
    # Every row of every table of the default database, as text.
    contenu = []
    for modele in apps.get_models():
        if modele._meta.app_label in ("ballotbox",):
            continue
        contenu.extend(str(ligne) for ligne in modele.objects.using("default").values())
    base = "\n".join(contenu)
    journal = "\n".join(str(e.details) for e in Evenement.objects.all())
    for tire in tires:
        for forme in (tire, " ".join(tire)):
            assert forme not in base
            assert forme not in journal
            assert forme not in caplog.text
    # The PDFs alone hold them, for the printer, and the database their hashes.
    for tire in tires:
        assert " ".join(tire) in pdf
    assert CodeDeVote.objects.filter(empreinte__startswith="$argon2id$").count() == 4


def test_un_traitement_sans_nouvelles_est_signale_et_repris(
    admin: Client, campagne, monkeypatch
) -> None:
    admin.post(url("lancer", campagne))
    assert "ne donne plus signe de vie" not in admin.get(url("tableau", campagne)).text
    plus_tard = horloge.maintenant() + notices.DUREE_DU_BAIL + timedelta(seconds=1)
    monkeypatch.setattr(horloge, "maintenant", lambda: plus_tard)
    page = admin.get(url("tableau", campagne))
    assert "ne donne plus signe de vie depuis plus de 5 minutes" in page.text
    assert admin.post(url("lancer", campagne)).status_code == 302
    generation = GenerationDeNotices.objects.get()
    assert generation.reprises == 1 and generation.etat == EtatGeneration.EN_ATTENTE
    assert Evenement.objects.filter(type="notices.generation_reprise").count() == 1
