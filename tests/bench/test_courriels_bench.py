"""The mailing bench runs the real path and its baseline, at a size a test can afford (no
timing is asserted: speed figures live in bench/ and docs/bench.md, never in the tests)."""

import pytest

from bench import courriels
from isoloir.envois.models import EnvoiDeMasse
from isoloir.notify.models import Courriel, EtatCourriel


@pytest.mark.django_db(transaction=True)
def test_le_banc_envoie_tout_par_le_vrai_chemin_puis_la_reference() -> None:
    r = courriels.mesurer(6)
    assert (r.recus_isoloir, r.recus_reference) == (6, 6)
    assert r.octets_par_courriel > 1000  # a composed activation mail, text and HTML
    envoi = EnvoiDeMasse.objects.get()
    assert envoi.termine_le is not None
    assert Courriel.objects.filter(envoi=envoi, etat=EtatCourriel.ENVOYE).count() == 6
    lignes = courriels.rapport(r)
    assert lignes[0].startswith("6 courriels d'activation de ")
    assert lignes[-1].startswith("Ratio Isoloir / référence : ")


@pytest.mark.django_db(transaction=True)
def test_le_rapport_s_imprime(capsys) -> None:
    courriels.main(["--courriels", "3", "--debit", "50"])
    sortie = capsys.readouterr().out
    assert "3 courriels d'activation" in sortie
    assert "débit du service levé à 50/s" in sortie
    assert "Référence smtplib, une connexion" in sortie
