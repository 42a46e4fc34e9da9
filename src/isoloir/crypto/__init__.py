"""The ballot cryptography of Isoloir, protocol version 1 (``docs/protocol.md``).

Pure Python over libsodium (pysodium): no Django here, so that the same code runs in the
web server, in the tally tools and in the test-vector generator, and so that a seeded
:class:`~isoloir.crypto.groupe.AleaDeterministe` makes every output reproducible.

- :mod:`.groupe`: ristretto255, scalars, the hash to a scalar, the random sources (§ 1–2);
- :mod:`.cles`: the election key (§ 3);
- :mod:`.elgamal`: exponential ElGamal, homomorphic sum, decryption (§ 5.1, § 6);
- :mod:`.bulletin`: manifest, ballot, proofs, strict reading, tracker (§ 4–5);
- :mod:`.tableau`: the public board's fingerprint and its chained statements (§ 7);
- :mod:`.vecteurs`: the test vectors shared with the JavaScript booth (§ 9).
"""
