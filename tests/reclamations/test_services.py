"""Filing and deciding claims: each kind changes the roll as it should, or nothing at all."""

import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from isoloir.accounts import numen
from isoloir.accounts.models import CHAMPS_D_IDENTITE, Compte, Electeur
from isoloir.audit.models import Evenement
from isoloir.audit.services import verifier_chaine
from isoloir.core import horloge
from isoloir.counting.models import BureauDeVote, MembreDuBureau, Role
from isoloir.elections.models import Campagne, Inscription
from isoloir.gestion.roles import RoleDeGestion
from isoloir.notify.models import Courriel
from isoloir.reclamations import pieces, services
from isoloir.reclamations.forms import ReclamationSansCompteForm
from isoloir.reclamations.models import (
    CHAMPS_D_IDENTITE_RECLAMES,
    PieceJointe,
    Reclamation,
    StatutReclamation,
)
from isoloir.reclamations.services import depot
from tests.concurrence import en_meme_temps
from tests.factories import numen_de
from tests.reclamations.conftest import (
    FAUX_PDF,
    JPEG,
    NUMEN_NOUVEAU,
    PDF,
    PNG,
    Situation,
    fichier,
    sceller,
)

# Dates matter here: run at today's date and at each edge of the calendar.
pytestmark = [pytest.mark.django_db, pytest.mark.calendrier]


def deposer(s: Situation, type: str = "omission", **champs) -> Reclamation:
    champs.setdefault("scrutin", s.b if type == "omission" else s.a)
    champs.setdefault("explication", "Je suis professeure certifiée depuis 2019.")
    champs.setdefault("jeton", uuid.uuid4())
    identite = {k: champs.pop(k) for k in CHAMPS_D_IDENTITE_RECLAMES if k in champs}
    depot = services.deposer(
        electeur=s.electeur, campagne=s.campagne, type=type, identite=identite, **champs
    )
    assert depot.cree
    return depot.reclamation


def deposer_sans_compte(s: Situation, **champs) -> Reclamation:
    identite = {
        "civilite": "M.",
        "nom_naissance": "Oubli",
        "nom_usage": "",
        "prenoms": "Jean Paul",
        "date_naissance": date(1985, 3, 2),
        "etablissement": "Collège Jean Moulin",
    }
    depot = services.deposer_sans_compte(
        scrutin=champs.pop("scrutin", s.c),
        explication="Recruté au 1er septembre, je ne figure sur aucune liste.",
        identite=identite,
        email=champs.pop("email", "Jean-Paul.Oubli@ac-lyon.fr"),
        jeton=champs.pop("jeton", uuid.uuid4()),
        ip="198.51.100.7",
        **champs,
    )
    return depot.reclamation


def types_journalises() -> list[str]:
    return list(
        Evenement.objects.filter(type__startswith="reclamation.")
        .order_by("pk")
        .values_list("type", flat=True)
    )


def inscrits(electeur: Electeur) -> set[str]:
    return set(
        Inscription.objects.filter(electeur=electeur).values_list("scrutin__code", flat=True)
    )


# --- Filing ------------------------------------------------------------------------------


def test_depot_numero_recepisse_journal_et_accuse(situation: Situation) -> None:
    premiere = deposer(situation)
    seconde = deposer(situation, "identite", nom_naissance="Campodifiori")
    assert premiere.reference == f"R-{situation.campagne.ouverture.year}-00001"
    assert seconde.reference.endswith("-00002")
    assert premiere.statut == StatutReclamation.DEPOSEE
    assert seconde.nom_naissance == "Campodifiori"
    evenement = Evenement.objects.filter(type="reclamation.deposee").order_by("pk").first()
    assert evenement is not None
    assert evenement.details == {
        "reclamation": premiere.pk,
        "campagne": situation.campagne.pk,
        "scrutin": situation.b.pk,
        "objet": "omission",
        "pieces": 0,
    }
    assert evenement.compte_id == situation.electeur.compte_id
    accuse = Courriel.objects.filter(type="reclamation_deposee").order_by("pk").first()
    assert accuse is not None
    assert accuse.destinataire == "sophie.campodifiori@ac-lyon.fr"
    assert accuse.contexte == {"reclamation_id": premiere.pk}
    assert verifier_chaine() is None


def test_la_numerotation_est_propre_a_chaque_campagne(
    situation: Situation, creer_campagne, creer_scrutin, creer_electeur
) -> None:
    deposer(situation)
    autre = creer_campagne(
        ouverture=horloge.maintenant() + timedelta(days=20),
        publication_des_listes=horloge.maintenant() - timedelta(hours=1),
    )
    scrutin = creer_scrutin(autre)
    electeur = creer_electeur(creer_scrutin(autre))
    depot = services.deposer(
        electeur=electeur,
        campagne=autre,
        type="omission",
        scrutin=scrutin,
        explication="Oubli.",
        jeton=uuid.uuid4(),
    )
    assert depot.reclamation.numero == 1


def test_le_meme_formulaire_envoye_deux_fois_ne_depose_qu_une_reclamation(
    situation: Situation,
) -> None:
    jeton = uuid.uuid4()
    premiere = deposer(situation, jeton=jeton, pieces=[pieces.verifier(fichier("a.pdf", PDF))])
    depot = services.deposer(
        electeur=situation.electeur,
        campagne=situation.campagne,
        type="omission",
        scrutin=situation.b,
        explication="Je suis professeure certifiée depuis 2019.",
        jeton=jeton,
        pieces=[pieces.verifier(fichier("a.pdf", PDF))],
    )
    assert not depot.cree
    assert depot.reclamation.pk == premiere.pk
    assert Reclamation.objects.count() == 1
    assert PieceJointe.objects.count() == 1
    assert types_journalises() == ["reclamation.deposee"]
    assert Courriel.objects.count() == 1


def test_le_jeton_d_un_autre_electeur_est_refuse(situation: Situation, creer_electeur) -> None:
    jeton = uuid.uuid4()
    deposer(situation, jeton=jeton)
    autre = creer_electeur(situation.a)
    with pytest.raises(services.ReclamationRefusee, match="expiré"):
        services.deposer(
            electeur=autre,
            campagne=situation.campagne,
            type="omission",
            scrutin=situation.b,
            explication="x",
            jeton=jeton,
        )


@pytest.mark.parametrize(
    ("decalage", "attendu"),
    [
        (timedelta(days=-5), "seront ouvertes du"),
        (timedelta(days=12), "ce délai est expiré"),
    ],
)
def test_hors_de_la_periode_des_reclamations(situation: Situation, decalage, attendu) -> None:
    with horloge.decalee_de(decalage), pytest.raises(services.ReclamationRefusee) as refus:
        deposer(situation)
    assert attendu in refus.value.message
    assert "Élections professionnelles 2026" in refus.value.message
    assert not Reclamation.objects.exists()


def test_listes_non_publiees(situation: Situation) -> None:
    situation.campagne.publication_des_listes = None
    situation.campagne.save()
    with pytest.raises(services.ReclamationRefusee, match="pas encore publiées"):
        deposer(situation)


@pytest.mark.parametrize(
    ("type", "scrutin", "message"),
    [
        ("omission", "a", "figurez déjà"),
        ("mauvais_scrutin", "b", "ne figurez pas"),
        ("identite", "c", "ne figurez pas"),
    ],
)
def test_le_scrutin_doit_convenir_a_l_objet(situation: Situation, type, scrutin, message) -> None:
    with pytest.raises(services.ReclamationRefusee, match=message):
        deposer(situation, type, scrutin=getattr(situation, scrutin))
    assert not Reclamation.objects.exists()


def test_nombre_de_reclamations_limite(situation: Situation) -> None:
    for _ in range(depot.PAR_ELECTEUR.plafond):
        deposer(situation)
    with pytest.raises(services.TropDeReclamations):
        deposer(situation)


# --- Attachments -------------------------------------------------------------------------


def test_pieces_reconnues_par_leur_contenu() -> None:
    verifiees = pieces.verifier_toutes(
        [
            fichier("arrêté d'affectation.PDF", PDF),
            # Named .pdf, declared PDF, but a PNG: kept as what it is.
            fichier("scan.pdf", PNG),
            fichier("../../etc/photo.jpeg", JPEG, "image/jpeg"),
        ]
    )
    assert [(p.nom, p.type_mime) for p in verifiees] == [
        ("arrete-d-affectation.pdf", "application/pdf"),
        ("scan.png", "image/png"),
        ("photo.jpg", "image/jpeg"),
    ]


@pytest.mark.parametrize(
    ("fichiers", "message"),
    [
        ([fichier("bulletin.pdf", FAUX_PDF)], "n'est ni un PDF, ni une image"),
        ([fichier("vide.pdf", b"")], "est vide"),
        ([fichier("gros.pdf", PDF + b"0" * pieces.TAILLE_MAX)], "dépasse 5 Mo"),
        ([fichier(f"{n}.pdf", PDF) for n in range(4)], "au plus 3 fichiers"),
        ([fichier("prog.exe", b"MZ\x90\x00")], "n'est ni un PDF"),
    ],
)
def test_pieces_refusees(fichiers, message) -> None:
    with pytest.raises(ValidationError) as erreur:
        pieces.verifier_toutes(fichiers)
    assert any(message in m for m in erreur.value.messages)


def test_pieces_stockees_sous_un_nom_imprevisible(situation: Situation, settings) -> None:
    reclamation = deposer(
        situation,
        pieces=[
            pieces.verifier(fichier("arrete.pdf", PDF)),
            pieces.verifier(fichier("p.png", PNG)),
        ],
    )
    stockees = list(reclamation.pieces.order_by("pk"))
    assert [p.nom for p in stockees] == ["arrete.pdf", "p.png"]
    for piece in stockees:
        assert re.fullmatch(r"[0-9a-f]{40}\.bin", piece.fichier.name)
        chemin = Path(piece.fichier.path)
        assert chemin.is_relative_to(Path(settings.MEDIA_ROOT) / "reclamations")
        with pytest.raises(ValueError):
            _ = piece.fichier.url  # no public address
    assert Path(stockees[0].fichier.path).read_bytes() == PDF


def test_un_depot_refuse_ne_laisse_aucun_fichier(situation: Situation, settings) -> None:
    dossier = Path(settings.MEDIA_ROOT) / "reclamations"
    avant = set(dossier.glob("*")) if dossier.exists() else set()
    sceller(situation.b)  # irrelevant to filing: a claim on a sealed roll may be filed
    with pytest.raises(services.ReclamationRefusee):
        deposer(situation, scrutin=situation.a, pieces=[pieces.verifier(fichier("a.pdf", PDF))])
    assert (set(dossier.glob("*")) if dossier.exists() else set()) == avant
    assert not PieceJointe.objects.exists()


# --- Deciding ----------------------------------------------------------------------------


def test_omission_acceptee_ajoute_l_inscription(situation: Situation) -> None:
    reclamation = deposer(situation)
    services.prendre_en_charge(reclamation_id=reclamation.pk, compte=situation.administrateur)
    services.accepter(
        reclamation_id=reclamation.pk,
        compte=situation.administrateur,
        decision=services.Decision(),
        ip="192.0.2.9",
    )
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.ACCEPTEE
    assert reclamation.decide_par == situation.administrateur
    assert inscrits(situation.electeur) == {"csa-lyon", "cap-certifies"}
    assert types_journalises() == [
        "reclamation.deposee",
        "reclamation.prise_en_charge",
        "reclamation.acceptee",
    ]
    acceptee = Evenement.objects.get(type="reclamation.acceptee")
    assert acceptee.details == {
        "reclamation": reclamation.pk,
        "electeur": situation.electeur.pk,
        "inscription_ajoutee": situation.b.pk,
    }
    assert acceptee.ip == "192.0.2.9"
    assert Courriel.objects.filter(type="reclamation_decision").count() == 1


def test_mauvais_scrutin_accepte_deplace_l_inscription(situation: Situation) -> None:
    reclamation = deposer(situation, "mauvais_scrutin", scrutin_souhaite=situation.b)
    assert reclamation.scrutin_souhaite == situation.b
    with pytest.raises(services.ReclamationRefusee, match="Choisissez le scrutin"):
        services.accepter(
            reclamation_id=reclamation.pk,
            compte=situation.administrateur,
            decision=services.Decision(),
        )
    services.accepter(
        reclamation_id=reclamation.pk,
        compte=situation.administrateur,
        decision=services.Decision(scrutin_souhaite=situation.c, motif="Affectation vérifiée."),
    )
    assert inscrits(situation.electeur) == {"ccp"}
    reclamation.refresh_from_db()
    assert reclamation.scrutin_souhaite == situation.c
    assert reclamation.motif == "Affectation vérifiée."
    assert Evenement.objects.get(type="reclamation.acceptee").details == {
        "reclamation": reclamation.pk,
        "electeur": situation.electeur.pk,
        "inscription_retiree": situation.a.pk,
        "inscription_ajoutee": situation.c.pk,
    }


def test_identite_acceptee_corrige_les_valeurs_confirmees(situation: Situation) -> None:
    reclamation = deposer(situation, "identite", nom_naissance="Campodifiori")
    identite = {
        "civilite": "Mme",
        "nom_naissance": "Campodifiori",
        "nom_usage": "",
        "prenoms": "Sophie Marie",
        "date_naissance": date(1977, 5, 4),
        "etablissement": "Lycée du Parc, Lyon",
    }
    services.accepter(
        reclamation_id=reclamation.pk,
        compte=situation.administrateur,
        decision=services.Decision(identite=identite),
    )
    electeur = Electeur.objects.get(pk=situation.electeur.pk)
    assert electeur.nom_naissance == "Campodifiori"
    assert electeur.etablissement == "Lycée du Parc, Lyon"
    assert inscrits(electeur) == {"csa-lyon"}
    assert Evenement.objects.get(type="reclamation.acceptee").details["champs_corriges"] == [
        "nom_naissance",
        "etablissement",
    ]


def test_identite_invalide_ne_change_rien(situation: Situation) -> None:
    reclamation = deposer(situation, "identite", nom_naissance="Campodifiori")
    with pytest.raises(services.ReclamationRefusee):
        services.accepter(
            reclamation_id=reclamation.pk,
            compte=situation.administrateur,
            decision=services.Decision(identite={"civilite": "Dr", "nom_naissance": "X"}),
        )
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.DEPOSEE
    assert Electeur.objects.get(pk=situation.electeur.pk).nom_naissance == "Campodifiroi"


def test_rejet_avec_motif_obligatoire(situation: Situation) -> None:
    reclamation = deposer(situation)
    with pytest.raises(services.ReclamationRefusee, match="motif"):
        services.rejeter(reclamation_id=reclamation.pk, compte=situation.administrateur, motif=" ")
    services.rejeter(
        reclamation_id=reclamation.pk,
        compte=situation.administrateur,
        motif="Vous relevez de la CAP des agrégés.",
    )
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.REJETEE
    assert reclamation.motif == "Vous relevez de la CAP des agrégés."
    assert reclamation.pris_en_charge_par == situation.administrateur
    assert inscrits(situation.electeur) == {"csa-lyon"}
    assert types_journalises() == ["reclamation.deposee", "reclamation.rejetee"]
    assert Evenement.objects.get(type="reclamation.rejetee").details == {
        "reclamation": reclamation.pk
    }
    with pytest.raises(services.ReclamationRefusee, match="déjà été rejetée par Agnès Gestion"):
        services.accepter(
            reclamation_id=reclamation.pk,
            compte=situation.administrateur,
            decision=services.Decision(),
        )


def test_prise_en_charge_une_seule_fois(situation: Situation, autre_administrateur) -> None:
    reclamation = deposer(situation)
    services.prendre_en_charge(reclamation_id=reclamation.pk, compte=situation.administrateur)
    with pytest.raises(services.ReclamationRefusee, match="prise en charge par Agnès Gestion"):
        services.prendre_en_charge(reclamation_id=reclamation.pk, compte=autre_administrateur)


@pytest.mark.parametrize("type", ["omission", "mauvais_scrutin", "identite"])
def test_liste_scellee_refus_et_reclamation_intacte(situation: Situation, type: str) -> None:
    champs = {"scrutin_souhaite": situation.b} if type == "mauvais_scrutin" else {}
    if type == "identite":
        champs["nom_naissance"] = "Campodifiori"
    reclamation = deposer(situation, type, **champs)
    services.prendre_en_charge(reclamation_id=reclamation.pk, compte=situation.administrateur)
    sceller(situation.b if type == "omission" else situation.a)
    with pytest.raises(services.ReclamationRefusee) as refus:
        services.accepter(
            reclamation_id=reclamation.pk,
            compte=situation.administrateur,
            decision=services.Decision(
                scrutin_souhaite=situation.b, identite={"nom_naissance": "Campodifiori"}
            ),
        )
    assert "est scellé par le bureau de vote « BVE central »" in refus.value.message
    assert "Rien n'a été enregistré" in refus.value.message
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.EN_COURS
    assert reclamation.decide_le is None
    assert inscrits(situation.electeur) == {"csa-lyon"}
    assert Electeur.objects.get(pk=situation.electeur.pk).nom_naissance == "Campodifiroi"
    assert "reclamation.acceptee" not in types_journalises()
    assert not Courriel.objects.filter(type="reclamation_decision").exists()


def test_le_scrutin_de_destination_scelle_est_refuse(situation: Situation) -> None:
    reclamation = deposer(situation, "mauvais_scrutin")
    sceller(situation.c)
    with pytest.raises(services.ReclamationRefusee, match="scellé"):
        services.accepter(
            reclamation_id=reclamation.pk,
            compte=situation.administrateur,
            decision=services.Decision(scrutin_souhaite=situation.c),
        )
    assert inscrits(situation.electeur) == {"csa-lyon"}


# --- Without an account ------------------------------------------------------------------


def test_reclamation_sans_compte_acceptee_cree_l_electeur(situation: Situation) -> None:
    reclamation = deposer_sans_compte(situation)
    assert reclamation.sans_compte and reclamation.electeur is None
    assert reclamation.email == "jean-paul.oubli@ac-lyon.fr"
    assert not Compte.objects.filter(email="jean-paul.oubli@ac-lyon.fr").exists()
    services.accepter(
        reclamation_id=reclamation.pk,
        compte=situation.administrateur,
        decision=services.Decision(numen="01e 26000 42xyz", identite={"prenoms": "Jean-Paul"}),
    )
    reclamation.refresh_from_db()
    electeur = reclamation.electeur
    assert electeur is not None
    assert electeur.compte.email == "jean-paul.oubli@ac-lyon.fr"
    assert not electeur.compte.has_usable_password()
    assert electeur.numen_empreinte == numen.empreinte(NUMEN_NOUVEAU)
    assert (electeur.nom_naissance, electeur.prenoms) == ("Oubli", "Jean-Paul")
    assert electeur.date_naissance == date(1985, 3, 2)
    assert electeur.etablissement == "Collège Jean Moulin"
    assert inscrits(electeur) == {"ccp"}
    # The new voter's activation mail, and the decision's, are queued.
    assert set(Courriel.objects.filter(compte=electeur.compte).values_list("type", flat=True)) == {
        "activation",
        "reclamation_decision",
    }
    journal = Evenement.objects.get(type="reclamation.acceptee")
    assert NUMEN_NOUVEAU not in str(journal.details)
    assert journal.details["compte_cree"] == electeur.compte_id


def test_un_numen_deja_utilise_est_refuse(situation: Situation) -> None:
    reclamation = deposer_sans_compte(situation)
    # A NUMEN known to belong to the voter already on the roll (the factories number
    # theirs from a counter shared by the whole test session).
    numen_existant = numen_de(1)
    Electeur.objects.filter(pk=situation.electeur.pk).update(
        numen_empreinte=numen.empreinte(numen_existant)
    )
    for saisie, message in [
        (numen_existant, "déjà celui d'un électeur"),
        ("12345", "13 caractères"),
    ]:
        with pytest.raises(services.ReclamationRefusee, match=message):
            services.accepter(
                reclamation_id=reclamation.pk,
                compte=situation.administrateur,
                decision=services.Decision(numen=saisie),
            )
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.DEPOSEE
    assert Electeur.objects.count() == 1
    assert not Compte.objects.filter(email=reclamation.email).exists()


def test_l_adresse_d_un_autre_electeur_est_refusee(situation: Situation) -> None:
    reclamation = deposer_sans_compte(situation, email="sophie.campodifiori@ac-lyon.fr")
    with pytest.raises(services.ReclamationRefusee, match="déjà celle d'un autre électeur"):
        services.accepter(
            reclamation_id=reclamation.pk,
            compte=situation.administrateur,
            decision=services.Decision(numen=NUMEN_NOUVEAU),
        )
    assert Electeur.objects.count() == 1


def _compte_de_gestion(qualite: str) -> Compte:
    compte = Compte.objects.create_user(
        "marie.agent@ac-lyon.fr", password="mot-de-passe-du-bureau", nom_affiche="Marie Agent"
    )
    if qualite == "staff":
        compte.is_staff = True
    elif qualite == "superuser":
        compte.is_superuser = True
    elif qualite == "groupe":
        compte.groups.add(Group.objects.get(name=RoleDeGestion.ASSISTANCE.groupe))
    elif qualite == "bureau":
        bureau = BureauDeVote.objects.create(
            campagne=Campagne.objects.get(), nom="BVE central", seuil=2
        )
        MembreDuBureau.objects.create(bureau=bureau, compte=compte, role=Role.SECRETAIRE)
    compte.save()
    return compte


@pytest.mark.parametrize("qualite", ["staff", "superuser", "groupe", "bureau"])
def test_l_adresse_d_un_compte_de_gestion_est_refusee(situation: Situation, qualite) -> None:
    """Attaching the voter to this account would mail its holder an activation link that
    sets its password: a claim must never hand over a back-office or bureau account."""
    compte = _compte_de_gestion(qualite)
    reclamation = deposer_sans_compte(situation, email="Marie.Agent@ac-lyon.fr")
    with pytest.raises(services.ReclamationRefusee, match="compte de gestion ou d'un membre"):
        services.accepter(
            reclamation_id=reclamation.pk,
            compte=situation.administrateur,
            decision=services.Decision(numen=NUMEN_NOUVEAU),
        )
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.DEPOSEE and reclamation.electeur is None
    assert not Electeur.objects.filter(compte=compte).exists()
    compte.refresh_from_db()
    assert compte.check_password("mot-de-passe-du-bureau")
    assert not Courriel.objects.filter(compte=compte).exists()


def test_un_compte_ordinaire_sans_electeur_est_rattache(situation: Situation) -> None:
    compte = Compte.objects.create_user("marie.agent@ac-lyon.fr")
    reclamation = deposer_sans_compte(situation, email="marie.agent@ac-lyon.fr")
    services.accepter(
        reclamation_id=reclamation.pk,
        compte=situation.administrateur,
        decision=services.Decision(numen=NUMEN_NOUVEAU),
    )
    reclamation.refresh_from_db()
    assert reclamation.electeur is not None and reclamation.electeur.compte_id == compte.pk


def test_sans_compte_une_adresse_est_limitee(situation: Situation) -> None:
    for _ in range(depot.PAR_ADRESSE.plafond):
        deposer_sans_compte(situation)
    with pytest.raises(services.TropDeReclamations):
        deposer_sans_compte(situation)


# --- At the same instant -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_deux_administrateurs_decident_en_meme_temps(
    situation: Situation, autre_administrateur
) -> None:
    reclamation = deposer(situation)

    def decider(rang: int) -> str:
        if rang == 0:
            services.accepter(
                reclamation_id=reclamation.pk,
                compte=situation.administrateur,
                decision=services.Decision(),
            )
        else:
            services.rejeter(
                reclamation_id=reclamation.pk, compte=autre_administrateur, motif="Non fondée."
            )
        return "décidé"

    resultats = en_meme_temps(decider, [0, 1])
    assert resultats.count("décidé") == 1, resultats
    (refus,) = [r for r in resultats if isinstance(r, services.ReclamationRefusee)]
    assert "a déjà été" in refus.message and "Rien n'a été modifié" in refus.message
    reclamation.refresh_from_db()
    decisions = [
        t for t in types_journalises() if t in ("reclamation.acceptee", "reclamation.rejetee")
    ]
    assert len(decisions) == 1
    if reclamation.statut == StatutReclamation.ACCEPTEE:
        assert inscrits(situation.electeur) == {"csa-lyon", "cap-certifies"}
    else:
        assert reclamation.statut == StatutReclamation.REJETEE
        assert inscrits(situation.electeur) == {"csa-lyon"}
    assert Courriel.objects.filter(type="reclamation_decision").count() == 1


@pytest.mark.django_db(transaction=True)
def test_depots_simultanes_numeros_distincts_et_double_envoi(situation: Situation) -> None:
    jeton_double = uuid.uuid4()

    def deposer_en_parallele(rang: int) -> int:
        depot = services.deposer(
            electeur=situation.electeur,
            campagne=situation.campagne,
            type="omission",
            scrutin=situation.b,
            explication=f"Demande {rang}",
            # Ranks 0 and 1 post the same form: one claim between them.
            jeton=jeton_double if rang < 2 else uuid.uuid4(),
        )
        return depot.reclamation.numero

    resultats = en_meme_temps(deposer_en_parallele, range(6))
    assert all(isinstance(r, int) for r in resultats), resultats
    assert resultats[0] == resultats[1]
    assert sorted(set(resultats)) == [1, 2, 3, 4, 5]
    assert Reclamation.objects.count() == 5


def test_une_reclamation_porte_l_identite_de_l_electeur_sauf_le_lieu_de_naissance() -> None:
    """One list of the identity a claim states: part of the voter's, fields of the claim,
    and the fields of the anonymous form, in the same order."""
    assert set(CHAMPS_D_IDENTITE) - set(CHAMPS_D_IDENTITE_RECLAMES) == {
        "commune_naissance",
        "pays_naissance",
    }
    assert [c for c in CHAMPS_D_IDENTITE if c in CHAMPS_D_IDENTITE_RECLAMES] == list(
        CHAMPS_D_IDENTITE_RECLAMES
    )
    champs_de_la_reclamation = {champ.name for champ in Reclamation._meta.get_fields()}
    assert set(CHAMPS_D_IDENTITE_RECLAMES) <= champs_de_la_reclamation
    formulaire = ReclamationSansCompteForm(campagnes=[])
    assert list(formulaire.fields)[1 : 1 + len(CHAMPS_D_IDENTITE_RECLAMES)] == list(
        CHAMPS_D_IDENTITE_RECLAMES
    )
