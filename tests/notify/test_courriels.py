"""Mail delivery through the task queue, retried on transient SMTP errors."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from isoloir.notify import livraison, services
from isoloir.notify.backends import FileAndConsoleBackend
from isoloir.notify.models import Courriel, EtatCourriel
from tests.concurrence import en_meme_temps


@pytest.fixture
def compte(creer_electeur, creer_scrutin, settings):
    settings.ISOLOIR_BASE_URL = "http://testserver"
    return creer_electeur(creer_scrutin(), active=True, email="lea.petit@ac-lyon.fr").compte


def _programmer(compte) -> Courriel:
    with transaction.atomic():
        return services.programmer(
            type_courriel="mot_de_passe", compte_id=compte.pk, destinataire=compte.email
        )


@pytest.mark.django_db(transaction=True)
def test_envoi_texte_et_html_avec_entetes(compte, boite, executer_taches) -> None:
    courriel = _programmer(compte)
    executer_taches()
    (message,) = boite.attendre(1)
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Auto-Response-Suppress"] == "OOF, AutoReply"
    assert message["Message-ID"].endswith("@isoloir.localhost>")
    assert {p.get_content_type() for p in message.walk()} >= {"text/plain", "text/html"}
    courriel.refresh_from_db()
    assert courriel.etat == EtatCourriel.ENVOYE
    assert courriel.tentatives == 1
    assert courriel.objet == "Réinitialisation de votre mot de passe élections"


@pytest.mark.django_db(transaction=True)
def test_erreur_transitoire_puis_nouvel_essai(compte, boite, executer_taches) -> None:
    boite.refus.append("451 4.3.0 Essayez plus tard")
    courriel = _programmer(compte)
    executer_taches()
    courriel.refresh_from_db()
    assert courriel.etat == EtatCourriel.A_REESSAYER
    assert courriel.derniere_erreur == "SMTPRecipientsRefused 451"
    relance = DBTaskResult.objects.filter(status="READY").get()
    assert relance.run_after > timezone.now() + timedelta(seconds=20)

    DBTaskResult.objects.filter(pk=relance.pk).update(run_after=timezone.now())
    executer_taches()
    courriel.refresh_from_db()
    assert courriel.etat == EtatCourriel.ENVOYE
    assert courriel.tentatives == 2
    assert len(boite.attendre(1)) == 1


@pytest.mark.django_db(transaction=True)
def test_refus_definitif(compte, boite, executer_taches) -> None:
    boite.refus.append("550 5.1.1 Adresse inconnue")
    courriel = _programmer(compte)
    executer_taches()
    courriel.refresh_from_db()
    assert courriel.etat == EtatCourriel.EN_ECHEC
    assert courriel.derniere_erreur == "SMTPRecipientsRefused 550"
    assert not DBTaskResult.objects.filter(status="READY").exists()


@pytest.mark.django_db(transaction=True)
def test_serveur_injoignable_abandon_apres_le_nombre_maximal_d_essais(
    compte, settings, executer_taches
) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    settings.ISOLOIR_MAIL_MAX_ATTEMPTS = 3
    courriel = _programmer(compte)
    for _ in range(3):
        executer_taches()
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    courriel.refresh_from_db()
    assert courriel.etat == EtatCourriel.EN_ECHEC
    assert courriel.tentatives == 3
    assert courriel.derniere_erreur == "ConnectionRefusedError"


@pytest.mark.django_db
def test_un_courriel_deja_envoye_ne_part_pas_deux_fois(compte, boite) -> None:
    courriel = _programmer(compte)
    livraison.livrer(courriel.pk)
    livraison.livrer(courriel.pk)
    assert len(boite.attendre(1)) == 1
    courriel.refresh_from_db()
    assert courriel.tentatives == 1


def test_delais_croissants_plafonnes() -> None:
    delais = [livraison.delai_avant_essai(n).total_seconds() for n in range(1, 10)]
    assert delais[:4] == [30, 60, 120, 240]
    assert max(delais) == 3600


def test_le_courriel_de_demonstration_est_un_fichier(tmp_path: Path, capsys) -> None:
    from django.core.mail import EmailMessage

    backend = FileAndConsoleBackend(file_path=str(tmp_path))
    message = EmailMessage("Objet é", "Corps du message", "a@isoloir.localhost", ["b@ac-lyon.fr"])
    assert backend.send_messages([message]) == 1
    (fichier,) = tmp_path.glob("*.eml")
    import email
    import email.policy

    assert (
        email.message_from_bytes(fichier.read_bytes(), policy=email.policy.default)["Subject"]
        == "Objet é"
    )
    sortie = capsys.readouterr().out
    assert "Courriel pour b***@ac-lyon.fr : Objet é" in sortie
    assert b"b@ac-lyon.fr" not in fichier.read_bytes()
    assert "Corps du message" in sortie


@pytest.mark.django_db(transaction=True)
def test_file_indisponible_puis_relance(compte, boite, executer_taches, monkeypatch) -> None:
    from django.core.management import call_command
    from django_tasks_db.backend import DatabaseBackend

    from isoloir.core import horloge

    def panne(*args, **kwargs):
        raise ConnectionError("file de tâches injoignable")

    with monkeypatch.context() as m:
        m.setattr(DatabaseBackend, "enqueue", panne)
        courriel = _programmer(compte)  # no error reaches the caller
    assert not DBTaskResult.objects.exists()
    call_command("relancer_courriels", verbosity=0)
    assert not DBTaskResult.objects.exists()  # too recent: may still be on its way
    with horloge.decalee_de(timedelta(minutes=11)):
        call_command("relancer_courriels")
    executer_taches()
    courriel.refresh_from_db()
    assert courriel.etat == EtatCourriel.ENVOYE
    assert len(boite.attendre(1)) == 1


@pytest.mark.django_db(transaction=True)
def test_une_tache_livree_deux_fois_en_meme_temps_envoie_un_courriel(compte, boite) -> None:
    courriel = _programmer(compte)
    resultats = en_meme_temps(lambda _: livraison.livrer(courriel.pk), range(2))
    assert not [r for r in resultats if isinstance(r, Exception)], resultats
    assert len(boite.attendre(1)) == 1
    courriel.refresh_from_db()
    assert (courriel.etat, courriel.tentatives) == (EtatCourriel.ENVOYE, 1)
