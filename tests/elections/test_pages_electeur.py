"""The voter's pages about their scrutins: the rolls (search, pages, period, privacy) and
the candidate lists with their professions de foi."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from isoloir.accounts import numen
from isoloir.accounts.models import Compte, Electeur
from isoloir.core import horloge
from isoloir.elections import selectors
from isoloir.elections.models import Candidat, Inscription
from tests.factories import numen_de

# Dates matter here: run at today's date and at each edge of the calendar.
pytestmark = pytest.mark.calendrier

PARIS = ZoneInfo("Europe/Paris")
PDF = b"%PDF-1.4\n" + b"0" * 1_300_000 + b"\n%%EOF\n"
NOMS = [
    "Durand",
    "DURAND-MARTIN",
    "Dupont",
    "Adurant",
    "Martin",
    "Lefèvre",
    "Bernard",
    "Petit",
    "Moreau",
    "Girard",
]


@pytest.fixture
def campagne(creer_campagne):
    """Rolls published on 1 November, consultable until the vote closes."""
    return creer_campagne(
        nom="Élections professionnelles 2026",
        ouverture=datetime(2026, 12, 1, 9, 0, tzinfo=PARIS),
        publication_des_listes=datetime(2026, 11, 1, 9, 0, tzinfo=PARIS),
    )


@pytest.fixture
def pendant_la_consultation():
    with horloge.figee_a(datetime(2026, 11, 10, 12, 0, tzinfo=PARIS)):
        yield


@pytest.fixture
def scrutin(campagne, creer_scrutin):
    return creer_scrutin(campagne, intitule="CSA académique de Lyon")


@pytest.fixture
def connecte(client, scrutin, creer_electeur):
    # Logged in directly: no password to hash, which keeps the tests quick.
    electeur = creer_electeur(
        scrutin,
        nom_naissance="Campodifiori",
        prenoms="Sophie",
        email="sophie.campodifiori@ac-lyon.fr",
        etablissement="Lycée Ampère",
    )
    client.force_login(electeur.compte)
    client.electeur = electeur
    return client


@pytest.fixture
def liste_de_120(scrutin):
    """120 more voters, with e-mails and birth dates the roll must never show. Written in
    bulk, as the roll import does (and so through the database-computed sort key)."""
    comptes = Compte.objects.bulk_create(
        Compte(email=f"voisin{i:03d}@ac-lyon.fr", password="!") for i in range(120)
    )
    electeurs = Electeur.objects.bulk_create(
        Electeur(
            compte=compte,
            civilite="Mme",
            nom_naissance=NOMS[i % len(NOMS)],
            prenoms=f"Prénom{i:03d}",
            date_naissance=date(1960 + i % 30, 1 + i % 12, 1 + i % 28),
            etablissement=f"Collège n° {i}",
            numen_empreinte=numen.empreinte(numen_de(10_000 + i)),
        )
        for i, compte in enumerate(comptes)
    )
    Inscription.objects.bulk_create(Inscription(electeur=e, scrutin=scrutin) for e in electeurs)
    return list(Electeur.objects.filter(pk__in=[e.pk for e in electeurs]).select_related("compte"))


def _url(scrutin, **params) -> str:
    url = reverse("elections:liste_electorale", args=[scrutin.pk])
    if params:
        url += "?" + "&".join(f"{cle}={valeur}" for cle, valeur in params.items())
    return url


def _lignes(page: str) -> list[tuple[str, str]]:
    """(name cell, first names) of each row of the roll's table."""
    # The cells name their column: on a phone each row is a card (issue 12, item 1).
    return re.findall(
        r'<th scope="row">(.*?)</th>\s*<td data-colonne="Prénoms">(.*?)</td>', page, re.S
    )


def _ordre_attendu(electeurs) -> list[tuple[str, str]]:
    return sorted(
        ((e.nom_usage or e.nom_naissance).upper() + " " + e.prenoms.upper(), e.pk)
        for e in electeurs
    )


# --- The rolls ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_liste_paginee_par_50_dans_l_ordre_des_noms(
    connecte, scrutin, liste_de_120, pendant_la_consultation
) -> None:
    tous = [*liste_de_120, connecte.electeur]
    attendu = [cle.split(" ")[-1] for cle, _ in _ordre_attendu(tous)]
    vus = []
    for numero in (1, 2, 3):
        page = connecte.get(_url(scrutin, page=numero)).content.decode()
        lignes = _lignes(page)
        assert len(lignes) == (50 if numero < 3 else 21)
        vus += [prenoms.upper() for _, prenoms in lignes]
        assert f"page {numero} sur 3" in page
    # Page 3 is walked from the end of the index: the order must not show it.
    assert vus == attendu
    page = connecte.get(_url(scrutin, page=2)).content.decode()
    assert 'aria-current="page" title="Page 2"' in page
    assert 'href="?page=3"' in page and 'href="?page=1"' in page
    # A page out of range or not a number gives the nearest page, not an error.
    assert len(_lignes(connecte.get(_url(scrutin, page=99)).content.decode())) == 21
    assert len(_lignes(connecte.get(_url(scrutin, page="x")).content.decode())) == 50


@pytest.mark.django_db
def test_recherche_par_debut_du_nom_sans_casse(
    connecte, scrutin, liste_de_120, pendant_la_consultation
) -> None:
    page = connecte.get(_url(scrutin, nom="dur")).content.decode()
    noms = {nom for nom, _ in _lignes(page)}
    assert noms == {"Durand", "DURAND-MARTIN"}
    assert "24 électeurs dont le nom commence par « dur »" in page
    # The prefix may run on into the first names.
    page = connecte.get(_url(scrutin, nom="DURAND%20pr%C3%A9nom00")).content.decode()
    assert [p for _, p in _lignes(page)] == ["Prénom000"]
    # Not a substring search; and a name nobody has says so.
    assert "Adurant" not in {n for n, _ in _lignes(page)}
    vide = connecte.get(_url(scrutin, nom="Zzz")).content.decode()
    assert not _lignes(vide)
    assert "Aucun électeur de ce scrutin n'a un nom commençant par « Zzz »" in vide
    # Accented letters match themselves through the database's own case folding.
    page = connecte.get(_url(scrutin, nom="lef%C3%A8")).content.decode()
    assert {n for n, _ in _lignes(page)} == {"Lefèvre"}


@pytest.mark.django_db
def test_recherche_plafonnee(
    connecte, scrutin, liste_de_120, pendant_la_consultation, monkeypatch
) -> None:
    """A search that matches too many voters shows the first ones and asks for more letters;
    the last page is then read forwards (the walk from the end would go past the cap)."""
    monkeypatch.setattr(selectors, "PLAFOND_RECHERCHE", 15)
    monkeypatch.setattr(selectors, "TAILLE_PAGE_LISTE", 10)
    premiere = connecte.get(_url(scrutin, nom="dur")).content.decode()
    assert "Plus de 15 électeurs ont un nom commençant par « dur »" in premiere
    assert "Saisissez davantage de lettres" in premiere
    deuxieme = connecte.get(_url(scrutin, nom="dur", page=2)).content.decode()
    assert "page 2 sur 2" in deuxieme
    noms = [n for n, _ in _lignes(premiere)] + [n for n, _ in _lignes(deuxieme)]
    assert noms == ["Durand"] * 12 + ["DURAND-MARTIN"] * 3
    pas_tronquee = connecte.get(_url(scrutin, nom="durand-")).content.decode()
    assert "12 électeurs dont le nom commence par « durand- »" in pas_tronquee


@pytest.mark.parametrize(
    ("saisie", "terme"),
    [
        ("  Durand   So ", "Durand So"),
        ("Dur\x00and\n", "Dur and"),
        ("x" * 300, "x" * 100),
        ("100%_", "100%_"),
    ],
)
def test_terme_de_recherche(saisie: str, terme: str) -> None:
    assert selectors.terme_de_recherche(saisie) == terme


@pytest.mark.django_db
def test_recherche_avec_caracteres_speciaux(
    connecte, scrutin, liste_de_120, pendant_la_consultation
) -> None:
    for saisie in ("%25", "_", "%5C", "'", "Z", "9", "%C3%A9"):
        reponse = connecte.get(_url(scrutin, nom=saisie))
        assert reponse.status_code == 200, saisie
        assert not _lignes(reponse.content.decode()), saisie
    # A NUL alone is no search at all: the whole roll.
    reponse = connecte.get(_url(scrutin, nom="%00"))
    assert "121 électeurs inscrits" in reponse.content.decode()


@pytest.mark.django_db
def test_recherche_paginee_garde_le_terme(
    connecte, scrutin, creer_electeur, pendant_la_consultation
) -> None:
    for i in range(60):
        creer_electeur(scrutin, nom_naissance="Martin", prenoms=f"Agent {i:02d}")
    page = connecte.get(_url(scrutin, nom="mart")).content.decode()
    assert 'href="?nom=mart&amp;page=2"' in page
    deuxieme = connecte.get(_url(scrutin, nom="mart", page=2)).content.decode()
    assert len(_lignes(deuxieme)) == 10


@pytest.mark.django_db
def test_la_liste_ne_montre_ni_date_de_naissance_ni_adresse(
    connecte, scrutin, liste_de_120, pendant_la_consultation
) -> None:
    pages = [connecte.get(_url(scrutin, page=n)).content.decode() for n in (1, 2, 3)]
    pages.append(connecte.get(_url(scrutin, nom="dur")).content.decode())
    texte = "\n".join(pages)
    for electeur in liste_de_120:
        assert electeur.compte.email not in texte
        naissance = electeur.date_naissance
        for forme in (
            naissance.isoformat(),
            naissance.strftime("%d/%m/%Y"),
            f"{naissance.day} ",
        ):
            if forme.strip().isdigit():
                continue  # a bare day number also appears in page numbers
            assert forme not in texte
        assert electeur.numen_empreinte not in texte
    assert "Collège n° 7" in texte  # the posting is what the roll shows
    assert "@" not in re.sub(r"<header.*?</header>", "", texte, flags=re.S)


@pytest.mark.django_db
def test_seules_les_listes_de_mes_scrutins(
    connecte, campagne, creer_scrutin, creer_electeur, pendant_la_consultation
) -> None:
    ailleurs = creer_scrutin(campagne, intitule="CAP des agrégés")
    creer_electeur(ailleurs, nom_naissance="Secret")
    assert connecte.get(_url(ailleurs)).status_code == 404
    assert connecte.get(reverse("elections:liste_electorale", args=[999_999])).status_code == 404
    vue = connecte.get(reverse("elections:listes_electorales")).content.decode()
    assert "CAP des agrégés" not in vue
    assert connecte.get(_url(ailleurs)).content.decode().count("Secret") == 0


@pytest.mark.django_db
def test_liste_accessible_seulement_connecte(client, scrutin) -> None:
    reponse = client.get(_url(scrutin))
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("accounts:connexion"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("instant", "message"),
    [
        (
            datetime(2026, 10, 20, 12, 0, tzinfo=PARIS),
            "Les listes électorales seront consultables du dimanche 1er novembre 2026 à 9h00 "
            "au mercredi 9 décembre 2026 à 9h00",
        ),
        (
            datetime(2026, 12, 10, 12, 0, tzinfo=PARIS),
            "du dimanche 1er novembre 2026 à 9h00 au mercredi 9 décembre 2026 à 9h00 (heure de "
            "Paris), est terminée",
        ),
    ],
)
def test_hors_periode_de_consultation(connecte, scrutin, liste_de_120, instant, message) -> None:
    with horloge.figee_a(instant):
        page = connecte.get(_url(scrutin)).content.decode()
        apercu = connecte.get(reverse("elections:listes_electorales")).content.decode()
    assert message in page and message in apercu
    assert not _lignes(page)
    assert "Durand" not in page
    assert "Consulter la liste" not in apercu


@pytest.mark.django_db
def test_listes_pas_encore_publiees(connecte, scrutin) -> None:
    scrutin.campagne.publication_des_listes = None
    scrutin.campagne.save()
    page = connecte.get(_url(scrutin)).content.decode()
    assert "Les listes électorales ne sont pas encore publiées." in page
    assert not _lignes(page)


@pytest.mark.django_db
def test_apercu_des_inscriptions_mene_a_chaque_liste(
    connecte, scrutin, liste_de_120, pendant_la_consultation
) -> None:
    page = connecte.get(reverse("elections:listes_electorales")).content.decode()
    assert '<td data-colonne="Électeurs inscrits">121</td>' in page
    assert f'href="{_url(scrutin)}"' in page


@pytest.mark.django_db
def test_les_deux_lectures_donnent_les_memes_pages(
    scrutin, creer_scrutin, liste_de_120, creer_electeur, monkeypatch
) -> None:
    """The small-roll join and the large-roll index walk agree, page by page."""
    # Voters of another scrutin, interleaved in name order, must be skipped by the walk.
    autre = creer_scrutin(scrutin.campagne)
    for i in range(40):
        creer_electeur(autre, nom_naissance=NOMS[i % len(NOMS)], prenoms=f"Autre {i}")

    def pages(recherche: str) -> list[list[dict[str, str]]]:
        premiere = selectors.page_de_liste(scrutin, recherche=recherche)
        return [
            list(selectors.page_de_liste(scrutin, recherche=recherche, numero=n).object_list)
            for n in premiere.paginator.page_range
        ]

    for recherche in ("", "dur", "M", "Lefè", "petit prénom00"):
        jointure = pages(recherche)
        monkeypatch.setattr(selectors, "SEUIL_PARCOURS_PAR_NOM", 1)
        parcours = pages(recherche)
        monkeypatch.setattr(selectors, "SEUIL_PARCOURS_PAR_NOM", 20_000)
        assert jointure == parcours, recherche
        assert jointure, recherche
    assert sum(len(p) for p in pages("")) == 120


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as curseur:
        curseur.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(ligne[-1]) for ligne in curseur.fetchall())


@pytest.mark.sqlite
@pytest.mark.django_db
def test_plans_de_requete_sqlite(scrutin, liste_de_120, monkeypatch) -> None:
    """Each read goes through an index, never a scan of all voters or a sort of them.

    Measured with these very queries on SQLite, 1.4 million voters, 2 busy cores: a page of
    the 1.4-million or the 200,000-voter roll 4-35 ms (page 1, page 20, last page), a
    prefix search 10-30 ms and its capped count 10-150 ms, a 2,300-voter roll by the join
    40-190 ms; the join and sort took 200-700 ms on the large rolls. The slow case left is
    a middle page of a large roll unsearched (page 2,000 of 4,000: about 2 s).
    """
    if connection.vendor != "sqlite":
        pytest.fail("Ce test lit le plan de SQLite : lancez-le sur la base SQLite.")
    colonnes = selectors.COLONNES_LISTE

    monkeypatch.setattr(selectors, "SEUIL_PARCOURS_PAR_NOM", 1)
    grande = selectors.ListeDUnScrutin(scrutin)
    plan = _plan(grande._electeurs().order_by("nom_tri", "id").values(*colonnes)[:50])
    assert "SCAN accounts_electeur USING INDEX electeur_nom_tri" in plan, plan
    assert "inscription_unique" in plan or "electeur_id=? AND scrutin_id=?" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
    depuis_la_fin = _plan(grande._electeurs().order_by("-nom_tri", "-id").values(*colonnes)[:50])
    assert "electeur_nom_tri" in depuis_la_fin and "TEMP B-TREE" not in depuis_la_fin
    recherche = selectors.ListeDUnScrutin(scrutin, "dur")
    plan = _plan(recherche._electeurs().order_by("nom_tri", "id").values(*colonnes)[:50])
    assert re.search(
        r"SEARCH accounts_electeur USING INDEX electeur_nom_tri \(nom_tri>\? AND nom_tri<\?\)", plan
    ), plan

    monkeypatch.setattr(selectors, "SEUIL_PARCOURS_PAR_NOM", 20_000)
    petite = selectors.ListeDUnScrutin(scrutin)
    plan = _plan(petite._electeurs().order_by("nom_tri", "id").values(*colonnes)[:50])
    assert re.search(
        r"SEARCH elections_inscription USING (COVERING )?INDEX \S+ \(scrutin_id=\?\)", plan
    ), plan
    assert "SCAN accounts_electeur" not in plan, plan


@pytest.mark.django_db
def test_apercu_compte_les_inscrits_de_chaque_scrutin(connecte, scrutin, creer_electeur) -> None:
    for _ in range(3):
        creer_electeur(scrutin)
    page = connecte.get(reverse("elections:listes_electorales")).content.decode()
    assert '<td data-colonne="Électeurs inscrits">4</td>' in page


# --- Candidate lists and professions de foi -------------------------------------------------


@pytest.fixture
def listes(scrutin, creer_liste):
    deuxieme = creer_liste(scrutin, ordre=2, sigle="SNE", denomination="Syndicat de l'exemple")
    premiere = creer_liste(
        scrutin,
        ordre=1,
        sigle="FSU",
        denomination="Fédération syndicale unitaire",
        union="Union des syndicats de l'enseignement",
    )
    premiere.profession_de_foi.save("pdf.pdf", ContentFile(PDF))
    for rang, nom in ((2, "Bernard"), (1, "Durand"), (3, "Alaoui")):
        Candidat.objects.create(liste=premiere, rang=rang, civilite="Mme", nom=nom, prenoms="A")
    return premiere, deuxieme


@pytest.mark.django_db
def test_mes_scrutins_listes_candidats_et_professions_de_foi(connecte, scrutin, listes) -> None:
    premiere, _ = listes
    page = connecte.get(reverse("elections:mes_scrutins")).content.decode()
    assert page.index("1. FSU — Fédération syndicale unitaire") < page.index(
        "2. SNE — Syndicat de l&#x27;exemple"
    )
    assert "Union des syndicats de l&#x27;enseignement" in page
    assert page.index("Mme A Durand") < page.index("Mme A Bernard") < page.index("Mme A Alaoui")
    consulter = reverse("elections:profession_de_foi", args=[premiere.pk])
    telecharger = reverse("elections:profession_de_foi_telechargement", args=[premiere.pk])
    assert f'href="{consulter}">Consulter la profession de foi de FSU' in page
    assert f'download href="{telecharger}">Télécharger la profession de foi de FSU' in page
    assert page.count('<span class="fr-link__detail">PDF, 1,2 Mo</span>') == 2
    assert "Pas de profession de foi publiée pour cette liste." in page  # the SNE's


@pytest.mark.django_db
def test_profession_de_foi_en_ligne_ou_en_piece_jointe(connecte, listes) -> None:
    premiere, _ = listes
    en_ligne = connecte.get(reverse("elections:profession_de_foi", args=[premiere.pk]))
    assert en_ligne["Content-Type"] == "application/pdf"
    assert en_ligne["Content-Disposition"].startswith("inline;")
    assert b"".join(en_ligne.streaming_content) == PDF
    fichier = connecte.get(
        reverse("elections:profession_de_foi_telechargement", args=[premiere.pk])
    )
    assert fichier["Content-Disposition"].startswith("attachment;")
    assert f"profession-de-foi-{premiere.scrutin.code}-FSU.pdf" in fichier["Content-Disposition"]
    assert b"".join(fichier.streaming_content) == PDF


@pytest.mark.django_db
def test_profession_de_foi_hors_de_mes_scrutins(
    connecte, listes, creer_scrutin, creer_liste
) -> None:
    ailleurs = creer_liste(creer_scrutin())
    ailleurs.profession_de_foi.save("pdf.pdf", ContentFile(PDF))
    _, sans_pdf = listes
    for route in ("elections:profession_de_foi", "elections:profession_de_foi_telechargement"):
        assert connecte.get(reverse(route, args=[ailleurs.pk])).status_code == 404
        assert connecte.get(reverse(route, args=[sans_pdf.pk])).status_code == 404


@pytest.mark.django_db
def test_un_inscrit_retire_perd_l_acces(connecte, scrutin, listes) -> None:
    premiere, _ = listes
    Inscription.objects.filter(electeur=connecte.electeur).delete()
    url = reverse("elections:profession_de_foi", args=[premiere.pk])
    assert connecte.get(url).status_code == 404


@pytest.mark.parametrize(
    ("octets", "texte"),
    [
        (1, "1 octet"),
        (900, "900 octets"),
        (63_365, "62 ko"),
        (1_258_291, "1,2 Mo"),
        (10 * 1024 * 1024, "10,0 Mo"),
    ],
)
def test_taille_lisible(octets: int, texte: str) -> None:
    assert selectors.taille_lisible(octets) == texte


@pytest.mark.django_db
def test_fil_d_ariane_et_rubrique(connecte, scrutin, pendant_la_consultation) -> None:
    page = connecte.get(_url(scrutin)).content.decode()
    fil = page[
        page.index('class="fr-breadcrumb"') : page.index("</nav>", page.index("fr-breadcrumb"))
    ]
    assert "Accueil" in fil and "Listes électorales de mes scrutins" in fil
    assert "Liste électorale — CSA académique de Lyon" in fil
    assert re.search(r'href="/portail/scrutins/"\s+aria-current="page"', page)
