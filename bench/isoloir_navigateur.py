"""The booth's encryption time in Chromium, against the raw libsodium time it needs.

    .venv/bin/python bench/isoloir_navigateur.py [--bulletins 100]

Headless /usr/bin/chromium (Playwright) loads the vendored libsodium-wrappers-sumo and
isoloir-crypto.js as the booth page does, then times ``creerBulletin`` for a scrutin of
six lists plus blank (seven ciphertexts with their proofs). Baselines in the same run:

- in the same page, the libsodium scalar multiplications a ballot needs (22 fixed-base and
  36 variable-base for seven choices), called directly: what the protocol itself costs;
- in this process, the Python ``creer_bulletin`` over pysodium (system libsodium).
"""

import argparse
import statistics
import time
from pathlib import Path

from outils import preparer_django  # bench/ is the script's own folder

RACINE = Path(__file__).resolve().parents[1]
STATIQUE = RACINE / "src" / "isoloir" / "booth" / "static" / "booth"
SCRIPTS = [
    STATIQUE / "vendor" / "libsodium" / "libsodium-sumo.js",
    STATIQUE / "vendor" / "libsodium" / "libsodium-wrappers-sumo.js",
    STATIQUE / "isoloir-crypto.js",
]

MESURE = """async ([texte, n]) => {
  await sodium.ready;
  const I = IsoloirCrypto;
  const m = I.lireManifeste(sodium, texte);
  const alea = I.AleaSysteme(sodium);
  const mediane = (t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)];
  const bulletins = [];
  for (let i = 0; i < 3; i++) I.creerBulletin(sodium, m, i % 7, alea);  // warm-up
  const tCreation = [];
  for (let i = 0; i < n; i++) {
    const d = performance.now();
    bulletins.push(I.creerBulletin(sodium, m, i % 7, alea));
    tCreation.push(performance.now() - d);
  }
  const s = sodium.crypto_core_ristretto255_scalar_random();
  const Y = sodium.crypto_scalarmult_ristretto255_base(s);
  const tBrut = [];
  for (let i = 0; i < n; i++) {
    const d = performance.now();
    for (let k = 0; k < 22; k++) sodium.crypto_scalarmult_ristretto255_base(s);
    for (let k = 0; k < 36; k++) sodium.crypto_scalarmult_ristretto255(s, Y);
    tBrut.push(performance.now() - d);
  }
  return {creation: mediane(tCreation), brut: mediane(tBrut), dernier: bulletins[n - 1]};
}"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bulletins", type=int, default=100)
    args = parser.parse_args()

    preparer_django()
    from datetime import UTC, datetime, timedelta

    from playwright.sync_api import sync_playwright

    from isoloir.crypto import cles
    from isoloir.crypto.bulletin import creer_bulletin, manifeste, verifier_bulletin
    from isoloir.crypto.groupe import AleaSysteme

    _, publique = cles.generer_cle(AleaSysteme())
    ouverture = datetime(2026, 12, 1, 8, tzinfo=UTC)
    m = manifeste(
        campagne="banc",
        scrutin="csa",
        intitule="CSA",
        choix=["Vote blanc", *(f"L{i}" for i in range(1, 7))],
        cle_publique=publique,
        origine_cle="developpement",
        ouverture=ouverture,
        cloture=ouverture + timedelta(days=7),
    )

    with sync_playwright() as pw:
        navigateur = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = navigateur.new_page()
        page.set_content("<!doctype html><title>banc</title>")
        for script in SCRIPTS:
            page.add_script_tag(path=str(script))
        version = navigateur.version
        resultat = page.evaluate(MESURE, [m.texte, args.bulletins])
        navigateur.close()
    # What the browser made is a ballot the server accepts.
    verifier_bulletin(resultat["dernier"], m)

    durees = []
    for rang in range(args.bulletins):
        debut = time.perf_counter()
        creer_bulletin(m, rang % 7, AleaSysteme())
        durees.append(time.perf_counter() - debut)
    t_python = statistics.median(durees) * 1000

    print(f"Chromium {version}, {args.bulletins} bulletins de 7 choix (médianes)")
    print(
        f"creerBulletin (JS, WebAssembly) : {resultat['creation']:.1f} ms — "
        f"ratio {resultat['creation'] / resultat['brut']:.2f} des multiplications seules "
        f"({resultat['brut']:.1f} ms pour 22 + 36)"
    )
    print(
        f"creer_bulletin (Python, pysodium) : {t_python:.1f} ms — le navigateur est à "
        f"{resultat['creation'] / t_python:.1f}× Python"
    )


if __name__ == "__main__":
    main()
