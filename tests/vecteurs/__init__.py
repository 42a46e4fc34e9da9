"""The test vectors of the protocol, outside the product package: the JSON files shared
with the JavaScript side (``protocole-v1.json``, ``seuil-v1.json``) and the generators
that write them, run from the repository's root:

    python -m tests.vecteurs.protocole [PATH]   # protocole-v1.json (docs/protocol.md § 9)
    python -m tests.vecteurs.seuil [PATH]       # seuil-v1.json (docs/protocol-seuil.md § 11)
"""
