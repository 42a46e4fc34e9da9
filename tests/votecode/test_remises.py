"""Delivery of the notices (B01): import of the establishments' lists, one by one, and the
dashboard's counts."""

import codecs
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isoloir.audit.models import Evenement
from isoloir.core import horloge
from isoloir.votecode import remises
from isoloir.votecode.models import CodeDeVote, EtatRemise, Origine, RemiseDeNotice
from tests.concurrence import en_meme_temps

pytestmark = pytest.mark.django_db

HIER = (horloge.maintenant() - timedelta(days=1)).date()
NUMENS = ["69E9500001ABC", "69E9500002ABC", "69E9500003ABC", "69E9500004ABC"]


def _avec_code(electeur) -> None:
    CodeDeVote.objects.create(
        electeur=electeur,
        empreinte="argon2-factice",
        origine=Origine.INITIAL,
        emis_le=horloge.maintenant(),
    )


@pytest.fixture
def campagne(creer_campagne, creer_scrutin, creer_electeur):
    campagne = creer_campagne(ouverture=horloge.maintenant() + timedelta(days=30))
    scrutin = creer_scrutin(campagne)
    for n, numen in enumerate(NUMENS):
        electeur = creer_electeur(
            scrutin,
            email=f"agent{n}@ac-lyon.fr",
            numen=numen,
            etablissement="Lycée du Parc" if n < 3 else "Collège Ampère",
        )
        _avec_code(electeur)
    return campagne


def _csv(*lignes: str, entete: str = "adresse électronique professionnelle;état;date") -> bytes:
    return ("\n".join([entete, *lignes]) + "\n").encode()


def _importer(campagne, contenu: bytes, *, simulation: bool = False):
    return remises.importer_remises(
        contenu, campagne=campagne, simulation=simulation, compte_id=None
    )


def _etats() -> dict[str, tuple[str, date | None]]:
    return {
        r.electeur.compte.email: (r.etat, r.date)
        for r in RemiseDeNotice.objects.select_related("electeur__compte")
    }


def test_tous_les_etats_et_idempotence(campagne) -> None:
    fichier = _csv(
        f"agent0@ac-lyon.fr;Remise contre signature;{HIER:%d/%m/%Y}",
        f"AGENT1@ac-lyon.fr;envoyée par la poste;{HIER:%Y-%m-%d}",
        f"agent2@ac-lyon.fr;Détruite;{HIER:%d/%m/%Y}",
        "agent3@ac-lyon.fr;en attente;",
    )
    rapport = _importer(campagne, fichier)
    assert not rapport.refuse, rapport.erreurs
    assert rapport.lignes == 4
    assert dict(rapport.modifiees) == {"remise": 1, "poste": 1, "detruite": 1}
    assert rapport.inchangees == 1  # « en attente » is what an unrecorded notice is
    assert _etats() == {
        "agent0@ac-lyon.fr": (EtatRemise.REMISE, HIER),
        "agent1@ac-lyon.fr": (EtatRemise.POSTE, HIER),
        "agent2@ac-lyon.fr": (EtatRemise.DETRUITE, HIER),
    }
    assert RemiseDeNotice.objects.get(
        electeur__compte__email="agent0@ac-lyon.fr"
    ).etablissement == ("Lycée du Parc")
    evenement = Evenement.objects.get(type="notices.remises_importees")
    assert evenement.details["etat_remise"] == 1
    # The same file again: nothing changes, nothing rewritten.
    avant = list(RemiseDeNotice.objects.values_list("pk", "modifiee_le"))
    encore = _importer(campagne, fichier)
    assert (encore.total_modifiees, encore.inchangees) == (0, 4)
    assert list(RemiseDeNotice.objects.values_list("pk", "modifiee_le")) == avant


def test_par_numen_en_windows_1252_avec_virgules(campagne) -> None:
    texte = (
        f"NUMEN,État,Date\n{NUMENS[3]},Remise,{HIER:%d/%m/%Y}\n"
        f"69e95 00001abc,posté,{HIER:%d/%m/%Y}\n"
    )
    rapport = _importer(campagne, texte.encode("cp1252"))
    assert not rapport.refuse, rapport.erreurs
    assert (rapport.encodage, rapport.separateur) == ("Windows-1252", ",")
    assert _etats() == {
        "agent3@ac-lyon.fr": (EtatRemise.REMISE, HIER),
        "agent0@ac-lyon.fr": (EtatRemise.POSTE, HIER),
    }


def test_utf8_avec_bom(campagne) -> None:
    contenu = codecs.BOM_UTF8 + _csv(f"agent0@ac-lyon.fr;détruite;{HIER:%d/%m/%Y}")
    rapport = _importer(campagne, contenu)
    assert not rapport.refuse, rapport.erreurs
    assert rapport.encodage == "UTF-8 avec BOM"
    assert _etats() == {"agent0@ac-lyon.fr": (EtatRemise.DETRUITE, HIER)}


def test_la_simulation_n_ecrit_rien(campagne) -> None:
    rapport = _importer(
        campagne, _csv(f"agent0@ac-lyon.fr;remise;{HIER:%d/%m/%Y}"), simulation=True
    )
    assert not rapport.refuse and rapport.simulation
    assert dict(rapport.modifiees) == {"remise": 1}
    assert not RemiseDeNotice.objects.exists()
    assert not Evenement.objects.filter(type="notices.remises_importees").exists()


def test_une_ligne_erronee_et_rien_n_est_ecrit(campagne, creer_electeur, creer_scrutin) -> None:
    hors_campagne = creer_electeur(creer_scrutin(), email="autre@ac-lyon.fr")
    _avec_code(hors_campagne)
    sans_notice = creer_electeur(
        campagne.scrutins.first(), email="sans.notice@ac-lyon.fr", numen="69E9500009ABC"
    )
    demain = horloge.maintenant().date() + timedelta(days=2)
    rapport = _importer(
        campagne,
        _csv(
            f"agent0@ac-lyon.fr;remise;{HIER:%d/%m/%Y}",  # fine, but not written
            "agent1@ac-lyon.fr;perdue;01/01/2026",
            "agent2@ac-lyon.fr;remise;",
            f"agent3@ac-lyon.fr;remise;{demain:%d/%m/%Y}",
            "inconnu@ac-lyon.fr;remise;01/01/2026",
            "autre@ac-lyon.fr;remise;01/01/2026",
            f"{sans_notice.compte.email};remise;01/01/2026",
            "pas-une-adresse;remise;31/02/2026",
            "agent0@ac-lyon.fr;poste;01/01/2026",
            ";remise;01/01/2026",
        ),
    )
    assert rapport.refuse
    messages = [str(e) for e in rapport.erreurs]
    assert "Ligne 3, colonne « état » : État inconnu" in messages[0]
    attendus = [
        "Ligne 4, colonne « date » : Date obligatoire pour une notice remise, envoyée ou détruite.",
        "Ligne 5, colonne « date » : Date dans le futur : indiquez le jour où c'est arrivé.",
        "Ligne 9, colonne « adresse électronique professionnelle » : Adresse électronique "
        "invalide : il manque le caractère @.",
        "Ligne 9, colonne « date » : Cette date n'existe pas.",
        "Ligne 11 : Indiquez l'adresse électronique professionnelle ou le NUMEN.",
    ]
    for attendu in attendus:
        assert attendu in messages
    assert not RemiseDeNotice.objects.exists()
    # The file's form is right: the second pass, against the database, speaks too.
    rapport = _importer(
        campagne,
        _csv(
            f"agent0@ac-lyon.fr;remise;{HIER:%d/%m/%Y}",
            "inconnu@ac-lyon.fr;remise;01/01/2026",
            "autre@ac-lyon.fr;remise;01/01/2026",
            f"{sans_notice.compte.email};remise;01/01/2026",
            "agent0@ac-lyon.fr;poste;01/01/2026",
        ),
    )
    assert [str(e) for e in rapport.erreurs] == [
        "Ligne 3, colonne « adresse électronique professionnelle » : Aucun électeur n'a cette "
        "adresse.",
        "Ligne 4 : Cet électeur n'est inscrit sur aucune liste de la campagne.",
        "Ligne 5 : Aucune notice n'a encore été générée pour cet électeur.",
        "Ligne 6 : Électeur déjà présent ligne 2.",
    ]
    assert not RemiseDeNotice.objects.exists()
    assert not Evenement.objects.filter(type="notices.remises_importees").exists()


def test_le_numen_n_est_jamais_cite(campagne) -> None:
    texte = ""
    for numen in ("69E95000XXABC", "69E9599999ZZZ"):
        rapport = _importer(campagne, _csv(f"{numen};remise;01/01/2026", entete="numen;etat;date"))
        texte += " ".join(str(e) for e in rapport.erreurs)
    assert "NUMEN invalide" in texte and "Aucun électeur n'a ce NUMEN" in texte
    assert "69E95" not in texte and "ZZZ" not in texte


def test_adresse_et_numen_contradictoires(campagne) -> None:
    rapport = _importer(
        campagne,
        _csv(f"agent0@ac-lyon.fr;{NUMENS[1]};remise;01/01/2026", entete="email;numen;etat;date"),
    )
    assert [str(e) for e in rapport.erreurs] == [
        "Ligne 2, colonne « NUMEN » : L'adresse et le NUMEN désignent deux électeurs différents."
    ]


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"a;b;c\nx;y;z\n", "La première ligne doit nommer les colonnes"),
        (b"email;etat\nagent0@ac-lyon.fr;remise\n", "Colonne absente de l'en-tête."),
        (b"email;etat;date\n", "seulement l'en-tête"),
        ("email;état;date".encode("utf-16"), "octets nuls"),
        (b"email;etat;date\n\x81\x8d;remise;01/01/2026\n", "ni en UTF-8 ni en Windows-1252"),
        (b'email;etat;date\n"agent0@ac-lyon.fr;remise;01/01/2026\n', "guillemet"),
        (b"email;etat;date\nagent0@ac-lyon.fr;remise;01/01/2026;x;y\n", "5 champs au lieu de 3"),
        # The rules of every CSV import (core/lecture_csv.py): a row short of a cell, a
        # control character, even in a column the import does not use.
        (b"email;etat;date\nagent0@ac-lyon.fr;en attente\n", "2 champs au lieu de 3"),
        (
            b"email;etat;date\nagent0@ac-lyon.fr;remise\x0b;01/01/2026\n",
            "Ligne 2, colonne « état » : Caractère de contrôle interdit.",
        ),
        (
            b"email;etat;date;Commentaire\nagent0@ac-lyon.fr;remise;01/01/2026;\x01\n",
            "Ligne 2, colonne « Commentaire » : Caractère de contrôle interdit.",
        ),
    ],
)
def test_fichiers_mal_formes(campagne, contenu: bytes, message: str) -> None:
    rapport = _importer(campagne, contenu)
    assert rapport.refuse
    assert message in " ".join(str(e) for e in rapport.erreurs)
    assert not RemiseDeNotice.objects.exists()


def test_une_a_une(campagne) -> None:
    electeur = campagne.scrutins.first().inscriptions.first().electeur
    assert remises.remise_de(electeur).etat == EtatRemise.EN_ATTENTE
    with pytest.raises(remises.RemiseInvalide) as refus:
        remises.modifier_remise(electeur, etat=EtatRemise.REMISE, jour=None, compte_id=None)
    assert refus.value.champ == "date"
    assert remises.modifier_remise(electeur, etat=EtatRemise.REMISE, jour=HIER, compte_id=None)
    assert not remises.modifier_remise(electeur, etat=EtatRemise.REMISE, jour=HIER, compte_id=None)
    assert remises.modifier_remise(electeur, etat=EtatRemise.DETRUITE, jour=HIER, compte_id=None)
    evenements = Evenement.objects.filter(type="notices.remise_modifiee").order_by("pk")
    assert [(e.details["avant"], e.details["apres"]) for e in evenements] == [
        ("en_attente", "remise"),
        ("remise", "detruite"),
    ]
    assert evenements[0].details["electeur"] == electeur.pk


def test_tableau_par_etablissement(campagne, creer_electeur) -> None:
    sans_notice = creer_electeur(campagne.scrutins.first(), etablissement="Collège Ampère")
    _importer(
        campagne,
        _csv(
            f"agent0@ac-lyon.fr;remise;{HIER:%d/%m/%Y}",
            f"agent1@ac-lyon.fr;poste;{HIER:%d/%m/%Y}",
            f"agent3@ac-lyon.fr;détruite;{HIER:%d/%m/%Y}",
        ),
    )
    lignes = {ligne.etablissement: ligne for ligne in remises.tableau_des_remises(campagne)}
    parc, ampere = lignes["Lycée du Parc"], lignes["Collège Ampère"]
    assert (parc.electeurs, parc.notices, parc.remises, parc.postees, parc.en_attente) == (
        3,
        3,
        1,
        1,
        1,
    )
    assert (ampere.electeurs, ampere.notices, ampere.detruites, ampere.en_attente) == (2, 1, 1, 0)
    assert remises.totaux(lignes.values())["en_attente"] == 1
    assert sans_notice.pk in remises.electeurs_de(campagne).values_list("pk", flat=True)
    assert not remises.retard(campagne)
    assert [
        ligne.etablissement for ligne in remises.tableau_des_remises(campagne, recherche="parc")
    ] == ["Lycée du Parc"]


# --- Fuzzing ----------------------------------------------------------------------------------

_cellule = st.one_of(
    st.sampled_from(
        [
            "agent0@ac-lyon.fr",
            "agent1@ac-lyon.fr",
            "AGENT2@AC-LYON.FR",
            NUMENS[3],
            "remise",
            "poste",
            "détruite",
            "en attente",
            f"{HIER:%d/%m/%Y}",
            "31/02/2026",
            "",
            '"',
            ";",
            "\r\n",
        ]
    ),
    st.text(max_size=12),
)
_ligne = st.lists(_cellule, min_size=0, max_size=5).map(";".join)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    entete=st.sampled_from(
        ["email;etat;date", "numen;etat;date", "Adresse électronique;État;Date", "x;y", ""]
    ),
    lignes=st.lists(_ligne, max_size=6),
    encodage=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    simulation=st.booleans(),
)
def test_fuzz_tout_ou_rien_et_des_erreurs_en_francais(
    campagne, entete: str, lignes: list[str], encodage: str, simulation: bool
) -> None:
    texte = "\n".join([entete, *lignes])
    try:
        contenu = texte.encode(encodage)
    except UnicodeEncodeError:
        contenu = texte.encode("utf-8")
    avant = _etats()
    rapport = _importer(campagne, contenu, simulation=simulation)
    apres = _etats()
    if rapport.refuse or simulation:
        assert apres == avant  # nothing half-written
    for erreur in rapport.erreurs:
        assert erreur.raison and (erreur.raison[0].isupper() or erreur.raison[0].isdigit())
        assert "Traceback" not in erreur.raison
    if not rapport.refuse and not simulation:
        # Idempotent: the same file again changes nothing.
        encore = _importer(campagne, contenu)
        assert encore.total_modifiees == 0
        assert _etats() == apres


@pytest.mark.django_db(transaction=True)
def test_le_meme_import_deux_fois_en_meme_temps(campagne) -> None:
    fichier = _csv(
        f"agent0@ac-lyon.fr;remise;{HIER:%d/%m/%Y}",
        f"agent1@ac-lyon.fr;poste;{HIER:%d/%m/%Y}",
    )
    resultats = en_meme_temps(lambda n: _importer(campagne, fichier), range(2))
    for rapport in resultats:
        assert isinstance(rapport, remises.RapportRemises), resultats
    # Whatever the order: the state is the file's, each voter has one row.
    assert _etats() == {
        "agent0@ac-lyon.fr": (EtatRemise.REMISE, HIER),
        "agent1@ac-lyon.fr": (EtatRemise.POSTE, HIER),
    }
    appliques = [r for r in resultats if not r.refuse]
    assert sum(r.total_modifiees for r in appliques) == 2
