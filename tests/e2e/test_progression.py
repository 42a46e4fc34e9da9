"""The shared progress script (core/static/isoloir/js/progression.js) in a real browser,
on the roll import's progress page, the job moved by hand in the database.

Its live region says a new step once, not at every poll, and no sooner than its silence
allows; when the endpoint keeps failing, or at once when the session is over, it stops
polling and says so, in view and aloud.

Then the script's rules one by one, on a made-up page served by the browser's routing:
an empty announcement keeps the one that waits, transient errors (408, 429 and its
Retry-After, 5xx) are tried again while 401, 403, 404, 410 and a redirection stop at once,
and the keyboard focus stays in the fragments replaced at the end.
"""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from isoloir.accounts.models import Compte
from isoloir.elections.models import ImportListe
from isoloir.gestion.roles import RoleDeGestion
from tests.e2e.conftest import Visite, tabuler_jusqua
from tests.e2e.gestion import compte_de_gestion, envoyer, se_connecter_a_la_gestion
from tests.elections.test_import_liste import CODES, ligne, texte_csv
from tests.factories import numen_de

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

INTERRUPTION = "Suivi automatique interrompu : actualisez la page."
LECTURE = "Lecture et contrôle des lignes du fichier"
RETRAITS = "Recherche des électeurs absents du fichier"
JSON = re.compile(r"/progression\.json$")

# Every write to the live region, even of the same words: "once per change" is counted.
ECOUTER = """() => {
  window.annonces = [];
  const voix = document.querySelector("[data-progression-annonce]");
  new MutationObserver(() => window.annonces.push(voix.textContent))
    .observe(voix, { childList: true, characterData: true, subtree: true });
}"""


@pytest.fixture
def campagne(creer_campagne, creer_scrutin):
    campagne = creer_campagne(nom="Élections professionnelles 2026", slug="elections-2026")
    for code in CODES:
        creer_scrutin(campagne, code=code)
    return campagne


@pytest.fixture
def administration() -> Compte:
    return compte_de_gestion("administration@education.gouv.fr", RoleDeGestion.ADMINISTRATION)


def _avancer(import_: ImportListe, **champs: object) -> None:
    """What the worker would write as it goes; the page's state (depose) stays, so that
    the page is followed, not reloaded."""
    ImportListe.objects.filter(pk=import_.pk).update(**champs)


def test_annonce_une_fois_par_changement_puis_dit_l_interruption(
    visite: Visite, campagne, administration, tmp_path
) -> None:
    page = visite.page
    page.clock.install()  # the page's timers flow as usual until moved on
    fichier = tmp_path / "liste.csv"
    fichier.write_text(
        texte_csv(
            *[
                ligne(numen=numen_de(900 + i), email_professionnel=f"agent{i}@ac-lyon.fr")
                for i in range(5)
            ]
        ),
        encoding="utf-8",
    )
    se_connecter_a_la_gestion(
        visite, administration, f"/gestion/campagnes/{campagne.slug}/liste-electorale/"
    )
    tabuler_jusqua(page, "#id_fichier")
    page.locator("#id_fichier").set_input_files(str(fichier))
    tabuler_jusqua(page, "#bouton-verifier")
    envoyer(visite, re.compile(r"/liste-electorale/imports/\d+/$"))
    import_ = ImportListe.objects.get()
    sondages: list[str] = []
    page.on(
        "request",
        # The path only: the login page the session's end redirects to names it in ?next=.
        lambda requete: (
            sondages.append(requete.url) if JSON.search(urlparse(requete.url).path) else None
        ),
    )
    voix = page.locator("[data-progression-annonce]")
    etape = page.locator("#etape-import")
    texte = page.locator('[data-progression-texte="lignes"]')
    erreur = page.locator("[data-progression-erreur]")
    expect(voix).to_have_attribute("aria-live", "polite")
    expect(erreur).to_be_hidden()
    page.evaluate(ECOUTER)

    # A new step: in view at the next poll, said once the silence since the page loaded
    # is over.
    _avancer(import_, phase="lecture", lignes_du_fichier=6, lignes_traitees=3)
    expect(etape).to_have_text(LECTURE)
    expect(texte).to_have_text("40 % — 2 lignes traitées sur 5")
    expect(page.locator("#barre-import")).to_have_js_property("value", 2)
    page.clock.fast_forward("00:11")
    expect(voix).to_have_text(LECTURE)

    # The same step, other figures, several polls: nothing more is said.
    _avancer(import_, lignes_traitees=5)
    expect(texte).to_have_text("80 % — 4 lignes traitées sur 5")
    for _ in range(3):
        with page.expect_request(JSON):
            page.clock.fast_forward("00:11")
    assert page.evaluate("window.annonces") == [LECTURE]

    # Another step: said, once.
    _avancer(import_, phase="retraits")
    expect(etape).to_have_text(RETRAITS)
    page.clock.fast_forward("00:11")
    expect(voix).to_have_text(RETRAITS)
    with page.expect_request(JSON):
        page.clock.fast_forward("00:11")
    assert page.evaluate("window.annonces") == [LECTURE, RETRAITS]

    # The endpoint out of reach: tried again, later each time, then given up, in view and
    # aloud, at once.
    page.route(JSON, lambda route: route.abort())
    for _ in range(4):
        with page.expect_event("requestfailed"):
            page.clock.fast_forward("01:00")
    expect(erreur).to_be_visible()
    expect(erreur).to_have_text(INTERRUPTION)
    expect(voix).to_have_text(INTERRUPTION)
    assert page.evaluate("window.annonces") == [LECTURE, RETRAITS, INTERRUPTION]
    sondes = len(sondages)
    page.clock.fast_forward("10:00")
    page.wait_for_timeout(1000)
    assert len(sondages) == sondes  # no poll any more
    # The four cuts were ours: the page's own requests all went through.
    assert visite.requetes_echouees and all(
        JSON.search(r.split(" : ")[0]) for r in visite.requetes_echouees
    )
    visite.requetes_echouees.clear()
    visite.erreurs_console[:] = [e for e in visite.erreurs_console if "progression.json" not in e]
    visite.controler("progression-interrompue")

    # The session over: the endpoint sends the login page; following stops at the first
    # answer, without trying again.
    page.unroute(JSON)
    page.reload()
    page.evaluate(ECOUTER)
    expect(erreur).to_be_hidden()
    page.context.clear_cookies()
    sondes = len(sondages)
    with page.expect_request(JSON):
        page.clock.fast_forward("00:03")
    expect(erreur).to_have_text(INTERRUPTION)
    expect(voix).to_have_text(INTERRUPTION)
    page.clock.fast_forward("10:00")
    page.wait_for_timeout(1000)
    assert len(sondages) == sondes + 1
    assert page.evaluate("window.annonces") == [INTERRUPTION]


# --- The script's rules, on a page of its own -------------------------------------------------
# A made-up site, served by the browser's routing: the page, the script as the server ships
# it, and the JSON the test answers poll by poll; its clock moves only when the test says.

SCRIPT = (
    Path(__file__).resolve().parents[2] / "src/isoloir/core/static/isoloir/js/progression.js"
).read_text(encoding="utf-8")
ORIGINE = "http://isoloir.test"
ETAT = re.compile(r"/etat\.json$")
# Calls of fetch to the JSON, counted as the script makes them, and answers received.
COMPTER = """
window.sondages = 0;
window.recues = 0;
const fetchDOrigine = window.fetch;
window.fetch = function (adresse) {
  const promesse = fetchDOrigine.apply(this, arguments);
  if (String(adresse).endsWith("/etat.json")) {
    window.sondages += 1;
    promesse.then(() => { window.recues += 1; }, () => { window.recues += 1; });
  }
  return promesse;
};
"""


def _page_html(contenu: str, *, fin: str = "", apres: str = "") -> str:
    return f"""<!doctype html><html lang="fr"><head><title>Suivi</title></head><body><main>
<section id="suivi" data-progression="/etat.json" data-progression-intervalle="2"
  data-progression-silence="10" data-progression-annonce-faite="A" {fin}>
  <h1 data-progression-libelle>Au chargement</h1>
  {contenu}
  <p class="fr-sr-only" aria-live="polite" data-progression-annonce></p>
  <div data-progression-erreur hidden><p>{INTERRUPTION}</p></div>
</section>{apres}</main><script src="/progression.js" defer></script></body></html>"""


def _json(*, annonce: str = "", en_cours: bool = True) -> dict:
    return {"etat": "en_cours", "en_cours": en_cours, "annonce": annonce}


class Site:
    """The made-up site. ``pages``: the page's renderings in turn (the last one stays);
    ``reponses``: the JSON's answers in turn (the last one stays), each a dict as
    :func:`_json` makes, or an HTTP status with its headers."""

    def __init__(self, page: Page, *pages: str) -> None:
        self.pages = list(pages)
        self.reponses: list[dict | tuple[int, dict[str, str]]] = [_json()]
        self.servies = 0
        page.route(f"{ORIGINE}/**", self._repondre)
        page.add_init_script(COMPTER)
        page.clock.install()
        page.goto(f"{ORIGINE}/page")

    def _repondre(self, route: Route) -> None:
        chemin = urlparse(route.request.url).path
        if chemin == "/page":
            html = self.pages.pop(0) if len(self.pages) > 1 else self.pages[0]
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        elif chemin == "/progression.js":
            route.fulfill(status=200, content_type="text/javascript", body=SCRIPT)
        elif chemin == "/etat.json":
            reponse = self.reponses[min(self.servies, len(self.reponses) - 1)]
            self.servies += 1
            if isinstance(reponse, tuple):
                statut, entetes = reponse
                route.fulfill(status=statut, headers=entetes, body="")
                return
            donnees = {
                "libelle": f"Sondage {self.servies}",
                "barres": [],
                "valeurs": {},
                **reponse,
            }
            route.fulfill(status=200, content_type="application/json", body=json.dumps(donnees))
        else:
            route.fulfill(status=404, body="")


@pytest.fixture
def onglet(navigateur: Browser) -> Iterator[Page]:
    contexte = navigateur.new_context()
    yield contexte.new_page()
    contexte.close()


def _sondages(page: Page) -> int:
    return page.evaluate("window.sondages")


def _attendre_la_reponse(page: Page, n: int) -> None:
    """Until the n-th answer is in and the script has dealt with it (its handlers run in
    the microtasks after the count's)."""
    page.wait_for_function("n => window.recues >= n", arg=n)


def test_une_annonce_vide_laisse_en_place_celle_qui_attend(onglet: Page) -> None:
    """« "" » means nothing new: a change waiting out the silence is said all the same."""
    site = Site(onglet, _page_html(""))
    site.reponses = [_json(annonce="B"), _json(annonce="")]
    voix = onglet.locator("[data-progression-annonce]")
    libelle = onglet.locator("[data-progression-libelle]")
    onglet.evaluate(ECOUTER)
    onglet.clock.fast_forward("00:02")
    expect(libelle).to_have_text("Sondage 1")  # B waits: the page loaded 2 s ago
    onglet.clock.fast_forward("00:02")
    expect(libelle).to_have_text("Sondage 2")  # nothing new
    assert onglet.evaluate("window.annonces") == []
    onglet.clock.fast_forward("00:07")  # the silence is over
    expect(voix).to_have_text("B")
    assert onglet.evaluate("window.annonces") == ["B"]


@pytest.mark.parametrize("statut", [408, 429, 500, 503])
def test_une_erreur_passagere_est_reessayee(onglet: Page, statut: int) -> None:
    """A timeout, rate limiting or a server error: tried again after the doubled wait
    (4 s after the first failure), and following goes on."""
    site = Site(onglet, _page_html(""))
    site.reponses = [(statut, {}), _json()]
    onglet.clock.fast_forward("00:02")
    _attendre_la_reponse(onglet, 1)
    onglet.clock.fast_forward("00:03")
    assert _sondages(onglet) == 1
    onglet.clock.fast_forward("00:02")
    expect(onglet.locator("[data-progression-libelle]")).to_have_text("Sondage 2")
    expect(onglet.locator("[data-progression-erreur]")).to_be_hidden()


@pytest.mark.parametrize(
    ("retry_after", "attente"),
    [("30", 30_000), ("3600", 300_000)],
    ids=["30 s", "une heure, bornée à 5 min"],
)
def test_retry_after_est_respecte_dans_une_borne(
    onglet: Page, retry_after: str, attente: int
) -> None:
    """Rate limited: the next poll waits what the server asks, 5 minutes at the most."""
    site = Site(onglet, _page_html(""))
    site.reponses = [(429, {"Retry-After": retry_after}), _json()]
    onglet.clock.fast_forward("00:02")
    _attendre_la_reponse(onglet, 1)
    onglet.clock.fast_forward(attente - 1_000)
    assert _sondages(onglet) == 1
    onglet.clock.fast_forward(2_000)
    expect(onglet.locator("[data-progression-libelle]")).to_have_text("Sondage 2")
    expect(onglet.locator("[data-progression-erreur]")).to_be_hidden()


@pytest.mark.parametrize("statut", [401, 403, 404, 410])
def test_une_reponse_definitive_arrete_le_suivi(onglet: Page, statut: int) -> None:
    """Logged out, forbidden, gone: no retry can help; following stops at the first answer
    (the redirection to the login page: the import's test above)."""
    site = Site(onglet, _page_html(""))
    site.reponses = [(statut, {}), _json()]
    onglet.clock.fast_forward("00:02")
    expect(onglet.locator("[data-progression-erreur]")).to_be_visible()
    expect(onglet.locator("[data-progression-annonce]")).to_have_text(INTERRUPTION)
    onglet.clock.fast_forward("10:00")
    assert _sondages(onglet) == 1


FRAGMENTS = 'data-progression-fin="fragments" data-progression-fragments="etat actions fichiers"'
AVANT = """<div id="etat"><a href="#a" id="actualiser">Actualiser</a>
  <a href="#b">Détail</a> <a href="#c">Aide</a></div>"""
AVANT_APRES = """<div id="actions"><button type="button" name="generer">Générer</button>
  <button type="button" name="relancer">Relancer</button>
  <button type="button" name="annuler">Annuler</button></div>
<div id="fichiers"><a href="#f">Fichier</a></div>"""
# The page once the job is over: every element says it is new; « Relancer » is gone,
# « Annuler » is disabled, the files' fragment is gone.
APRES = """<div id="etat" data-t="etat"><a href="#a" id="actualiser" data-t="par-id">Actualiser</a>
  <a href="#b" data-t="rang-1">Détail</a> <a href="#c" data-t="rang-2">Aide</a></div>"""
APRES_APRES = """<div id="actions" data-t="actions">
  <button type="button" name="generer" data-t="par-nom">Générer</button>
  <button type="button" name="annuler" disabled>Annuler</button></div>"""


@pytest.mark.parametrize(
    ("focus", "attendu"),
    [
        ("#actualiser", "par-id"),
        ("button[name=generer]", "par-nom"),
        ("#etat a[href='#c']", "rang-2"),  # neither id nor name: its rank among the links
        ("button[name=relancer]", "actions"),  # gone: its fragment
        ("button[name=annuler]", "actions"),  # disabled now: its fragment
        ("#fichiers a", "suivi"),  # the whole fragment gone: the component
    ],
)
def test_le_focus_reste_dans_le_fragment_remplace(onglet: Page, focus: str, attendu: str) -> None:
    """At the end, fragments are swapped for the server's new ones: the keyboard focus
    goes to the same element in the new fragment, else to the fragment (or the component)
    itself, never back to the top of the page (RGAA)."""
    site = Site(
        onglet,
        _page_html(AVANT, fin=FRAGMENTS, apres=AVANT_APRES),
        _page_html(APRES, fin=FRAGMENTS, apres=APRES_APRES),
    )
    site.reponses = [_json(en_cours=False, annonce="Terminé.")]
    onglet.locator("#suivi").evaluate("el => el.setAttribute('data-t', 'suivi')")
    tabuler_jusqua(onglet, focus)
    onglet.clock.fast_forward("00:02")
    expect(onglet.locator("#etat[data-t=etat]")).to_have_count(1)
    assert onglet.evaluate("document.activeElement.dataset.t") == attendu
    if attendu in ("actions", "suivi"):
        assert onglet.evaluate("document.activeElement.getAttribute('tabindex')") == "-1"
    expect(onglet.locator("#fichiers")).to_have_count(0)
