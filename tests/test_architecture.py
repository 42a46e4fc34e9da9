"""docs/architecture.md cannot drift from the code (issue 13): its « Couches » list is the
import-linter contract of pyproject.toml, and its table's « dépend de » column names
exactly the apps each app imports (read from the import graph, imports inside functions
included)."""

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
