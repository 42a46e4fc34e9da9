import pytest

from isoloir.audit.models import Evenement
from isoloir.audit.services import journaliser, verifier_chaine


@pytest.mark.django_db
def test_la_chaine_est_intacte_puis_detecte_une_modification() -> None:
    premier = journaliser("connexion.echec", ip="192.0.2.1")
    second = journaliser("connexion.reussie", compte_id=7, ip="192.0.2.1", detail="x")
    journaliser("compte.active", compte_id=7)
    assert second.empreinte_precedente == premier.empreinte
    assert verifier_chaine() is None

    Evenement.objects.filter(pk=second.pk).update(ip="198.51.100.9")
    assert verifier_chaine() == second.pk


@pytest.mark.django_db
def test_une_suppression_casse_la_chaine() -> None:
    journaliser("a")
    milieu = journaliser("b")
    dernier = journaliser("c")
    Evenement.objects.filter(pk=milieu.pk).delete()
    assert verifier_chaine() == dernier.pk


@pytest.mark.django_db
def test_commande_de_verification(capsys) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    journaliser("a")
    altere = journaliser("b")
    call_command("verifier_journal")
    assert "Journal intact : 2 événement(s)" in capsys.readouterr().out
    Evenement.objects.filter(pk=altere.pk).update(type="c")
    with pytest.raises(CommandError, match=f"n° {altere.pk}"):
        call_command("verifier_journal")
