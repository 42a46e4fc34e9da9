"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every page a test visits goes through :meth:`Visite.controler`: axe-core (from npm, see
``package.json``) must find zero WCAG 2 A/AA or best-practice violation, and a full-page
screenshot is saved to ``tests/e2e/screenshots/<NN>-<name>.png`` for a person to look at.
The browser's console must stay free of errors (a CSP violation shows up there), and no
request of the page (CSS, icon, script) may fail.

A missing browser or axe-core is a failure naming the install command, never a skip: a
green run must mean the pages were really checked.
"""

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    expect,
    sync_playwright,
)

from tests.attente import PLAFOND_NAVIGATEUR_MS

RACINE = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = RACINE / "node_modules" / "axe-core" / "axe.min.js"
CAPTURES = Path(__file__).resolve().parent / "screenshots"
INSTALLATION = (
    "Lancez ./install.sh à la racine du dépôt (ou : apt-get install -y chromium && npm ci)."
)
ARGUMENTS_CHROMIUM = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Actions and assertions wait for the page itself (an element shown, a text changed) up
# to a ceiling for a busy machine (tests/attente.py); expect()'s own default is 5 s.
expect.set_options(timeout=PLAFOND_NAVIGATEUR_MS)
# WCAG 2.0/2.1/2.2 levels A and AA, plus axe's best practices (landmarks, headings…).
REGLES_AXE = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


# The widths of the reflow check: the narrowest phone WCAG names (320 CSS px), a common
# phone, a tablet and an office screen.
LARGEURS = (320, 390, 768, 1280)

# What makes a page fail to reflow, described in words a person can act on.
_DEFAUTS_DE_REDISTRIBUTION = """(largeur) => {
    const defauts = [];
    const decrire = (el) => {
        const texte = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
        return `<${el.tagName.toLowerCase()}> « ${texte.slice(0, 60)} »`;
    };
    if (document.documentElement.scrollWidth > largeur) {
        // Name the culprits: the innermost elements that stick out on the right.
        const depassent = [...document.body.querySelectorAll("*")].filter(
            (el) => el.getBoundingClientRect().right > largeur + 0.5
                && el.checkVisibility()
                && ![...el.children].some((e) => e.getBoundingClientRect().right > largeur + 0.5)
        );
        defauts.push(
            `la page mesure ${document.documentElement.scrollWidth} px de large, à cause de `
            + depassent.slice(0, 3).map((el) => `${decrire(el)} (${el.className})`).join(", ")
        );
    }
    for (const el of document.querySelectorAll("main *")) {
        const style = getComputedStyle(el);
        const defile = ["auto", "scroll"].includes(style.overflowX);
        if (defile && el.scrollWidth > el.clientWidth + 1) {
            defauts.push(
                `${decrire(el)} défile de côté (${el.scrollWidth} px pour ${el.clientWidth})`
            );
        }
    }
    const actions = "main a[href], main button, main input[type=submit]";
    for (const el of document.querySelectorAll(actions)) {
        if (!el.checkVisibility({visibilityProperty: true})) continue;
        const boite = el.getBoundingClientRect();
        if (boite.width <= 1 || boite.height <= 1) continue;  // visually hidden (fr-sr-only)
        if (boite.left < -0.5 || boite.right > largeur + 0.5) {
            const [gauche, droite] = [Math.round(boite.left), Math.round(boite.right)];
            defauts.push(`${decrire(el)} sort de la fenêtre (de ${gauche} à ${droite} px)`);
        }
    }
    return defauts;
}"""


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    # Module scope: the loop is stopped once this folder's tests are done, so tests run
    # after them in the same session see no running loop.
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} est introuvable : le test de navigateur ne peut pas tourner. "
            + INSTALLATION,
            pytrace=False,
        )
    # Playwright's sync API keeps an asyncio loop in the test thread, and Django's ORM
    # refuses to run beside a running loop unless told it is safe. It is here: the loop
    # only drives the browser. The switch is on only while the browser is.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as pw:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield pw


@pytest.fixture(scope="module")
def navigateur(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=ARGUMENTS_CHROMIUM
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def source_axe() -> str:
    if not AXE.exists():
        pytest.fail(
            f"{AXE.relative_to(RACINE)} est introuvable : axe-core n'est pas "
            "installé. " + INSTALLATION,
            pytrace=False,
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def captures() -> Iterator[itertools.count]:
    """The screenshot folder, emptied at the start of a run; yields the numbering."""
    CAPTURES.mkdir(exist_ok=True)
    for ancienne in CAPTURES.glob("*.png"):
        ancienne.unlink()
    yield itertools.count(1)


@dataclass
class Visite:
    """One browser tab, with the checks every page of a flow must pass."""

    page: Page
    source_axe: str
    base: str
    numeros: Iterator[int]
    erreurs_console: list[str] = field(default_factory=list)
    requetes_echouees: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._console)
        self.page.on(
            "pageerror", lambda e: self.erreurs_console.append(f"exception : {e.stack or e}")
        )
        self.page.on("response", self._reponse)
        self.page.on(
            "requestfailed",
            lambda r: self.requetes_echouees.append(f"{r.url} : {r.failure}"),
        )

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.erreurs_console.append(f"{message.type} : {message.text} ({message.location})")

    def _reponse(self, reponse: Response) -> None:
        if reponse.status >= 400:
            self.requetes_echouees.append(f"{reponse.url} : HTTP {reponse.status}")

    def url(self, chemin: str) -> str:
        return self.base + chemin

    def controler(self, nom: str) -> None:
        """Screenshot the page, run axe-core on it, and fail on any violation or error."""
        self.page.wait_for_load_state("load")
        self.page.mouse.move(0, 0)  # no hover effect left on the screenshot
        # Let DSFR's transitions (accordions, menu) end, or the screenshot catches them midway.
        self.page.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running')"
        )
        numero = next(self.numeros)
        self.page.screenshot(path=CAPTURES / f"{numero:02d}-{nom}.png", full_page=True)
        texte = self.page.locator("body").inner_text()
        fuites = sorted({m for m in re.findall(r"\{[%#{]|[%#}]\}", texte)})
        assert not fuites, f"balises de gabarit affichées sur « {nom} » : {fuites}"
        violations = self.axe()
        assert not violations, f"axe-core sur « {nom} » ({self.page.url}) :\n" + "\n".join(
            _decrire(v) for v in violations
        )
        self.verifier_console(nom)

    def controler_aux_largeurs(self, nom: str, largeurs: tuple[int, ...] = LARGEURS) -> None:
        """Check the page at each width (RGAA 10.11, WCAG 1.4.10 reflow), then restore the
        window: at every width the page is no wider than the window, no region of the main
        content scrolls sideways, every action (link, button) lies inside the window, and
        the page passes :meth:`controler` (axe-core included)."""
        taille = self.page.viewport_size
        assert taille is not None
        try:
            for largeur in largeurs:
                self.page.set_viewport_size({"width": largeur, "height": taille["height"]})
                # Two frames: the new layout is computed and painted. (Not innerWidth: on a
                # phone, a page too wide widens the layout viewport itself.)
                self.page.evaluate(
                    "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
                )
                defauts = self.page.evaluate(_DEFAUTS_DE_REDISTRIBUTION, largeur)
                assert not defauts, (
                    f"« {nom} » à {largeur} px ({self.page.url}) ne se redistribue pas :\n"
                    + "\n".join(defauts)
                )
                self.controler(f"{nom}-{largeur}px")
        finally:
            self.page.set_viewport_size(taille)

    def axe(self) -> list[dict]:
        # Evaluated through the DevTools protocol, which the page's CSP does not govern;
        # an injected <script> tag would be (rightly) refused for lack of a nonce.
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(self.source_axe)
        resultat = self.page.evaluate(
            """async (regles) => {
                const r = await axe.run(document, {
                    runOnly: {type: "tag", values: regles},
                    resultTypes: ["violations"],
                });
                return r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary,
                                              html: n.html})),
                }));
            }""",
            REGLES_AXE,
        )
        return list(resultat)

    def verifier_console(self, nom: str) -> None:
        erreurs, echecs = list(self.erreurs_console), list(self.requetes_echouees)
        self.erreurs_console.clear()
        self.requetes_echouees.clear()
        assert not erreurs, f"console du navigateur sur « {nom} » :\n" + "\n".join(erreurs)
        assert not echecs, f"requêtes échouées sur « {nom} » :\n" + "\n".join(echecs)

    def titre_principal(self) -> str:
        h1 = self.page.locator("h1")
        assert h1.count() == 1, f"{self.page.url} : {h1.count()} titre(s) h1 au lieu d'un"
        texte = h1.inner_text().strip()
        assert texte, f"{self.page.url} : titre h1 vide"
        return texte


def _decrire(violation: dict) -> str:
    lignes = [f"- {violation['id']} [{violation['impact']}] {violation['help']}"]
    for noeud in violation["nodes"]:
        cible = " ".join(json.dumps(t, ensure_ascii=False) for t in noeud["target"])
        resume = re.sub(r"\s+", " ", noeud.get("summary") or "")
        lignes.append(f"    {cible} : {noeud['html'][:200]}\n      {resume[:400]}")
    return "\n".join(lignes)


def tabuler_jusqua(page: Page, selecteur: str, maximum: int = 60) -> None:
    """Press Tab until ``selecteur`` has the focus, as a keyboard user would."""
    for _ in range(maximum):
        page.keyboard.press("Tab")
        if focalise(page, selecteur):
            return
    raise AssertionError(f"{selecteur} n'est jamais atteint au clavier")


def focalise(page: Page, selecteur: str) -> bool:
    return bool(page.locator(selecteur).evaluate("el => el === document.activeElement"))


ECRAN_BUREAU = {"width": 1280, "height": 900}
ECRAN_TELEPHONE = {"width": 390, "height": 844}


@pytest.fixture
def ouvrir_visite(navigateur: Browser, source_axe: str, captures, live_server):
    """Opens a tab in a fresh French browser profile; ``ecran`` sets the window size."""
    contextes: list[BrowserContext] = []

    def ouvrir(ecran: dict[str, int] = ECRAN_BUREAU) -> Visite:
        # The page's CSP stays enforced (no bypass_csp): a blocked script or style must show.
        contexte = navigateur.new_context(
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport=ecran,
            is_mobile=ecran["width"] < 768,
            has_touch=ecran["width"] < 768,
        )
        contexte.set_default_timeout(PLAFOND_NAVIGATEUR_MS)
        contextes.append(contexte)
        return Visite(
            page=contexte.new_page(), source_axe=source_axe, base=live_server.url, numeros=captures
        )

    yield ouvrir
    for contexte in contextes:
        contexte.close()


@pytest.fixture
def visite(ouvrir_visite) -> Visite:
    return ouvrir_visite()


@pytest.fixture
def scrutin_ouvert(creer_campagne, creer_scrutin):
    """The ministerial CSA of a campaign whose vote opened an hour ago."""
    from datetime import timedelta

    from isoloir.core import horloge

    campagne = creer_campagne(
        nom="Élections professionnelles 2026", ouverture=horloge.maintenant() - timedelta(hours=1)
    )
    return creer_scrutin(campagne, intitule="CSA ministériel de l'Éducation nationale")
