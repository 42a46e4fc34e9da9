"""The procès-verbal as PDF/A-3b and the results page (issue 5 § 7, E04, A18), on scrutins
counted for real (tests/counting/resultats.py): the PDF's conformity markers read from its
bytes, its text read back with poppler, the page's table and heading semantics."""

import hashlib
import itertools
import re
import subprocess
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from isoloir.audit.services import journaliser
from isoloir.core.polices import TEXTE
from isoloir.counting import pv, releve_du_depouillement
from isoloir.counting.models import Depouillement, Scellement
from isoloir.counting.services import consigner_intervention
from isoloir.elections.models import Candidat
from tests.counting.resultats import candidats, depouiller
from tests.pdf import texte_du_pdf
from tests.scrutin_de_vote import URNE_ET_DEFAUT

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)

CANDIDATS = {
    "FSU": ["Durand Anne", "Martin Paul", "Petit Léa"],
    "UNSA": ["Moreau Jean", "Roux Zoé"],
    "FO": ["Blanc Luc"],
}


# --- Reading a PDF back -------------------------------------------------------------------


def _contenu_decompresse(pdf: bytes) -> bytes:
    """The file with each Flate stream inflated after it: the XMP packet and the catalog
    sit in compressed object streams, and conformity markers are searched in the lot."""
    morceaux = [pdf]
    for debut in re.finditer(rb"stream\r?\n", pdf):
        try:
            morceaux.append(zlib.decompressobj().decompress(pdf[debut.end() :]))
        except zlib.error:
            continue  # not a Flate stream (or not a stream start at all)
    return b"\n".join(morceaux)


def _poppler(outil: str, pdf: bytes, dossier: Path) -> str:
    fichier = dossier / "pv.pdf"
    fichier.write_bytes(pdf)
    return subprocess.run([outil, str(fichier)], capture_output=True, check=True, text=True).stdout


def _polices(pdf: bytes, dossier: Path) -> list[tuple[str, str]]:
    """(name, emb) of each font, from pdffonts' table."""
    lignes = _poppler("pdffonts", pdf, dossier).splitlines()[2:]
    polices = []
    for ligne in lignes:
        colonnes = ligne.split()
        # name type… encoding emb sub uni object ID: emb is the 5th column from the end.
        polices.append((colonnes[0], colonnes[-5]))
    return polices


def _sans_espaces(texte: str) -> str:
    return re.sub(r"\s+", " ", texte)


# --- Reading the results page -------------------------------------------------------------


@dataclass
class Tableau:
    legende: str = ""
    premier: str | None = None  # the first child element: a caption must come first
    en_tetes: list[str | None] = field(default_factory=list)  # scope of each <th>


class Structure(HTMLParser):
    """Headings in order, and per table its caption and the scope of each header cell."""

    def __init__(self) -> None:
        super().__init__()
        self.titres: list[tuple[int, str]] = []
        self.tableaux: list[Tableau] = []
        self._titre: int | None = None
        self._texte: list[str] = []
        self._dans_legende = False
        self.liens: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self._titre, self._texte = int(tag[1]), []
        elif tag == "table":
            self.tableaux.append(Tableau())
        elif self.tableaux and tag in ("caption", "thead", "tbody", "tfoot", "tr"):
            tableau = self.tableaux[-1]
            if tableau.premier is None:
                tableau.premier = tag
            if tag == "caption":
                self._dans_legende, self._texte = True, []
        elif tag == "th" and self.tableaux:
            self.tableaux[-1].en_tetes.append(attributs.get("scope"))
        elif tag == "a":
            self.liens.append(attributs)

    def handle_endtag(self, tag: str) -> None:
        if self._titre is not None and tag == f"h{self._titre}":
            self.titres.append((self._titre, _sans_espaces("".join(self._texte)).strip()))
            self._titre = None
        elif tag == "caption" and self._dans_legende:
            self.tableaux[-1].legende = _sans_espaces("".join(self._texte)).strip()
            self._dans_legende = False

    def handle_data(self, data: str) -> None:
        if self._titre is not None or self._dans_legende:
            self._texte.append(data)


def _structure(html: str) -> Structure:
    s = Structure()
    s.feed(html)
    return s


def _page(client, scrutin) -> str:
    reponse = client.get(reverse("counting:resultats", args=[scrutin.campagne.slug, scrutin.code]))
    assert reponse.status_code == 200
    return reponse.content.decode()


def _pv(client, scrutin) -> bytes:
    reponse = client.get(
        reverse("counting:proces_verbal", args=[scrutin.campagne.slug, scrutin.code])
    )
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == f'attachment; filename="pv-{scrutin.code}.pdf"'
    return reponse.content


# --- The tests ------------------------------------------------------------------------------


@pytest.fixture
def egalite_tiree_au_sort(bureau, scrutin, creer_electeur) -> Depouillement:
    """3 seats; blank ×1, FSU ×2, UNSA ×2, FO ×1, 2 abstentions. QE = 5 / 3: FSU and UNSA
    one seat each at the quotient; the third seat has FSU, UNSA and FO on an average of 1,
    FO has fewer votes, FSU and UNSA are drawn by lot."""
    scrutin.sieges_titulaires = 3
    scrutin.save()
    candidats(scrutin, CANDIDATS)
    return depouiller(bureau, scrutin, creer_electeur, [0, 1, 1, 2, 2, 3], abstentions=2)


def test_le_pv_est_un_pdf_a_3b_aux_polices_incorporees(
    client, egalite_tiree_au_sort, scrutin, tmp_path
) -> None:
    pdf = _pv(client, scrutin)
    assert pdf.startswith(b"%PDF-")
    assert _pv(client, scrutin) == pdf  # made once, then served for a couple of minutes
    tout = _contenu_decompresse(pdf)
    # XMP metadata declaring PDF/A-3, level B.
    assert re.search(rb'pdfaid:part(="|>)3', tout)
    assert re.search(rb'pdfaid:conformance(="|>)B', tout)
    assert b"<x:xmpmeta" in tout and b"/Metadata" in tout
    # An output intent with its ICC profile embedded.
    assert re.search(rb"/OutputIntents\s*\[\s*<<\s*/Type\s*/OutputIntent\s*/S\s*/GTS_PDFA1", tout)
    assert b"/DestOutputProfile" in tout
    titre = "Procès-verbal du dépouillement — CSA ministériel"
    assert f'<rdf:li xml:lang="x-default">{titre}</rdf:li>'.encode() in tout
    assert b"/Lang (fr)" in tout
    # Every font embedded (a PDF/A must not depend on the reader's fonts).
    polices = _polices(pdf, tmp_path)
    assert polices, "aucune police dans le PDF"
    assert all(emb == "yes" for _, emb in polices), polices
    assert any("PV" in nom for nom, _ in polices)  # the DejaVu faces the stylesheet names
    infos = _poppler("pdfinfo", pdf, tmp_path)
    assert re.search(rf"^Title:\s+{re.escape(titre)}$", infos, re.M)
    assert re.search(r"^Author:\s+BV du CSA ministériel$", infos, re.M)
    assert re.search(r"^Page size:.*\(A4\)$", infos, re.M)
    assert re.search(r"^Tagged:\s+yes$", infos, re.M)


def test_le_pv_donne_les_chiffres_les_elus_le_tirage_et_les_signatures(
    client, egalite_tiree_au_sort, scrutin, bureau, tmp_path
) -> None:
    d = egalite_tiree_au_sort
    consigner_intervention(
        bureau, auteur="Équipe d'exploitation", motif="Redémarrage du serveur web saturé"
    )
    texte = texte_du_pdf(_pv(client, scrutin), tmp_path)
    plat = _sans_espaces(texte)
    for attendu in (
        "Équipe d'exploitation, Redémarrage du serveur web saturé",
        "RÉPUBLIQUE",
        "Procès-verbal des opérations de dépouillement",
        "Bureau de vote électronique : BV du CSA ministériel",
        "Inscrits : 8",
        "Votants (émargements) : 6",
        "Taux de participation : 75,00 %",
        "Votes blancs : 1",
        "Suffrages exprimés : 5",
        "Sièges de titulaires à pourvoir : 3",
        "Quotient électoral : 1,67 (5 suffrages exprimés / 3 sièges)",
        "Sièges restés vacants : aucun.",
        "Bulletins dans l'urne : 6 ; émargements : 6 (égaux)",
        "Suffrages exprimés + votes blancs = 5 + 1 = 6 votants : concordant",
        "Répartition des sièges recalculée à partir des voix : identique",
    ):
        assert attendu in plat, attendu
    # The drawing of lots: the recorded seed, the hashed text's fingerprint, the winner.
    releve = releve_du_depouillement.releve(d)
    assert d.resultat["tirage_au_sort"] and len(releve.tirages) == 1
    tirage = releve.tirages[0]
    assert tirage.numero == 3 and tirage.en_lice == ["FSU", "UNSA"]
    assert tirage.empreinte == hashlib.sha256(tirage.message.encode()).hexdigest()
    assert f'"graine":"{d.graine}"' in tirage.message
    assert "Graine consignée" in plat and d.graine in plat
    assert f"empreinte {tirage.empreinte}" in plat
    assert (
        "Siège n° 3 : les listes FSU et UNSA ont recueilli le même nombre de voix ; attribué "
        f"par tirage au sort à la liste {tirage.gagnante}."
    ) in plat
    sieges = {"FSU": 1, "UNSA": 1, "FO": 0}
    sieges[tirage.gagnante] += 1

    # The table of lists: sigle, organisation, votes, share of exprimés, seats.
    lignes = {
        m["sigle"]: m.groupdict()
        for m in re.finditer(
            r"^\s*(?P<sigle>FSU|UNSA|FO)\s+(?P<organisation>\S.*?\S)\s{2,}(?P<voix>\d+)\s+"
            r"(?P<part>\d+,\d\d %)\s+(?P<sieges>\d+)\s*$",
            texte,
            re.M,
        )
    }
    assert {s: (v["voix"], v["part"], int(v["sieges"])) for s, v in lignes.items()} == {
        "FSU": ("2", "40,00 %", sieges["FSU"]),
        "UNSA": ("2", "40,00 %", sieges["UNSA"]),
        "FO": ("1", "20,00 %", 0),
    }
    assert lignes["FSU"]["organisation"] == "Fédération syndicale unitaire"

    # Elected titulaires: the first candidates of each list, in list order, one per seat.
    elus = plat[plat.index("Élus titulaires") : plat.index("Contrôles")]
    attendus = []
    for sigle in ("FSU", "UNSA"):
        assert f"{sigle} : 2 voix, {sieges[sigle]} siège" in elus
        for rang, nom in enumerate(CANDIDATS[sigle][: sieges[sigle]], start=1):
            attendus.append(f"{sigle}… Mme {nom} (rang {rang})")
    positions = [elus.index(a.split("… ")[1]) for a in attendus]
    assert positions == sorted(positions), attendus
    battus = [n for s in ("FSU", "UNSA", "FO") for n in CANDIDATS[s][sieges[s] :]]
    assert len(battus) == 3
    for battu in battus:
        assert battu not in elus
    assert "FO : 1 voix, aucun siège." in elus

    # The checks: the seal verified, with its fingerprint and signers; the closing.
    sceau = Scellement.objects.get(bureau=bureau)
    assert sceau.empreinte in plat
    assert "Scellement vérifié lors de l'établissement du procès-verbal" in plat
    assert "président : Presidente (détenteur n° 1)" in plat
    assert "@" not in plat  # no e-mail address in public minutes
    cloture = scrutin.cloture_faite
    assert f"urne {cloture.empreinte_urne}" in plat
    assert f"émargement {cloture.empreinte_emargement}" in plat
    # The key holders whose shares were combined, by name.
    detenteurs = plat[plat.index("Détenteurs de clé ayant déchiffré") :]
    assert "Parts de déchiffrement des détenteurs n° 1, 2, 3 (seuil du bureau : 3)" in detenteurs
    for qui in ("Delegue Fsu (FSU)", "Delegue Unsa (UNSA)"):
        assert qui in detenteurs

    # Incidents, observations, then one signature line per member of the bureau.
    assert "Incidents pendant le vote" in plat and "Rejeux de bulletin refusés : 0" in plat
    assert "Observations" in plat
    signatures = plat[plat.index("Signatures des membres du bureau de vote") :]
    for membre in bureau.membres.select_related("compte", "liste"):
        # Qualité, then the list represented (the cell beside it), then the name.
        liste = membre.liste.sigle if membre.liste else "—"
        ligne = rf"{membre.get_role_display()} : {liste} {re.escape(membre.compte.nom_affiche)}"
        assert re.search(ligne, signatures), ligne
    assert signatures.index("président :") < signatures.index("secrétaire :")
    assert signatures.index("secrétaire :") < signatures.index("délégué de liste :")


def test_la_page_de_resultats_et_un_ecart_au_scellement(
    client, egalite_tiree_au_sort, scrutin, tmp_path
) -> None:
    d = egalite_tiree_au_sort
    html = _page(client, scrutin)
    structure = _structure(html)
    # One h1, then h2 and h3 without skipping a level.
    niveaux = [n for n, _ in structure.titres]
    assert niveaux.count(1) == 1 and niveaux[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(niveaux))
    titres = [t for _, t in structure.titres]
    for attendu in ("Participation", "Voix et sièges par liste", "Élus titulaires", "Contrôles"):
        assert attendu in titres
    # Each table has a caption first, and every header cell a scope.
    assert len(structure.tableaux) == 2
    for tableau in structure.tableaux:
        assert tableau.premier == "caption" and tableau.legende
        assert tableau.en_tetes and all(s in ("col", "row") for s in tableau.en_tetes)
    assert structure.tableaux[1].legende == "Voix et sièges par liste (3 sièges de titulaires)"
    for attendu in (
        '<tr><th scope="row">Votants</th><td>6 (75,00 %)</td></tr>',
        '<tr><th scope="row">Suffrages exprimés</th><td>5</td></tr>',
        '<tr><th scope="row">FO</th><td data-colonne="Organisation syndicale">FO</td>'
        '<td data-colonne="Voix">1</td><td data-colonne="Part des suffrages exprimés">20,00 %</td>'
        '<td data-colonne="Sièges">0</td></tr>',
        "Quotient électoral : 1,67 (5 suffrages exprimés / 3 sièges).",
        d.graine,
        "Mme Durand Anne",
        "Mme Moreau Jean",
        # The seal's state is said in words, the badge's colour only repeats it.
        '<span class="fr-badge fr-badge--success">Scellement vérifié</span>',
        "Bulletins dans l&#x27;urne : 6 ; émargements : 6 (égaux).",
    ):
        assert attendu in html, attendu
    assert "Petit Léa" not in html and "Blanc Luc" not in html
    liens = {lien.get("href"): lien for lien in structure.liens}
    adresse_pv = reverse("counting:proces_verbal", args=[scrutin.campagne.slug, scrutin.code])
    assert adresse_pv in liens and "download" in liens[adresse_pv]
    assert reverse("booth:tableau", args=[scrutin.campagne.slug, scrutin.code]) in liens

    # A sealed candidate list altered behind the application's back (a raw update skips
    # the seal's guards): the PV, checking the seal afresh, reports it.
    Candidat.objects.filter(liste__scrutin=scrutin, rang=1, nom="Durand").update(nom="Dupont")
    cache.clear()  # the PV and the board's seal check are both kept a couple of minutes
    plat = _sans_espaces(texte_du_pdf(_pv(client, scrutin), tmp_path))
    assert "Écarts constatés au contrôle du scellement" in plat
    assert (
        "Les listes de candidats du scrutin « CSA ministériel » ont changé depuis le scellement."
        in plat
    )
    assert "Scellement vérifié" not in plat
    html = _page(client, scrutin)
    assert '<span class="fr-badge fr-badge--error">Écart au scellement</span>' in html
    assert "Contrôles à examiner" in html
    assert "ont changé depuis le scellement." in html


def test_un_scrutin_sans_bulletin_et_les_incidents_du_vote(
    client, bureau, scrutin, creer_electeur, tmp_path
) -> None:
    candidats(scrutin, CANDIDATS)
    journaliser("vote.rejeu_refuse", scrutin=scrutin.pk)
    journaliser("vote.rejeu_refuse", scrutin=scrutin.pk)
    journaliser("vote.recuperation", emargees=1, abandonnees=2)
    journaliser("reassort.verrouille")
    d = depouiller(bureau, scrutin, creer_electeur, [], abstentions=2)
    assert d.bulletins == d.emargements == 0
    plat = _sans_espaces(texte_du_pdf(_pv(client, scrutin), tmp_path))
    for attendu in (
        "Inscrits : 2",
        "Votants (émargements) : 0",
        "Taux de participation : 0,00 %",
        "Votes blancs : 0",
        "Suffrages exprimés : 0",
        "Quotient électoral : sans objet (aucun suffrage exprimé).",
        "Sièges restés vacants : 15",
        "Aucun tirage au sort n'a été nécessaire.",
        "Aucun siège n'a été attribué.",
        "FSU : 0 voix, aucun siège.",
        "Bulletins dans l'urne : 0 ; émargements : 0 (égaux)",
        "Suffrages exprimés + votes blancs = 0 + 0 = 0 votants : concordant",
        "Rejeux de bulletin refusés : 2",
        "Votes repris par la reprise après incident : 3",
        "Réassorts verrouillés après des échecs : 1",
        "Signatures des membres du bureau de vote",
    ):
        assert attendu in plat, attendu
    assert "Durand Anne" not in plat
    html = _page(client, scrutin)
    assert '<tr><th scope="row">Votants</th><td>0 (0,00 %)</td></tr>' in html
    assert "Aucun siège n'a été attribué." in html


def test_un_scrutin_sans_inscrit_n_a_pas_de_taux() -> None:
    assert releve_du_depouillement.pourcentage(0, 0) == "—"
    assert releve_du_depouillement.pourcentage(2, 3) == "66,67 %"


def test_le_rendu_ne_lit_que_la_feuille_de_style_et_les_polices(tmp_path) -> None:
    from weasyprint.urls import FatalURLFetchingError

    recuperateur = pv._recuperateur()
    feuille = recuperateur.fetch(pv.FEUILLE_DE_STYLE.as_uri())
    assert b"@page" in feuille.read()
    police = TEXTE.chemin.as_uri()
    assert recuperateur.fetch(police).read()[:4] == b"\x00\x01\x00\x00"  # TrueType
    ailleurs = tmp_path / "secret.css"
    ailleurs.write_text("body { color: red }")
    for adresse in (
        "https://example.org/pv.css",
        "http://127.0.0.1:1/police.ttf",
        "data:text/css,body{}",
        "file://example.org" + pv.FEUILLE_DE_STYLE.as_uri().removeprefix("file://"),
        ailleurs.as_uri(),
        (pv.FEUILLE_DE_STYLE.parent / ".." / ".." / "pv.py").resolve().as_uri(),
    ):
        with pytest.raises(FatalURLFetchingError):
            recuperateur.fetch(adresse)


def test_pas_de_pv_avant_le_resultat(client, bureau, scrutin) -> None:
    for nom in ("counting:resultats", "counting:proces_verbal"):
        adresse = reverse(nom, args=[scrutin.campagne.slug, scrutin.code])
        assert client.get(adresse).status_code == 404
