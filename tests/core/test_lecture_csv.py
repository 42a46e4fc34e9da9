"""The CSV reader every import shares (core/lecture_csv.py): decoding, separator, header,
physical line numbers, and what any import refuses."""

import codecs
import io
from datetime import date

import pytest

from isoloir.core.lecture_csv import (
    LONGUEUR_MAX_LIGNE,
    MESSAGE_CONTROLE,
    ErreurDeLigne,
    FichierRefuse,
    LectureCsv,
    charger,
    encodage_du_flux,
    lire_date,
    nom_de_colonne,
    texte_du_fichier,
)

Erreur = tuple[int, str, str]


def lire(contenu: bytes) -> tuple[LectureCsv, list[tuple[int, list[str]]], list[Erreur]]:
    """Read a whole file: the reader, its rows (line, cells) and the errors reported."""
    erreurs: list[Erreur] = []
    with texte_du_fichier(contenu, taille_max=1024 * 1024) as (_, texte):
        lecture = LectureCsv(texte, signaler=lambda *erreur: erreurs.append(erreur))
        lignes = [(ligne.numero, ligne.cellules) for ligne in lecture.lignes()]
    return lecture, lignes, erreurs


def refus(contenu: bytes) -> FichierRefuse:
    with pytest.raises(FichierRefuse) as refuse:
        encodage_du_flux(io.BytesIO(contenu))
    return refuse.value


# --- Decoding --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contenu", "encodage"),
    [
        ("nom;prénom\n".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "nom;prénom\n".encode(), "utf-8-sig"),
        ("nom;prénom\n".encode("cp1252"), "cp1252"),
    ],
)
def test_encodage_reconnu(contenu: bytes, encodage: str) -> None:
    assert encodage_du_flux(io.BytesIO(contenu)) == encodage


def test_le_bom_n_entre_pas_dans_la_premiere_colonne() -> None:
    lecture, lignes, erreurs = lire(codecs.BOM_UTF8 + "Nom;Prénom\nMartin;Élodie\n".encode())
    assert lecture.colonnes == ["nom", "prenom"]
    assert lecture.entete == ["Nom", "Prénom"]
    assert lignes == [(2, ["Martin", "Élodie"])]
    assert erreurs == []


def test_windows_1252_lu_avec_ses_accents() -> None:
    _, lignes, _ = lire("nom;prénom\nLefèvre;Françoise\n".encode("cp1252"))
    assert lignes == [(2, ["Lefèvre", "Françoise"])]


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"", "Le fichier est vide."),
        (codecs.BOM_UTF8 + b" \r\n\r\n", "Le fichier est vide."),
        ("nom;prénom".encode("utf-16"), "octets nuls"),
        (b"nom;\x81\xff", "Le fichier n'est ni en UTF-8 ni en Windows-1252."),
    ],
)
def test_fichier_illisible_refuse_en_francais(contenu: bytes, message: str) -> None:
    refuse = refus(contenu)
    assert refuse.ligne == 0  # the file as a whole
    assert message in refuse.message


def test_utf8_coupe_entre_deux_blocs(monkeypatch) -> None:
    """A character split across two blocks of the detection is still UTF-8."""
    monkeypatch.setattr("isoloir.core.lecture_csv.TAILLE_DU_BLOC", 4)
    assert encodage_du_flux(io.BytesIO("abcé;ü\n".encode())) == "utf-8"


def test_fichier_trop_volumineux() -> None:
    with pytest.raises(FichierRefuse) as refuse:
        charger(io.BytesIO(b"x" * (2 * 1024 * 1024 + 1)), taille_max=2 * 1024 * 1024)
    assert refuse.value.message == "Fichier trop volumineux : 2 Mo au plus."
    assert charger(b"a;b\n", taille_max=4).read() == b"a;b\n"


# --- Separator and header ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entete", "separateur"),
    [("a;b;c", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"), ("a;b,c", ";"), ("a", ";")],
)
def test_separateur_celui_de_l_en_tete(entete: str, separateur: str) -> None:
    lecture, _, _ = lire(f"{entete}\n".encode())
    assert lecture.separateur == separateur


def test_virgule_entre_guillemets_dans_un_fichier_a_virgules() -> None:
    _, lignes, erreurs = lire(b'nom,etablissement\nMartin,"Lycee Ampere, Lyon"\n')
    assert lignes == [(2, ["Martin", "Lycee Ampere, Lyon"])]
    assert erreurs == []


@pytest.mark.parametrize(
    ("brut", "nom"),
    [
        ("Adresse électronique", "adresse_electronique"),
        ("  NOM-Naissance ", "nom_naissance"),
        ("Date d'envoi", "date_d_envoi"),
        ("\ufeffnumen", "numen"),
        ("État (de la notice)", "etat_de_la_notice"),
    ],
)
def test_nom_de_colonne_tolere_casse_accents_et_espaces(brut: str, nom: str) -> None:
    assert nom_de_colonne(brut) == nom


def test_colonnes_vides_en_fin_d_en_tete_ignorees() -> None:
    lecture, lignes, erreurs = lire(b"a;b;;\n1;2;;\n")
    assert lecture.colonnes == ["a", "b"]
    assert lignes == [(2, ["1", "2"])]
    assert erreurs == []


# --- Rows and their physical line numbers ----------------------------------------------------


def test_retours_a_la_ligne_entre_guillemets_et_numeros_physiques() -> None:
    contenu = b'nom;adresse\nA;"1 rue\r\nde la Paix"\n\nB;"x\ny\nz"\r\nC;fin\n'
    _, lignes, erreurs = lire(contenu)
    assert lignes == [
        (2, ["A", "1 rue\r\nde la Paix"]),
        (5, ["B", "x\ny\nz"]),
        (8, ["C", "fin"]),
    ]
    assert erreurs == []


def test_lignes_blanches_ignorees_et_non_comptees() -> None:
    lecture, lignes, _ = lire(b"a;b\n\n;\n  ;  \n1;2\n")
    assert lignes == [(5, ["1", "2"])]
    assert lecture.lignes_lues == 1


def test_caractere_de_controle_refuse_avec_sa_ligne_et_sa_colonne() -> None:
    contenu = "nom;prenom\nMartin;Élodie\nDupont\x1b;Jean\x85\nDurand;Léa\n".encode()
    lecture, lignes, erreurs = lire(contenu)
    assert erreurs == [(3, "nom", MESSAGE_CONTROLE), (3, "prenom", MESSAGE_CONTROLE)]
    assert [numero for numero, _ in lignes] == [2, 4]
    assert lecture.lignes_lues == 3


def test_noms_des_colonnes_dans_les_erreurs_au_choix_de_l_import() -> None:
    erreurs: list[Erreur] = []
    with texte_du_fichier(b"a;b\n1;\x07\n", taille_max=100) as (_, texte):
        lecture = LectureCsv(texte, signaler=lambda *erreur: erreurs.append(erreur))
        assert list(lecture.lignes(noms=["premiere", "seconde"])) == []
    assert erreurs == [(2, "seconde", MESSAGE_CONTROLE)]


def test_tabulation_et_retour_a_la_ligne_permis_dans_une_cellule() -> None:
    _, lignes, erreurs = lire(b'a;b\n"x\ty";"1\r\n2"\n')
    assert lignes == [(2, ["x\ty", "1\r\n2"])]
    assert erreurs == []


@pytest.mark.parametrize(
    ("ligne", "message"),
    [
        (b"1;2;3\n", "3 champs au lieu de 2 : vérifiez les séparateurs « ; » et les guillemets."),
        (b"1\n", "1 champ au lieu de 2 : vérifiez les séparateurs « ; » et les guillemets."),
    ],
)
def test_nombre_de_champs_different_de_l_en_tete(ligne: bytes, message: str) -> None:
    _, lignes, erreurs = lire(b"a;b\n" + ligne + b"x;y\n")
    assert erreurs == [(2, "", message)]
    assert lignes == [(3, ["x", "y"])]


def test_cellules_vides_en_trop_tolerees() -> None:
    _, lignes, erreurs = lire(b"a;b\n1;2;;;\n")
    assert lignes == [(2, ["1", "2"])]
    assert erreurs == []


def test_guillemet_non_referme_puis_la_lecture_reprend() -> None:
    _, lignes, erreurs = lire(b'a;b\n"x"y;1\nz;2\n')
    assert erreurs == [(2, "", "Ligne illisible : champ démesuré ou guillemet non refermé.")]
    assert lignes == [(3, ["z", "2"])]


def test_guillemet_non_referme_en_fin_de_fichier() -> None:
    lecture, lignes, erreurs = lire(b'a;b\nz;2\n"x;1\n')
    assert lignes == [(2, ["z", "2"])]
    assert [(ligne, message[:16]) for ligne, _, message in erreurs] == [(3, "Ligne illisible ")]
    assert lecture.lignes_lues == 2


def test_ligne_demesuree_sautee_sans_etre_chargee() -> None:
    contenu = b"a;b\n" + b"x" * (3 * LONGUEUR_MAX_LIGNE) + b"\n1;2\n"
    _, lignes, erreurs = lire(contenu)
    assert erreurs == [(2, "", "Ligne démesurée (plus de 10\xa0000 caractères).")]
    assert lignes == [(3, ["1", "2"])]


def test_en_tete_illisible_donne_des_colonnes_vides() -> None:
    contenu = b'"' + (b"x" * 5000 + b"\n") * 30 + b'"\n1;2\n'
    lecture, _, _ = lire(contenu)
    assert lecture.colonnes == []


def test_un_grand_fichier_se_lit_en_flux() -> None:
    """The rows come one by one from the text stream: the reader keeps none of them."""
    erreurs: list[Erreur] = []
    nombre = 200_000
    with texte_du_fichier(
        b"a;b\n" + b"".join(b"%d;x\n" % n for n in range(nombre)), taille_max=10 * 1024 * 1024
    ) as (_, texte):
        lecture = LectureCsv(texte, signaler=lambda *erreur: erreurs.append(erreur))
        lignes = lecture.lignes()
        premiere = next(lignes)
        position = texte.tell()
        assert premiere.numero == 2
        assert position < 1024 * 1024  # only the first buffered block was read
        derniere = premiere
        for derniere in lignes:  # noqa: B007
            pass
    assert (derniere.numero, derniere.cellules) == (nombre + 1, [str(nombre - 1), "x"])
    assert lecture.lignes_lues == nombre
    assert erreurs == []


def test_une_erreur_se_dit_de_la_meme_facon_dans_chaque_import() -> None:
    """The roll, the notices' delivery and the scrutins imports list the same errors."""
    assert str(ErreurDeLigne(3, "numen", "NUMEN invalide.")) == (
        "Ligne 3, colonne « numen » : NUMEN invalide."
    )
    assert str(ErreurDeLigne(7, "", "4 champs au lieu de 5.")) == "Ligne 7 : 4 champs au lieu de 5."
    assert str(ErreurDeLigne(0, "", "Le fichier est vide.")) == "Le fichier est vide."


@pytest.mark.parametrize(
    ("valeur", "attendue"),
    [
        ("25/12/1980", date(1980, 12, 25)),
        ("1/2/2026", date(2026, 2, 1)),
        ("1980-12-25", date(1980, 12, 25)),
        ("2026-2-1", date(2026, 2, 1)),
        ("29/02/2024", date(2024, 2, 29)),
    ],
)
def test_une_date_se_lit_a_la_francaise_ou_en_iso(valeur: str, attendue: date) -> None:
    assert lire_date(valeur) == attendue


@pytest.mark.parametrize(
    ("valeur", "message"),
    [
        ("25.12.1980", "Date attendue au format JJ/MM/AAAA ou AAAA-MM-JJ."),
        ("25/12/80", "Date attendue au format JJ/MM/AAAA ou AAAA-MM-JJ."),
        ("1980-12-25T10:00", "Date attendue au format JJ/MM/AAAA ou AAAA-MM-JJ."),
        (" 25/12/1980", "Date attendue au format JJ/MM/AAAA ou AAAA-MM-JJ."),
        ("", "Date attendue au format JJ/MM/AAAA ou AAAA-MM-JJ."),
        ("31/02/2026", "Cette date n'existe pas."),
        ("2026-13-01", "Cette date n'existe pas."),
        ("00/01/2026", "Cette date n'existe pas."),
        ("01/01/0000", "Cette date n'existe pas."),
    ],
)
def test_une_date_illisible_dit_pourquoi_en_francais(valeur: str, message: str) -> None:
    """The roll import (birth date) and the delivery lists (date of the state) report
    these very messages."""
    with pytest.raises(ValueError) as refus:
        lire_date(valeur)
    assert str(refus.value) == message
