"""The one JSON shape of a job's progress (core/progression.py), which the roll import,
the notices' generation and the mailings answer their pages' script with."""

import json

import pytest

from isoloir.core.progression import Barre, Progression


def test_la_forme_json_complete() -> None:
    progression = Progression(
        etat="verification",
        libelle="Vérification en cours",
        en_cours=True,
        barres=(Barre("lignes", 3_600, 30_000, "12 % — 3 600 lignes traitées sur 30 000"),),
        annonce="Lecture et contrôle des lignes du fichier",
        valeurs={"etape": "Lecture et contrôle des lignes du fichier", "arrete": False},
    )
    donnees = progression.en_json()
    assert donnees == {
        "etat": "verification",
        "libelle": "Vérification en cours",
        "en_cours": True,
        "barres": [
            {
                "cle": "lignes",
                "faits": 3_600,
                "total": 30_000,
                "texte": "12 % — 3 600 lignes traitées sur 30 000",
            }
        ],
        "annonce": "Lecture et contrôle des lignes du fichier",
        "valeurs": {"etape": "Lecture et contrôle des lignes du fichier", "arrete": False},
    }
    # What JsonResponse sends: plain JSON, the same once read back.
    assert json.loads(json.dumps(donnees)) == donnees


def test_une_progression_sans_barre_ni_annonce() -> None:
    donnees = Progression(etat="aucune", libelle="Aucune génération", en_cours=False).en_json()
    assert donnees == {
        "etat": "aucune",
        "libelle": "Aucune génération",
        "en_cours": False,
        "barres": [],
        "annonce": "",
        "valeurs": {},
    }


def test_les_barres_par_cle_pour_les_gabarits() -> None:
    notices = Barre("notices", 4, 0, "4 sur 0")
    progression = Progression(
        etat="en_cours",
        libelle="En cours",
        en_cours=True,
        barres=(Barre("etablissements", 1, 2, "1 sur 2"), notices),
    )
    assert progression.barre["notices"] is notices
    assert list(progression.barre) == ["etablissements", "notices"]
    # A total not known yet still gives the <progress> element a valid max.
    assert (notices.maximum, Barre("x", 0, 7, "").maximum) == (1, 7)


@pytest.mark.parametrize(
    "fabrique",
    [
        lambda: Barre("", 0, 1, ""),
        lambda: Barre("lignes", -1, 1, ""),
        lambda: Barre("lignes", 0, -1, ""),
        lambda: Progression(
            etat="x",
            libelle="x",
            en_cours=True,
            barres=(Barre("a", 0, 1, ""), Barre("a", 1, 1, "")),
        ),
        lambda: Progression(etat="x", libelle="x", en_cours=True, valeurs={"": 1}),
    ],
    ids=["barre sans clé", "faits négatifs", "total négatif", "clés en double", "valeur sans nom"],
)
def test_une_forme_incoherente_est_refusee(fabrique) -> None:
    with pytest.raises(ValueError):
        fabrique()
