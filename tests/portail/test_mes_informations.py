"""« Mes informations personnelles »: what the portal holds, the two changes a voter may
make (password, question défi) and the download of their data."""

import json
from datetime import date, timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isoloir.accounts import question_defi, services
from isoloir.accounts.models import Compte, Electeur
from isoloir.audit.models import Evenement
from isoloir.booth.models import Emargement
from isoloir.core import horloge
from isoloir.elections.models import Inscription
from isoloir.links import services as liens
from isoloir.links.models import Usage
from isoloir.notify.models import Courriel
from isoloir.votecode.models import EtatRemise, Origine, RemiseDeNotice
from isoloir.votecode.services import emettre, emettre_code_initial
from tests.concurrence import en_meme_temps
from tests.factories import MOT_DE_PASSE, REPONSE
from tests.smtp import texte

NOUVEAU = "Une toute nouvelle phrase de passe 2026"
NUMEN = "01E9512345ABC"
NOUVELLE_REPONSE = "Le Petit Prince"


@pytest.fixture
def electeur(creer_campagne, creer_scrutin, creer_electeur, settings):
    settings.ISOLOIR_BASE_URL = "http://testserver"
    campagne = creer_campagne(nom="Élections professionnelles 2026")
    csa = creer_scrutin(campagne, intitule="CSA ministériel de l'Éducation nationale")
    cap = creer_scrutin(campagne, intitule="CAP des professeurs certifiés", type="CAP")
    return creer_electeur(
        csa,
        cap,
        active=True,
        email="paul.durand@ac-lyon.fr",
        nom_naissance="Durand",
        prenoms="Paul",
        numen=NUMEN,
        etablissement="Lycée Ampère",
    )


@pytest.fixture
def connecte(client, electeur):
    assert client.login(username="paul.durand@ac-lyon.fr", password=MOT_DE_PASSE)
    return client


def _contenu(reponse) -> str:
    page = reponse.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def _changer_mot_de_passe(client, actuel=MOT_DE_PASSE, nouveau=NOUVEAU, confirmation=None):
    return client.post(
        reverse("portail:changer_mot_de_passe"),
        {
            "mot_de_passe_actuel": actuel,
            "mot_de_passe": nouveau,
            "confirmation": nouveau if confirmation is None else confirmation,
        },
    )


def _changer_question(client, actuelle=REPONSE, question="livre", reponse=NOUVELLE_REPONSE):
    return client.post(
        reverse("portail:changer_question_defi"),
        {"reponse_actuelle": actuelle, "question_defi": question, "reponse_defi": reponse},
    )


# --- What the page shows ----------------------------------------------------------------------


@pytest.mark.django_db
def test_la_page_montre_ce_que_le_portail_detient(connecte, electeur) -> None:
    code = emettre_code_initial(electeur=electeur)
    page = _contenu(connecte.get(reverse("portail:mes_informations")))
    for attendu in (
        "Durand",
        "Paul",
        "paul.durand@ac-lyon.fr",
        "Lycée Ampère",
        "CSA ministériel de l&#x27;Éducation nationale",
        "CAP des professeurs certifiés",
        "Compte activé le",
        "Quel était le nom de votre premier animal de compagnie ?",
        "Code n° 1, remis sur la notice initiale, émis le",
        "Changer mon mot de passe élections",
        "Changer ma question défi et sa réponse",
        "Télécharger mes données",
    ):
        assert attendu in page, attendu
    electeur.refresh_from_db()
    for secret in (code, NUMEN, electeur.numen_empreinte, electeur.reponse_defi_empreinte):
        assert secret not in page
    assert electeur.compte.password not in page


@pytest.mark.django_db
def test_code_obtenu_par_reassort(connecte, electeur) -> None:
    emettre_code_initial(electeur=electeur)
    emettre(electeur=electeur, origine=Origine.REASSORT)
    page = _contenu(connecte.get(reverse("portail:mes_informations")))
    assert "Code n° 2, obtenu par réassort, émis le" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    ["portail:changer_mot_de_passe", "portail:changer_question_defi", "portail:mes_donnees"],
)
def test_connexion_requise(client, route) -> None:
    reponse = client.get(reverse(route))
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("accounts:connexion"))


@pytest.mark.django_db
def test_fil_d_ariane_et_rubrique(connecte) -> None:
    page = connecte.get(reverse("portail:changer_mot_de_passe")).content.decode()
    fil = page[page.index('class="fr-breadcrumb"') :]
    fil = fil[: fil.index("</nav>")]
    assert fil.index("Accueil") < fil.index("Mes informations personnelles")
    assert "Changer mon mot de passe élections" in fil


# --- Password ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_changement_de_mot_de_passe(connecte, electeur, boite, executer_taches) -> None:
    autre = connecte.__class__()
    assert autre.login(username="paul.durand@ac-lyon.fr", password=MOT_DE_PASSE)
    assert autre.get(reverse("portail:accueil")).status_code == 200

    reponse = _changer_mot_de_passe(connecte)
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("portail:mes_informations")
    # This session goes on; the other one has ended.
    suite = connecte.get(reponse["Location"])
    assert suite.status_code == 200
    assert "Votre mot de passe élections a été modifié" in suite.content.decode()
    assert autre.get(reverse("portail:accueil")).status_code == 302
    assert authenticate(username="paul.durand@ac-lyon.fr", password=NOUVEAU)
    assert not authenticate(username="paul.durand@ac-lyon.fr", password=MOT_DE_PASSE)

    executer_taches()
    (message,) = boite.attendre(1)
    assert message["To"] == "paul.durand@ac-lyon.fr"
    assert message["Subject"] == "Votre mot de passe élections a été modifié"
    assert NOUVEAU not in message.as_string() and MOT_DE_PASSE not in message.as_string()
    assert "Paul DURAND" in texte(message)

    (evenement,) = Evenement.objects.filter(type="mot_de_passe.modifie")
    assert evenement.compte_id == electeur.compte_id
    assert NOUVEAU not in json.dumps(evenement.details)


@pytest.mark.django_db
def test_mot_de_passe_actuel_faux(connecte, electeur) -> None:
    avant = Compte.objects.get(pk=electeur.compte_id).password
    reponse = _changer_mot_de_passe(connecte, actuel="pas le bon mot de passe")
    page = _contenu(reponse)
    assert reponse.status_code == 200
    assert "Le mot de passe actuel est incorrect." in page
    assert 'id="id_mot_de_passe_actuel"' in page and 'aria-invalid="true"' in page
    assert "pas le bon mot de passe" not in page and NOUVEAU not in page
    assert Compte.objects.get(pk=electeur.compte_id).password == avant
    assert not Courriel.objects.exists()
    (refus,) = Evenement.objects.filter(type="mot_de_passe.changement_refuse")
    assert "pas le bon" not in json.dumps(refus.details)
    assert connecte.get(reverse("portail:accueil")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("nouveau", "confirmation", "message"),
    [
        ("court", None, "trop court"),
        (NOUVEAU, NOUVEAU + "x", "La confirmation ne correspond pas au mot de passe."),
        (MOT_DE_PASSE, None, "Le nouveau mot de passe doit être différent de l&#x27;actuel."),
    ],
)
def test_nouveau_mot_de_passe_refuse(connecte, electeur, nouveau, confirmation, message) -> None:
    avant = Compte.objects.get(pk=electeur.compte_id).password
    reponse = _changer_mot_de_passe(connecte, nouveau=nouveau, confirmation=confirmation)
    assert message in _contenu(reponse)
    assert Compte.objects.get(pk=electeur.compte_id).password == avant
    assert not Courriel.objects.exists()
    assert not Evenement.objects.filter(type="mot_de_passe.modifie").exists()


@pytest.mark.django_db
def test_changements_de_mot_de_passe_limites(connecte, electeur, settings) -> None:
    for _ in range(settings.ISOLOIR_LOGIN_MAX_FAILURES_PER_ACCOUNT - 1):
        assert "incorrect" in _contenu(_changer_mot_de_passe(connecte, actuel="mauvais"))
    dernier = _contenu(_changer_mot_de_passe(connecte, actuel="mauvais"))
    assert "Trop de tentatives" in dernier
    # Locked: even the right password is refused now, and nothing changes.
    bloque = _contenu(_changer_mot_de_passe(connecte))
    assert "Trop de tentatives" in bloque
    # One secret, one budget: the login is locked as well.
    with pytest.raises(services.ConnexionBloquee):
        services.authentifier(
            email="paul.durand@ac-lyon.fr", mot_de_passe=MOT_DE_PASSE, ip="192.0.2.1"
        )
    assert Compte.objects.get(pk=electeur.compte_id).check_password(MOT_DE_PASSE)
    assert Evenement.objects.filter(type="mot_de_passe.changement_bloque").exists()
    assert not Courriel.objects.exists()


@pytest.mark.django_db
def test_double_envoi_du_formulaire(connecte, electeur) -> None:
    assert _changer_mot_de_passe(connecte).status_code == 302
    encore = _changer_mot_de_passe(connecte)
    assert "Le mot de passe actuel est incorrect." in _contenu(encore)
    assert Courriel.objects.filter(type="mot_de_passe_modifie").count() == 1
    assert Compte.objects.get(pk=electeur.compte_id).check_password(NOUVEAU)


@pytest.mark.django_db(transaction=True)
def test_deux_changements_simultanes_un_seul_passe(electeur) -> None:
    """Two tabs submit at once with the same current password: one change wins, the other
    finds the password already changed and writes nothing."""

    def changer(nouveau: str) -> object:
        return services.changer_mot_de_passe(
            compte_id=electeur.compte_id, actuel=MOT_DE_PASSE, nouveau=nouveau
        )

    resultats = en_meme_temps(changer, [NOUVEAU + " 1", NOUVEAU + " 2"])
    refus = [r for r in resultats if isinstance(r, services.ChangementRefuse)]
    gagnants = [r for r in resultats if isinstance(r, Compte)]
    assert len(refus) == 1 and len(gagnants) == 1, resultats
    nouveau = NOUVEAU + (" 1" if resultats[0] is gagnants[0] else " 2")
    assert Compte.objects.get(pk=electeur.compte_id).check_password(nouveau)
    assert Courriel.objects.filter(type="mot_de_passe_modifie").count() == 1
    assert Evenement.objects.filter(type="mot_de_passe.modifie").count() == 1


# --- Question défi ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_changement_de_question_defi(connecte, electeur, boite, executer_taches) -> None:
    reponse = _changer_question(connecte)
    assert reponse.status_code == 302
    electeur.refresh_from_db()
    assert electeur.question_defi == "livre"
    assert question_defi.verifier("le petit  PRINCE", electeur.reponse_defi_empreinte)
    assert not question_defi.verifier(REPONSE, electeur.reponse_defi_empreinte)
    assert NOUVELLE_REPONSE not in electeur.reponse_defi_empreinte

    executer_taches()
    (message,) = boite.attendre(1)
    assert message["Subject"] == "Votre question défi a été modifiée"
    assert message["To"] == "paul.durand@ac-lyon.fr"
    assert NOUVELLE_REPONSE not in message.as_string() and REPONSE not in message.as_string()
    assert "http://testserver/portail/mon-compte/" in texte(message)
    (evenement,) = Evenement.objects.filter(type="question_defi.modifiee")
    assert evenement.details == {"question": "livre"}


@pytest.mark.django_db
def test_ancienne_reponse_fausse_rien_ne_change(connecte, electeur) -> None:
    avant = (electeur.question_defi, electeur.reponse_defi_empreinte)
    page = _contenu(_changer_question(connecte, actuelle="Rex le chien"))
    assert "La réponse actuelle à votre question défi est incorrecte." in page
    assert "Rex le chien" not in page and NOUVELLE_REPONSE not in page
    electeur.refresh_from_db()
    assert (electeur.question_defi, electeur.reponse_defi_empreinte) == avant
    assert not Courriel.objects.exists()
    (refus,) = Evenement.objects.filter(type="question_defi.changement_refuse")
    assert "Rex" not in json.dumps(refus.details) and "Prince" not in json.dumps(refus.details)


@pytest.mark.django_db
def test_question_defi_formulaire_envoye_deux_fois(connecte, electeur) -> None:
    assert _changer_question(connecte).status_code == 302
    encore = _contenu(_changer_question(connecte))
    assert "La réponse actuelle à votre question défi est incorrecte." in encore
    assert Courriel.objects.filter(type="question_defi_modifiee").count() == 1
    electeur.refresh_from_db()
    assert question_defi.verifier(NOUVELLE_REPONSE, electeur.reponse_defi_empreinte)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("question", "reponse", "message"),
    [
        ("", NOUVELLE_REPONSE, "Ce champ est obligatoire."),
        ("inconnue", NOUVELLE_REPONSE, "Sélectionnez un choix valide."),
        ("livre", " a b ", "La réponse secrète doit comporter au moins 3 caractères"),
    ],
)
def test_nouvelle_question_refusee(connecte, electeur, question, reponse, message) -> None:
    avant = (electeur.question_defi, electeur.reponse_defi_empreinte)
    page = _contenu(_changer_question(connecte, question=question, reponse=reponse))
    assert message in page
    electeur.refresh_from_db()
    assert (electeur.question_defi, electeur.reponse_defi_empreinte) == avant


@pytest.mark.django_db
def test_reponse_actuelle_limitee_avec_le_reassort(connecte, electeur, settings) -> None:
    """The answer's daily budget is the réassort's: failures here count there too."""
    limite = settings.ISOLOIR_REASSORT_MAX_ESSAIS_PAR_JOUR
    for _ in range(limite - 1):
        assert "incorrecte" in _contenu(_changer_question(connecte, actuelle="faux"))
    assert "Trop de réponses incorrectes" in _contenu(_changer_question(connecte, actuelle="faux"))
    assert "Trop de réponses incorrectes" in _contenu(_changer_question(connecte))
    electeur.refresh_from_db()
    assert electeur.question_defi == "animal"
    from isoloir.votecode import reassort

    assert reassort.limites.est_bloque(reassort._limite_par_electeur(), str(electeur.pk))


# --- Fuzzing the two forms --------------------------------------------------------------------

texte_libre = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=60,
)


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    actuel=st.one_of(texte_libre, st.just(MOT_DE_PASSE)),
    nouveau=texte_libre,
    confirmation=st.one_of(texte_libre, st.none()),
)
def test_fuzz_mot_de_passe(client, electeur, actuel, nouveau, confirmation) -> None:
    cache.clear()
    # A fresh row: an earlier example may have changed the password (and its hash).
    compte = Compte.objects.get(pk=electeur.compte_id)
    client.force_login(compte)
    avant, courriels = compte.password, Courriel.objects.count()
    reponse = _changer_mot_de_passe(client, actuel, nouveau, confirmation)
    assert reponse.status_code in (200, 302)
    apres = Compte.objects.get(pk=electeur.compte_id)
    if reponse.status_code == 302:
        assert reponse["Location"] == reverse("portail:mes_informations")
        assert apres.check_password(nouveau)
        assert Courriel.objects.count() == courriels + 1
        apres.set_password(MOT_DE_PASSE)
        apres.save()
    else:
        assert apres.password == avant
        assert Courriel.objects.count() == courriels


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    actuelle=st.one_of(texte_libre, st.just(REPONSE)),
    question=st.one_of(st.sampled_from([q for q, _ in question_defi.QUESTIONS]), texte_libre),
    reponse=texte_libre,
)
def test_fuzz_question_defi(client, electeur, actuelle, question, reponse) -> None:
    cache.clear()
    client.force_login(Compte.objects.get(pk=electeur.compte_id))
    Electeur.objects.filter(pk=electeur.pk).update(
        question_defi="animal", reponse_defi_empreinte=electeur.reponse_defi_empreinte
    )
    resultat = _changer_question(client, actuelle, question, reponse)
    assert resultat.status_code in (200, 302)
    apres = Electeur.objects.get(pk=electeur.pk)
    if resultat.status_code == 302:
        assert resultat["Location"] == reverse("portail:mes_informations")
        assert apres.question_defi == question
        assert question_defi.verifier(reponse, apres.reponse_defi_empreinte)
    else:
        assert apres.question_defi == "animal"
        assert apres.reponse_defi_empreinte == electeur.reponse_defi_empreinte


# --- Download of my data ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the worker writes the mail, then closes
def test_telecharger_mes_donnees_sans_aucun_secret(connecte, electeur, executer_taches) -> None:
    code = emettre_code_initial(electeur=electeur)
    csa = Inscription.objects.filter(electeur=electeur).order_by("scrutin__ordre", "pk").first()
    Emargement.objects.create(inscription=csa, emarge_le=horloge.maintenant())
    _, jeton = liens.emettre(
        usage=Usage.MOT_DE_PASSE, compte_id=electeur.compte_id, duree=timedelta(hours=1)
    )
    services.demander_reinitialisation(email="paul.durand@ac-lyon.fr")
    executer_taches()  # the worker writes the mail (accounts/tasks.py)
    RemiseDeNotice.objects.create(
        electeur=electeur,
        etat=EtatRemise.REMISE,
        date=date(2026, 11, 16),
        etablissement="Lycée Ampère",
        modifiee_le=horloge.maintenant(),
    )

    reponse = connecte.get(reverse("portail:mes_donnees"))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/json; charset=utf-8"
    assert reponse["Content-Disposition"].startswith('attachment; filename="mes-donnees-')
    assert "no-cache" in reponse["Cache-Control"] or "no-store" in reponse["Cache-Control"]
    brut = reponse.content.decode("utf-8")
    assert "\n  " in brut  # indented
    assert "Éducation nationale" in brut  # UTF-8, not \\u escapes
    donnees = json.loads(brut)

    assert donnees["identite"]["nom_de_naissance"] == "Durand"
    assert donnees["identite"]["date_de_naissance"] == electeur.date_naissance.isoformat()
    assert donnees["compte"]["adresse_electronique_professionnelle"] == "paul.durand@ac-lyon.fr"
    assert donnees["compte"]["active_le"]
    assert {s["scrutin"] for s in donnees["scrutins"]} == {
        "CSA ministériel de l'Éducation nationale",
        "CAP des professeurs certifiés",
    }
    votes = {s["scrutin"]: (s["a_vote"], s["a_vote_le"]) for s in donnees["scrutins"]}
    assert sum(1 for a_vote, _ in votes.values() if a_vote) == 1
    assert all((le is not None) == a_vote for a_vote, le in votes.values())
    assert donnees["code_de_vote"]["numero"] == 1
    assert donnees["code_de_vote"]["origine"] == "Notice initiale"
    assert donnees["notice"] == {
        "etat": "Remise contre signature",
        "date": "2026-11-16",
        "etablissement": "Lycée Ampère",
    }
    assert [c["type"] for c in donnees["courriels"]] == ["mot_de_passe"]
    assert set(donnees["courriels"][0]) == {"type", "cree_le", "envoye_le", "etat"}
    types = [e["type"] for e in donnees["journal"]]
    assert "mot_de_passe.demande" in types
    assert all(set(e) == {"type", "horodatage"} for e in donnees["journal"])

    electeur.refresh_from_db()
    compte = Compte.objects.get(pk=electeur.compte_id)
    secrets = [
        NUMEN,
        MOT_DE_PASSE,
        REPONSE,
        question_defi.normaliser(REPONSE),
        code,
        jeton,
        compte.password,
        electeur.numen_empreinte,
        electeur.reponse_defi_empreinte,
        electeur.code_de_vote.empreinte,
        connecte.session.session_key,
    ]
    for secret in secrets:
        assert secret not in brut, secret
    for mot in ("empreinte", "hash", "password", "jeton", "token", "$argon2"):
        assert mot not in brut.lower(), mot
    assert Evenement.objects.filter(
        type="compte.donnees_telechargees", compte_id=electeur.compte_id
    ).exists()


@pytest.mark.django_db
def test_mes_donnees_d_un_compte_sans_electeur(client) -> None:
    administrateur = Compte.objects.create_user("admin@education.gouv.fr", MOT_DE_PASSE)
    client.force_login(administrateur)
    donnees = json.loads(client.get(reverse("portail:mes_donnees")).content)
    assert donnees["compte"]["adresse_electronique_professionnelle"] == "admin@education.gouv.fr"
    assert "identite" not in donnees
