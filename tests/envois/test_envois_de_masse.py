"""Campaign mailings: recipients, lots, idempotence, rate, dashboard, roles."""

import html
import itertools
import re
import threading
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from isoloir.accounts.models import Compte
from isoloir.audit.models import Evenement
from isoloir.booth.models import Emargement
from isoloir.core import horloge, soumission
from isoloir.elections.models import Inscription
from isoloir.envois import selectors, services, tasks
from isoloir.envois.models import EnvoiDeMasse, LotDEnvoi, NatureEnvoi
from isoloir.notify import debit
from isoloir.notify.composition import CourrielSansObjet, composer
from isoloir.notify.models import AdresseRejetee, Courriel, EtatCourriel
from tests.concurrence import en_meme_temps
from tests.factories import MOT_DE_PASSE
from tests.second_facteur import verifier_second_facteur
from tests.smtp import lien, texte


@pytest.fixture
def administrateur(db) -> Compte:
    compte = Compte.objects.create_user("admin.elections@education.gouv.fr", MOT_DE_PASSE)
    compte.groups.add(Group.objects.get(name="Administration des élections"))
    return compte


@pytest.fixture
def campagne_a_activer(creer_campagne, creer_scrutin, creer_electeur):
    """Seven voters to activate over two scrutins (one on both), two already active, and
    a voter of another campaign."""
    campagne = creer_campagne(nom="Élections professionnelles 2026")
    csa, cap = creer_scrutin(campagne), creer_scrutin(campagne)
    a_activer = [creer_electeur(csa) for _ in range(5)] + [creer_electeur(cap)]
    a_activer.append(creer_electeur(csa, cap))
    creer_electeur(csa, active=True)
    creer_electeur(cap, active=True)
    creer_electeur(creer_scrutin())
    campagne.a_activer = a_activer
    return campagne


def _cle(nom: str) -> uuid.UUID:
    """A confirmation form's key (core.soumission), the same for the same name."""
    return uuid.uuid5(uuid.NAMESPACE_OID, nom)


def _lancer(campagne, administrateur, nature=NatureEnvoi.ACTIVATION, jeton="jeton-1"):
    return services.lancer(
        campagne=campagne, nature=nature, jeton=_cle(jeton), compte=administrateur
    )


def _executer_sans_file(envoi: EnvoiDeMasse, taille: int = 3) -> None:
    """Run the planning and every lot as their tasks would, without the queue."""
    tasks.planifier(envoi.pk, taille=taille)
    for lot in envoi.lots.order_by("numero"):
        tasks.programmer_lot(lot.pk)


@pytest.mark.django_db
def test_lots_et_courriels_d_une_activation(
    campagne_a_activer, administrateur, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as rappels:
        envoi, nouveau = _lancer(campagne_a_activer, administrateur)
    assert nouveau and envoi.destinataires_prevus == 7
    assert len(rappels) == 1  # the planning task, once committed

    with django_capture_on_commit_callbacks() as rappels:
        assert tasks.planifier(envoi.pk, taille=3) == 3
    assert len(rappels) == 4  # three lot tasks, then the end check
    lots = list(envoi.lots.order_by("numero"))
    assert [lot.numero for lot in lots] == [1, 2, 3]
    assert all(a.dernier < b.premier for a, b in itertools.pairwise(lots))

    for lot in lots:
        with django_capture_on_commit_callbacks() as rappels:
            assert tasks.programmer_lot(lot.pk) == len(lot_ids := _ids_du_lot(lot))
        assert len(rappels) == 1 and lot_ids  # enqueues its mails after the commit
    courriels = Courriel.objects.filter(envoi=envoi)
    assert sorted(courriels.values_list("compte_id", flat=True)) == sorted(
        e.compte_id for e in campagne_a_activer.a_activer
    )
    assert set(courriels.values_list("type", "etat")) == {("activation", EtatCourriel.EN_ATTENTE)}
    assert Evenement.objects.filter(type="courriels.envoi_lance").count() == 1


def _ids_du_lot(lot: LotDEnvoi) -> list[int]:
    return list(
        Courriel.objects.filter(
            envoi=lot.envoi,
            compte__electeur__pk__gte=lot.premier,
            compte__electeur__pk__lte=lot.dernier,
        ).values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_un_lot_ou_une_planification_rejoues_ne_creent_rien_de_plus(
    campagne_a_activer, administrateur, django_capture_on_commit_callbacks
) -> None:
    envoi, _ = _lancer(campagne_a_activer, administrateur)
    _executer_sans_file(envoi)
    avant = list(Courriel.objects.order_by("pk").values_list("pk", "compte_id"))
    # A retry after a crash: the same tasks run again.
    with django_capture_on_commit_callbacks() as rappels:
        assert tasks.planifier(envoi.pk, taille=3) == 0
        for lot in envoi.lots.all():
            assert tasks.programmer_lot(lot.pk) == 0
    assert rappels == []  # nothing enqueued twice
    assert list(Courriel.objects.order_by("pk").values_list("pk", "compte_id")) == avant
    assert len(avant) == 7


@pytest.mark.django_db
def test_une_planification_interrompue_reprend_ou_elle_en_etait(
    campagne_a_activer, administrateur
) -> None:
    envoi, _ = _lancer(campagne_a_activer, administrateur)
    # A crash after the first lot was recorded: the state says where the planning was.
    premier = sorted(e.pk for e in campagne_a_activer.a_activer)[:3]
    LotDEnvoi.objects.create(envoi=envoi, numero=1, premier=premier[0], dernier=premier[-1])
    EnvoiDeMasse.objects.filter(pk=envoi.pk).update(planifie_jusqua=premier[-1])
    assert tasks.planifier(envoi.pk, taille=3) == 2
    for lot in envoi.lots.all():
        tasks.programmer_lot(lot.pk)
    assert Courriel.objects.filter(envoi=envoi).count() == 7


@pytest.mark.django_db(transaction=True)
def test_la_meme_confirmation_envoyee_deux_fois_en_meme_temps_lance_un_envoi(
    campagne_a_activer, administrateur
) -> None:
    resultats = en_meme_temps(lambda _: _lancer(campagne_a_activer, administrateur), [1, 2])
    assert all(isinstance(r, tuple) for r in resultats), resultats
    assert sorted(nouveau for _, nouveau in resultats) == [False, True]  # type: ignore[misc]
    assert EnvoiDeMasse.objects.count() == 1
    assert Evenement.objects.filter(type="courriels.envoi_lance").count() == 1


@pytest.mark.django_db
def test_deux_envois_d_activation_ne_doublent_aucun_courriel(
    campagne_a_activer, administrateur
) -> None:
    # Two at once are refused at launch (see below); even if two existed (rows of an older
    # version), both recorded before either ran, the database keeps one activation mail
    # per voter and campaign.
    premier, _ = _lancer(campagne_a_activer, administrateur, jeton="a")
    second = EnvoiDeMasse.objects.create(
        campagne=campagne_a_activer,
        nature=NatureEnvoi.ACTIVATION,
        jeton="b",
        lance_par=administrateur,
        lance_le=horloge.maintenant(),
    )
    _executer_sans_file(premier)
    _executer_sans_file(second, taille=2)
    par_compte = Counter(Courriel.objects.values_list("compte_id", flat=True))
    assert len(par_compte) == 7 and set(par_compte.values()) == {1}
    # A third one, once they are over, has nobody left to write to.
    EnvoiDeMasse.objects.update(termine_le=horloge.maintenant())
    with pytest.raises(selectors.EnvoiImpossible, match="Aucun électeur"):
        _lancer(campagne_a_activer, administrateur, jeton="c")


@pytest.mark.django_db
def test_une_relance_en_cours_ne_peut_pas_etre_relancee(campagne_a_activer, administrateur) -> None:
    # Each display of the confirmation page draws a new jeton: confirming a second page
    # (back button, a second administrator) must not mail everyone a second time.
    relance = NatureEnvoi.RELANCE_ACTIVATION
    premiere, _ = _lancer(campagne_a_activer, administrateur, relance, jeton="r1")
    with pytest.raises(selectors.EnvoiImpossible, match="déjà en cours pour cette campagne"):
        _lancer(campagne_a_activer, administrateur, relance, jeton="r2")
    assert selectors.natures_disponibles(campagne_a_activer)[relance].startswith(
        "Un envoi « Relance : comptes non activés » est déjà en cours"
    )
    # Another kind is not held up, and once the reminder is over a new one may leave.
    assert selectors.natures_disponibles(campagne_a_activer)[NatureEnvoi.ACTIVATION] == ""
    EnvoiDeMasse.objects.filter(pk=premiere.pk).update(termine_le=horloge.maintenant())
    seconde, nouveau = _lancer(campagne_a_activer, administrateur, relance, jeton="r3")
    assert nouveau and seconde.pk != premiere.pk


@pytest.mark.django_db(transaction=True)
def test_deux_relances_confirmees_en_meme_temps_n_en_lancent_qu_une(
    campagne_a_activer, administrateur
) -> None:
    # Two confirmation pages (two jetons) sent at the same instant: the lock on the
    # campaign makes the second see the first.
    resultats = en_meme_temps(
        lambda jeton: _lancer(
            campagne_a_activer, administrateur, NatureEnvoi.RELANCE_ACTIVATION, jeton=jeton
        ),
        ["r1", "r2"],
    )
    lances = [r for r in resultats if isinstance(r, tuple)]
    refus = [r for r in resultats if isinstance(r, selectors.EnvoiImpossible)]
    assert len(lances) == 1 and len(refus) == 1, resultats
    assert "déjà en cours" in " ".join(refus[0].messages)
    assert EnvoiDeMasse.objects.count() == 1
    assert Evenement.objects.filter(type="courriels.envoi_lance").count() == 1


@pytest.mark.django_db
def test_une_relance_d_activation_ecrit_de_nouveau_aux_comptes_non_actives(
    campagne_a_activer, administrateur
) -> None:
    envoi, _ = _lancer(campagne_a_activer, administrateur)
    _executer_sans_file(envoi)
    activee = campagne_a_activer.a_activer[0]
    activee.active_le = horloge.maintenant()
    activee.save()
    relance, _ = _lancer(
        campagne_a_activer, administrateur, NatureEnvoi.RELANCE_ACTIVATION, jeton="r"
    )
    assert relance.destinataires_prevus == 6
    _executer_sans_file(relance)
    assert Courriel.objects.filter(envoi=relance, type="relance_activation").count() == 6


@pytest.mark.django_db
def test_une_adresse_rejetee_est_ecartee(campagne_a_activer, administrateur) -> None:
    rejetee = campagne_a_activer.a_activer[2].compte
    AdresseRejetee.objects.create(
        adresse=rejetee.email,
        statut="5.1.1",
        diagnostic="smtp; 550 5.1.1",
        rejetee_le=horloge.maintenant(),
    )
    vue = selectors.apercu(campagne_a_activer, NatureEnvoi.ACTIVATION)
    assert (vue.destinataires, vue.ecartes) == (6, 1)
    envoi, _ = _lancer(campagne_a_activer, administrateur)
    _executer_sans_file(envoi)
    ecarte = Courriel.objects.get(compte=rejetee)
    assert ecarte.etat == EtatCourriel.ADRESSE_ECARTEE
    assert Courriel.objects.filter(envoi=envoi, etat=EtatCourriel.EN_ATTENTE).count() == 6
    rejetees = selectors.adresses_rejetees(campagne_a_activer)
    assert list(rejetees) == list(AdresseRejetee.objects.all())


@pytest.mark.django_db
def test_relance_de_vote_aux_electeurs_qui_n_ont_pas_vote(
    creer_campagne, creer_scrutin, creer_electeur, administrateur, settings
) -> None:
    settings.ISOLOIR_BASE_URL = "http://testserver"
    campagne = creer_campagne(ouverture=horloge.maintenant() - timedelta(hours=2))
    csa, cap = (
        creer_scrutin(campagne, intitule="CSA ministériel"),
        creer_scrutin(campagne, intitule="CAPN des certifiés"),
    )
    a_vote = creer_electeur(csa, active=True)
    n_a_pas_vote = creer_electeur(csa, active=True)
    a_moitie = creer_electeur(csa, cap, active=True)
    for electeur, scrutin in [(a_vote, csa), (a_moitie, csa)]:
        Emargement.objects.create(
            inscription=Inscription.objects.get(electeur=electeur, scrutin=scrutin),
            emarge_le=horloge.maintenant(),
        )
    envoi, _ = _lancer(campagne, administrateur, NatureEnvoi.RELANCE_VOTE)
    _executer_sans_file(envoi)
    courriels = {c.compte_id: c for c in Courriel.objects.filter(envoi=envoi)}
    assert set(courriels) == {n_a_pas_vote.compte_id, a_moitie.compte_id}

    message = composer(courriels[a_moitie.compte_id])
    assert "CAPN des certifiés" in message.body and "CSA ministériel" not in message.body
    assert lien(message.message(), "/portail/connexion/")
    # Voted since the mail was queued: it has no reason to leave.
    Emargement.objects.create(
        inscription=Inscription.objects.get(electeur=n_a_pas_vote), emarge_le=horloge.maintenant()
    )
    with pytest.raises(CourrielSansObjet):
        composer(courriels[n_a_pas_vote.compte_id])


@pytest.mark.django_db
def test_relance_de_vote_refusee_hors_du_vote(campagne_a_activer, administrateur) -> None:
    with pytest.raises(selectors.EnvoiImpossible, match="pendant le vote"):
        _lancer(campagne_a_activer, administrateur, NatureEnvoi.RELANCE_VOTE)
    campagne_a_activer.ouverture = horloge.maintenant() - timedelta(days=9)
    campagne_a_activer.cloture = horloge.maintenant() - timedelta(days=1)
    campagne_a_activer.save()
    with pytest.raises(selectors.EnvoiImpossible, match="Le vote est clos"):
        _lancer(campagne_a_activer, administrateur, jeton="x")
    assert not EnvoiDeMasse.objects.exists()


# --- The whole path: queue, worker, SMTP ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_de_bout_en_bout_par_la_file_et_le_serveur_smtp(
    campagne_a_activer, administrateur, boite, executer_taches, settings, monkeypatch
) -> None:
    settings.ISOLOIR_BASE_URL = "http://testserver"
    monkeypatch.setattr(tasks, "TAILLE_DES_LOTS", 3)
    boite.refus.append("451 4.3.0 Essayez plus tard")  # the first mail is retried
    envoi, _ = _lancer(campagne_a_activer, administrateur)
    executer_taches()
    messages = boite.attendre(6)
    envoi.refresh_from_db()
    assert envoi.lots.count() == 3 and envoi.planifie_le is not None
    assert envoi.termine_le is None  # one mail waits for its second attempt
    a_reessayer = Courriel.objects.get(envoi=envoi, etat=EtatCourriel.A_REESSAYER)

    from django_tasks_db.models import DBTaskResult

    # The queue reads the machine's time (notify/tasks.py), not the product's clock.
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    executer_taches()
    messages = boite.attendre(7)
    a_reessayer.refresh_from_db()
    assert a_reessayer.etat == EtatCourriel.ENVOYE and a_reessayer.tentatives == 2
    destinataires = sorted(m["To"] for m in messages)
    assert destinataires == sorted(e.compte.email for e in campagne_a_activer.a_activer)
    assert all("/portail/activation?token=" in texte(m) for m in messages)
    assert {m["From"] for m in messages} == {settings.DEFAULT_FROM_EMAIL}

    envoi.refresh_from_db()
    assert envoi.termine_le is not None
    (fin,) = Evenement.objects.filter(type="courriels.envoi_termine")
    assert fin.details["envoi"] == envoi.pk
    assert fin.details["compteurs"]["envoye"] == 7
    # Running the worker again sends nothing more.
    executer_taches()
    assert len(boite.messages) == 7


# --- The rate, shared by workers ------------------------------------------------------------


class HorlogeFactice:
    """Seconds that pass only when read (a little) or slept: many "seconds" in no time."""

    def __init__(self) -> None:
        self.instant = 1_000_000.0
        self.verrou = threading.Lock()

    def __call__(self) -> float:
        with self.verrou:
            self.instant += 0.0003
            return self.instant

    def dormir(self, duree: float) -> None:
        with self.verrou:
            self.instant += duree


def test_deux_travailleurs_ne_depassent_jamais_le_debit() -> None:
    horloge = HorlogeFactice()
    secondes: list[int] = []
    verrou = threading.Lock()
    depart = threading.Barrier(2)

    def travailleur() -> None:
        limite = debit.Debit(4, horloge=horloge, dormir=horloge.dormir)
        depart.wait()
        for _ in range(30):
            seconde = limite.attendre_son_tour()
            with verrou:
                secondes.append(seconde)

    fils = [threading.Thread(target=travailleur) for _ in range(2)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    par_seconde = Counter(secondes)
    assert len(secondes) == 60  # nobody dropped
    assert max(par_seconde.values()) <= 4
    assert len(par_seconde) >= 15  # 60 mails at 4 a second need 15 seconds at least


def test_le_debit_vient_des_reglages(settings) -> None:
    settings.ISOLOIR_COURRIELS_PAR_SECONDE = 7
    assert debit.courriels_par_seconde() == 7
    settings.ISOLOIR_COURRIELS_PAR_SECONDE = 0  # a typo does not stop every mail
    assert debit.courriels_par_seconde() == 1


# --- Back-office pages ------------------------------------------------------------------


@pytest.mark.django_db
def test_tableau_confirmation_et_lancement(
    client, campagne_a_activer, administrateur, django_capture_on_commit_callbacks
) -> None:
    verifier_second_facteur(client, administrateur)
    slug = campagne_a_activer.slug
    tableau = reverse("gestion_courriels:tableau", kwargs={"slug": slug})
    page = client.get(tableau).content.decode()
    assert "Aucun envoi pour cette campagne." in page
    lancer = reverse("gestion_courriels:lancer", kwargs={"slug": slug, "nature": "activation"})
    assert lancer in page

    confirmation = client.get(lancer).content.decode()
    assert "7 électeurs recevront ce courriel" in confirmation
    jeton = re.search(r'name="jeton" value="([^"]+)"', confirmation).group(1)
    with django_capture_on_commit_callbacks(execute=False):
        reponse = client.post(lancer, {"jeton": jeton}, follow=True)
    assert reponse.redirect_chain == [(tableau, 302)]
    assert "lancé pour 7 électeurs." in reponse.content.decode()
    # The same form again (back button, double click): nothing new.
    reponse = client.post(lancer, {"jeton": jeton}, follow=True)
    assert "ne part pas une seconde fois" in reponse.content.decode()
    assert EnvoiDeMasse.objects.count() == 1
    evenement = Evenement.objects.get(type="courriels.envoi_lance")
    assert evenement.compte_id == administrateur.pk and evenement.details["destinataires"] == 7


@pytest.mark.django_db
def test_une_seconde_page_de_confirmation_ne_relance_pas(
    client, campagne_a_activer, administrateur, django_capture_on_commit_callbacks
) -> None:
    verifier_second_facteur(client, administrateur)
    slug = campagne_a_activer.slug
    lancer = reverse(
        "gestion_courriels:lancer", kwargs={"slug": slug, "nature": "relance_activation"}
    )
    # Two displays of the page (two tabs, or two administrators): two different jetons.
    jetons = [
        re.search(r'name="jeton" value="([^"]+)"', client.get(lancer).content.decode()).group(1)
        for _ in range(2)
    ]
    assert jetons[0] != jetons[1]
    with django_capture_on_commit_callbacks(execute=False):
        client.post(lancer, {"jeton": jetons[0]})
    reponse = client.post(lancer, {"jeton": jetons[1]})
    contenu = reponse.content.decode()
    assert "L'envoi n'est pas lancé" in contenu
    assert "Un envoi « Relance : comptes non activés » est déjà en cours" in contenu
    assert EnvoiDeMasse.objects.count() == 1
    tableau = client.get(reverse("gestion_courriels:tableau", kwargs={"slug": slug}))
    assert 'id="preparer-relance_activation"' not in tableau.content.decode()


@pytest.mark.django_db
def test_lancement_refuse_avec_un_message(client, campagne_a_activer, administrateur) -> None:
    verifier_second_facteur(client, administrateur)
    url = reverse(
        "gestion_courriels:lancer",
        kwargs={"slug": campagne_a_activer.slug, "nature": "relance_vote"},
    )
    assert "Possible seulement pendant le vote" in client.get(url).content.decode()
    reponse = client.post(url, {"jeton": str(_cle("refus"))})
    assert reponse.status_code == 200
    assert "L'envoi n'est pas lancé" in reponse.content.decode()
    assert "Possible seulement pendant le vote" in reponse.content.decode()
    assert not EnvoiDeMasse.objects.exists()
    inconnu = reverse(
        "gestion_courriels:lancer", kwargs={"slug": campagne_a_activer.slug, "nature": "spam"}
    )
    assert client.get(inconnu).status_code == 404


@pytest.mark.parametrize(
    ("envoyes", "texte"),
    # A mailing not finished shows 99 % at the most.
    [(0, "0 %, 0 envoyé sur 2"), (1, "50 %, 1 envoyé sur 2"), (2, "99 %, 2 envoyés sur 2")],
)
def test_le_resume_accorde_les_envoyes(envoyes: int, texte: str) -> None:
    """French puts 0 and 1 in the singular: « 1 envoyé sur 2 », never « 1 envoyés »."""
    envoi = EnvoiDeMasse(
        nature=NatureEnvoi.ACTIVATION, destinataires_prevus=2, planifie_le=horloge.maintenant()
    )
    compteurs = selectors.Compteurs()
    compteurs.par_etat[EtatCourriel.ENVOYE] = envoyes
    compteurs.par_etat[EtatCourriel.EN_ATTENTE] = 2 - envoyes
    resume = selectors.resume([selectors.Suivi(envoi=envoi, compteurs=compteurs)])
    assert resume == f"Envois en cours. Activation des comptes : {texte}."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "donnees", [{}, {"jeton": ""}, {"jeton": "abc"}, {"jeton": "a" * 65}], ids=repr
)
def test_une_cle_illisible_ne_lance_rien(
    client, campagne_a_activer, administrateur, donnees, django_capture_on_commit_callbacks
) -> None:
    """The key is read by the shared mechanism (core.soumission): missing or mangled, the
    mailing is refused with its message and the page comes back with a new, good key."""
    verifier_second_facteur(client, administrateur)
    lancer = reverse(
        "gestion_courriels:lancer",
        kwargs={"slug": campagne_a_activer.slug, "nature": "activation"},
    )
    reponse = client.post(lancer, donnees)
    assert reponse.status_code == 200
    contenu = html.unescape(reponse.content.decode())
    assert "L'envoi n'est pas lancé" in contenu
    assert soumission.FORMULAIRE_EXPIRE in contenu
    assert not EnvoiDeMasse.objects.exists()
    nouvelle = re.findall(r'name="jeton" value="([^"]+)"', contenu)
    assert len(nouvelle) == 1 and soumission.lire_cle(nouvelle[0]) is not None
    with django_capture_on_commit_callbacks(execute=False):
        client.post(lancer, {"jeton": nouvelle[0]})
    assert EnvoiDeMasse.objects.get().jeton == nouvelle[0]


@pytest.mark.django_db
def test_la_cle_d_un_autre_envoi_est_refusee(campagne_a_activer, administrateur) -> None:
    """A key that launched one mailing is no way to reach it from another kind's page."""
    _lancer(campagne_a_activer, administrateur, jeton="k")
    relance = NatureEnvoi.RELANCE_ACTIVATION
    with pytest.raises(selectors.EnvoiImpossible, match="Ce formulaire a expiré"):
        _lancer(campagne_a_activer, administrateur, relance, jeton="k")
    assert EnvoiDeMasse.objects.count() == 1


@pytest.mark.django_db
def test_etat_json_du_tableau(client, campagne_a_activer, administrateur) -> None:
    envoi, _ = _lancer(campagne_a_activer, administrateur)
    _executer_sans_file(envoi)
    courriels = list(Courriel.objects.filter(envoi=envoi).order_by("pk"))
    for courriel, etat in zip(
        courriels,
        [EtatCourriel.ENVOYE] * 3
        + [EtatCourriel.A_REESSAYER, EtatCourriel.REJETE, EtatCourriel.EN_ECHEC],
        strict=False,
    ):
        courriel.etat = etat
        courriel.save()
    verifier_second_facteur(client, administrateur)
    url = reverse("gestion_courriels:etat", kwargs={"slug": campagne_a_activer.slug})
    etat = client.get(url).json()
    assert (etat["etat"], etat["libelle"], etat["en_cours"]) == (
        "en_cours",
        "Envois en cours",
        True,
    )
    cle = f"envoi-{envoi.pk}"
    # 5 of 7 handled.
    assert etat["barres"] == [{"cle": cle, "faits": 71, "total": 100, "texte": "71 %"}]
    assert "3 envoyés sur 7" in etat["annonce"]
    assert etat["valeurs"] == {
        "resume": etat["annonce"],
        f"{cle}-statut": "Envoi en cours",
        f"{cle}-programmes": 7,
        f"{cle}-envoyes": 3,
        f"{cle}-en_attente": 1,
        f"{cle}-a_reessayer": 1,
        f"{cle}-rejetes": 1,
        f"{cle}-en_echec": 1,
        f"{cle}-sans_objet": 0,
        f"{cle}-ecartes": 0,
    }
    page = client.get(
        reverse("gestion_courriels:tableau", kwargs={"slug": campagne_a_activer.slug})
    )
    contenu = page.content.decode()
    assert f'data-progression-valeur="{cle}-envoyes">3<' in contenu
    assert "isoloir/js/progression.js" in contenu
    assert 'aria-live="polite"' in contenu
    assert 'value="71"' in contenu


@pytest.mark.django_db
def test_l_assistance_n_a_pas_acces(client, campagne_a_activer) -> None:
    assistance = Compte.objects.create_user("assistance@education.gouv.fr", MOT_DE_PASSE)
    assistance.groups.add(Group.objects.get(name="Assistance"))
    verifier_second_facteur(client, assistance)
    slug = campagne_a_activer.slug
    for url in (
        reverse("gestion_courriels:tableau", kwargs={"slug": slug}),
        reverse("gestion_courriels:etat", kwargs={"slug": slug}),
        reverse("gestion_courriels:lancer", kwargs={"slug": slug, "nature": "activation"}),
    ):
        assert client.get(url).status_code == 403
    url = reverse("gestion_courriels:lancer", kwargs={"slug": slug, "nature": "activation"})
    assert client.post(url, {"jeton": "x"}).status_code == 403
    assert not EnvoiDeMasse.objects.exists()


@pytest.mark.django_db
def test_sans_second_facteur_pas_de_tableau(client, campagne_a_activer, administrateur) -> None:
    client.force_login(administrateur)
    url = reverse("gestion_courriels:tableau", kwargs={"slug": campagne_a_activer.slug})
    reponse = client.get(url)
    assert reponse.status_code == 302 and "second-facteur" in reponse["Location"]


@pytest.mark.django_db
def test_un_envoi_reste_en_chemin_est_remis_dans_la_file(
    campagne_a_activer, administrateur, django_capture_on_commit_callbacks
) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    # The queue was down at launch: the planning task was never enqueued.
    with django_capture_on_commit_callbacks(execute=False):
        envoi, _ = _lancer(campagne_a_activer, administrateur)
    sortie = StringIO()
    call_command("relancer_courriels", stdout=sortie)
    assert "et 0 tâche(s) d'envoi de masse" in sortie.getvalue()  # too recent to tell
    with horloge.decalee_de(timedelta(minutes=11)):
        call_command("relancer_courriels", stdout=sortie)
    assert "et 1 tâche(s) d'envoi de masse remis dans la file" in sortie.getvalue()
    (tache,) = DBTaskResult.objects.all()
    assert tache.task_path == "isoloir.envois.tasks.planifier_envoi"
    assert tache.args_kwargs["args"] == [envoi.pk]
