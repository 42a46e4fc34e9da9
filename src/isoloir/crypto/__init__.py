"""The ballot cryptography of Isoloir, protocol version 1 (``docs/protocol.md``).

Pure Python over libsodium (pysodium): no Django here, so that the same code runs in the
web server, in the tally tools and in the test-vector generators (``tests/vecteurs/``,
outside this package), and so that a seeded
:class:`~isoloir.crypto.groupe.AleaDeterministe` makes every output reproducible.

- :mod:`.groupe`: ristretto255, scalars, the hash to a scalar, the random sources (§ 1–2);
- :mod:`.cles`: the election key (§ 3);
- :mod:`.elgamal`: exponential ElGamal, homomorphic sum, decryption (§ 5.1, § 6);
- :mod:`.manifeste`: the manifest and the election fingerprint (§ 4);
- :mod:`.preuves`: the 0/1 and sum proofs (§ 5.2–5.3);
- :mod:`.bulletin`: the ballot, its strict reading and its tracker (§ 5), re-exporting both;
- :mod:`.tableau`: the public board's fingerprint and its chained statements (§ 7);
- :mod:`.seuil`: the bureau's threshold key and decryption (``docs/protocol-seuil.md``),
  :mod:`.coffre` the key holder's passphrase vault.

The test vectors shared with the JavaScript side (§ 9, and § 11 of the threshold protocol)
are written by ``python -m tests.vecteurs.protocole`` and ``python -m tests.vecteurs.seuil``.
"""
