"""The shared progress script (core/static/isoloir/js/progression.js) in a real browser,
on the roll import's progress page, the job moved by hand in the database.

Its live region says a new step once, not at every poll, and no sooner than its silence
allows; when the endpoint keeps failing, or at once when the session is over, it stops
polling and says so, in view and aloud.
"""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from isoloir.accounts.models import Compte
from isoloir.elections.models import ImportListe
from isoloir.gestion.roles import RoleDeGestion
from tests.e2e.conftest import Visite, tabuler_jusqua
from tests.e2e.gestion import compte_de_gestion, envoyer, se_connecter_a_la_gestion
from tests.elections.test_roll_import import CODES, ligne, texte_csv
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
