"""``run-tests`` runs the PostgreSQL pass even when the SQLite pass failed, and fails at the
end if either did (issue 19): run for real, in a copy of the script whose ``.venv/bin``
holds stand-ins for the linters and for Python that note each call."""

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.attente import PLAFOND

RACINE = Path(__file__).resolve().parents[2]

# Python stand-in: "python - HOST PORT" is the script's probe of a service (answered yes),
# "python -m pytest …" a pass, noted with its database, failing where told to.
PYTHON = """#!/usr/bin/env bash
if [ "$1" = "-" ]; then cat >/dev/null; exit 0; fi
base="${DATABASE_URL:-sqlite}"
echo "pytest ${base%%:*} $*" >> "$JOURNAL"
case "$ECHOUE" in *"${base%%:*}"*) exit 1;; esac
exit 0
"""
OUTIL = '#!/usr/bin/env bash\necho "$(basename "$0") $*" >> "$JOURNAL"\n'


def _executable(chemin: Path, texte: str) -> None:
    chemin.write_text(texte)
    chemin.chmod(chemin.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def copie(tmp_path: Path) -> Path:
    shutil.copy(RACINE / "run-tests", tmp_path / "run-tests")
    binaires = tmp_path / ".venv" / "bin"
    binaires.mkdir(parents=True)
    _executable(binaires / "python", PYTHON)
    for outil in ("ruff", "mypy", "lint-imports", "node"):
        _executable(binaires / outil, OUTIL)
    return tmp_path


def _lancer(copie: Path, echoue: str) -> tuple[int, str, list[str]]:
    journal = copie / "journal"
    env = {
        "PATH": f"{copie / '.venv' / 'bin'}:{os.environ['PATH']}",
        "JOURNAL": str(journal),
        "ECHOUE": echoue,
    }
    fin = subprocess.run(
        ["bash", str(copie / "run-tests"), "-k", "exemple"],
        env=env,
        capture_output=True,
        text=True,
        timeout=PLAFOND,
        check=False,
    )
    passes = [ligne for ligne in journal.read_text().splitlines() if ligne.startswith("pytest")]
    return fin.returncode, fin.stdout, passes


@pytest.mark.lent
@pytest.mark.parametrize(
    ("echoue", "code", "message"),
    [
        ("", 0, None),
        ("sqlite", 1, "== échec : passe(s) SQLite"),
        ("postgres", 1, "== échec : passe(s) PostgreSQL"),
        ("sqlite postgres", 1, "== échec : passe(s) SQLite PostgreSQL"),
    ],
)
def test_les_deux_passes_tournent_et_chacune_compte(
    copie: Path, echoue: str, code: int, message: str | None
) -> None:
    retour, sortie, passes = _lancer(copie, echoue)
    assert [p.split()[1] for p in passes] == ["sqlite", "postgres"]
    assert all(p.endswith("-k exemple") for p in passes)  # the arguments reach both passes
    assert retour == code, sortie
    if message:
        assert message in sortie
    else:
        assert "échec" not in sortie
