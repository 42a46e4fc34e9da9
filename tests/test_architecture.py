"""docs/architecture.md cannot drift from the code (issue 13): its « Couches » list is the
import-linter contract of pyproject.toml, and its table's « dépend de » column names
exactly the apps each app imports (read from the import graph, imports inside functions
included)."""

import ast
import re
import tomllib
from pathlib import Path

import grimp
import pytest

RACINE = Path(__file__).resolve().parents[1]
ARCHITECTURE = RACINE / "docs" / "architecture.md"


@pytest.fixture(scope="module")
def graphe() -> grimp.ImportGraph:
    return grimp.build_graph("isoloir")


def _contrat(identifiant: str) -> dict:
    configuration = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))
    contrats = configuration["tool"]["importlinter"]["contracts"]
    return next(c for c in contrats if c["id"] == identifiant)


def _applications(graphe: grimp.ImportGraph) -> list[str]:
    return sorted(
        m.removeprefix("isoloir.")
        for m in graphe.find_children("isoloir")
        if graphe.find_children(m)
    )


def _dependances(graphe: grimp.ImportGraph, application: str, applications: list[str]) -> set[str]:
    paquet = f"isoloir.{application}"
    dependances = set()
    for module in graphe.find_descendants(paquet) | {paquet}:
        for importe in graphe.find_modules_directly_imported_by(module):
            parties = importe.split(".")
            if len(parties) > 1 and parties[1] in applications and parties[1] != application:
                dependances.add(parties[1])
    return dependances


def _norme(couche: str) -> list[str]:
    """The modules of one layer; « (module) » is an app planned but not created yet."""
    return [m.strip().strip("()") for m in couche.split(":")]


def test_les_couches_de_la_doc_sont_celles_du_contrat() -> None:
    texte = ARCHITECTURE.read_text(encoding="utf-8")
    bloc = re.search(r"```couches\n(.*?)```", texte, re.S)
    assert bloc is not None, "docs/architecture.md n'a plus son bloc « couches »"
    documentees = [_norme(ligne) for ligne in bloc[1].strip().splitlines()]
    assert documentees == [_norme(c) for c in _contrat("couches")["layers"]]


def test_chaque_application_est_dans_une_couche(graphe: grimp.ImportGraph) -> None:
    rangees = {m.removeprefix("isoloir.") for c in _contrat("couches")["layers"] for m in _norme(c)}
    assert set(_applications(graphe)) <= rangees


def test_le_tableau_dit_les_dependances_reelles(graphe: grimp.ImportGraph) -> None:
    applications = _applications(graphe)
    texte = ARCHITECTURE.read_text(encoding="utf-8")
    lignes = dict(re.findall(r"^\| `(\w+)` \| .* \| (.*) \|$", texte, re.M))
    ecarts = {}
    for application in applications:
        assert application in lignes, f"{application} manque au tableau de docs/architecture.md"
        ecrites = set(re.findall(r"`(\w+)`", lignes[application]))
        reelles = _dependances(graphe, application, applications)
        if ecrites != reelles:
            ecarts[application] = {
                "en trop": sorted(ecrites - reelles),
                "manquantes": sorted(reelles - ecrites),
            }
    assert not ecarts, f"docs/architecture.md, colonne « dépend de » : {ecarts}"


# --- Conventions (docs/architecture.md « Conventions ») -----------------------------------

SOURCES = RACINE / "src" / "isoloir"
LIMITE_DE_LIGNES = 400


def _fichiers_du_produit() -> list[Path]:
    return sorted(p for p in SOURCES.rglob("*.py") if "migrations" not in p.parts)


def _longs_avec_raison() -> dict[str, str]:
    """The « Fichiers de plus de 400 lignes » table: path → its one-line reason."""
    texte = ARCHITECTURE.read_text(encoding="utf-8")
    section = texte.split("### Fichiers de plus de 400 lignes", 1)
    assert len(section) == 2, "docs/architecture.md n'a plus sa liste des fichiers longs"
    tableau = section[1].split("\n#", 1)[0]
    return dict(re.findall(r"^\| `src/isoloir/([\w/]+\.py)` \| (.+?) \|$", tableau, re.M))


def test_aucun_fichier_long_sans_raison_ecrite() -> None:
    raisons = _longs_avec_raison()
    longs = {
        str(p.relative_to(SOURCES)): len(p.read_text(encoding="utf-8").splitlines())
        for p in _fichiers_du_produit()
    }
    sans_raison = {f: n for f, n in longs.items() if n > LIMITE_DE_LIGNES and f not in raisons}
    assert not sans_raison, (
        f"fichiers de plus de {LIMITE_DE_LIGNES} lignes, à découper : {sans_raison}"
    )
    perimees = [f for f in raisons if longs.get(f, 0) <= LIMITE_DE_LIGNES]
    assert not perimees, f"raisons qui ne servent plus (fichier absent ou court) : {perimees}"
    assert all(r.strip() for r in raisons.values())


def _imports_dans_les_fonctions(chemin: Path) -> list[str]:
    arbre = ast.parse(chemin.read_text(encoding="utf-8"))
    trouves = []
    for fonction in ast.walk(arbre):
        if not isinstance(fonction, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if chemin.name == "apps.py" and fonction.name == "ready":
            continue  # Django's hook: signals and registrations, once the apps are loaded
        for noeud in ast.walk(fonction):
            if isinstance(noeud, ast.ImportFrom) and (noeud.module or "").startswith("isoloir"):
                trouves.append(f"{chemin.relative_to(SOURCES)}:{noeud.lineno} {noeud.module}")
            elif isinstance(noeud, ast.Import):
                trouves += [
                    f"{chemin.relative_to(SOURCES)}:{noeud.lineno} {n.name}"
                    for n in noeud.names
                    if n.name.startswith("isoloir")
                ]
    return trouves


def test_aucun_import_de_la_maison_dans_une_fonction() -> None:
    """An import of our own code inside a function hides a cycle from the layers' check."""
    trouves = [t for p in _fichiers_du_produit() for t in _imports_dans_les_fonctions(p)]
    assert not trouves, f"imports placés dans une fonction : {trouves}"


def test_journal_ne_designe_que_le_journal_de_securite() -> None:
    """Python loggers are ``log``: « journal » is the audit journal's word alone."""
    mal_nommes = [
        f"{p.relative_to(SOURCES)}:{n}"
        for p in _fichiers_du_produit()
        for n, ligne in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\b(\w+) = logging\.getLogger\(", ligne)
        and not re.search(r"\blog = logging\.getLogger\(", ligne)
    ]
    assert not mal_nommes, f"loggers à nommer log : {mal_nommes}"


def test_les_emplacements_de_django_gardent_leur_nom() -> None:
    """A second view or URL module is ``views_<sujet>.py``, like ``urls_gestion.py``; the
    write side is ``services`` (a module or a module per step), never ``service.py``."""
    ecarts = [
        str(p.relative_to(SOURCES))
        for p in _fichiers_du_produit()
        if p.name.startswith(("vues", "url_")) or p.name == "service.py"
    ]
    assert not ecarts, f"noms hors convention : {ecarts}"


def _modules_de_services() -> list[Path]:
    return [
        p
        for p in _fichiers_du_produit()
        if p.name == "services.py" or (p.parent.name == "services" and p.name != "__init__.py")
    ]


def test_les_services_prennent_leurs_arguments_par_mot_cle() -> None:
    """Past the object a service acts on, its arguments are named at the call: a swapped
    ``compte_id`` and ``bureau_id`` would be read as valid."""
    positionnels = []
    for chemin in _modules_de_services():
        for fonction in ast.parse(chemin.read_text(encoding="utf-8")).body:
            if not isinstance(fonction, ast.FunctionDef) or fonction.name.startswith("_"):
                continue
            if len(fonction.args.posonlyargs + fonction.args.args) > 1:
                positionnels.append(f"{chemin.relative_to(SOURCES)}:{fonction.name}")
    assert _modules_de_services(), "plus aucun module de services trouvé"
    assert not positionnels, f"services à arguments positionnels : {positionnels}"
