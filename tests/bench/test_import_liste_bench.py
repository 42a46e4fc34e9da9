"""The roll import bench runs and gives the truth at a size a test can afford (no timing
is asserted: speed figures live in bench/ and docs/bench.md, never in the tests)."""

import pytest

from bench import import_liste

pytestmark = pytest.mark.django_db(transaction=True)


def test_le_banc_importe_puis_reimporte_les_differences_attendues(
    tmp_path, settings, capsys
) -> None:
    settings.DATA_DIR = tmp_path
    r = import_liste.lancer(400, tmp_path, sous_processus=False)

    assert [m.nom for m in r.mesures] == [
        "lecture csv (référence)",
        "vérification, premier import",
        "application, premier import",
        "vérification, réimport",
        "application, réimport",
    ]
    assert r.mesure("lecture csv (référence)").resultat == 401  # the header, then the rows
    assert r.attendu == {"modifies": 4, "retires": 2, "ajoutes": 2}
    premier = r.mesure("application, premier import").resultat
    assert (premier["electeurs_ajoutes"], premier["inscriptions_ajoutees"]) == (400, 1200)
    for etape in ("vérification, réimport", "application, réimport"):
        chiffres = r.mesure(etape).resultat
        assert (
            chiffres["electeurs_ajoutes"],
            chiffres["electeurs_modifies"],
            chiffres["electeurs_retires"],
            chiffres["electeurs_inchanges"],
        ) == (2, 4, 2, 394)
        assert chiffres["champs_modifies"] == {"établissement": 4}
    assert len(import_liste.codes_des_scrutins()) == import_liste.SCRUTINS

    import_liste.imprimer(r)
    sortie = capsys.readouterr().out
    assert "400 lignes, 600 scrutins, 10000 établissements, SQLite" in sortie
    assert (
        "Réimport : 2 ajoutés, 4 modifiés, 2 retirés, 394 inchangés (attendu : 2, 4, 2)" in sortie
    )
