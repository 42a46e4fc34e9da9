/*
 * Isoloir threshold key ceremony and threshold decryption, version 1
 * (docs/protocol-seuil.md), the key holder's side, in the browser.
 *
 * Mirrors src/isoloir/crypto/seuil.py name for name, in camelCase: from the same seeded
 * randomness both write the same bytes (tests/vecteurs/seuil-v1.json pins both;
 * tests/js/seuil.test.js runs it under Node). A holder runs here, on their own device,
 * everything that touches their secrets: the communication key z_j, the shares they
 * receive, their key share x_j, their partial decryptions; and keeps z_j and x_j only
 * encrypted under a passphrase (chiffrerSecret / dechiffrerSecret, § 13, the format of
 * src/isoloir/crypto/coffre.py).
 *
 * Needs libsodium.js (sumo build) and isoloir-crypto.js (the booth's file, for the
 * hashes, the seeded randomness, hex, the scalar and point checks and the discrete
 * logarithm): in a page, load ../booth/isoloir-crypto.js first; under Node it is
 * require()d. Every function that computes takes the ready `sodium` object first. Every
 * group and scalar operation is one libsodium call; the only integers handled here are
 * the holders' small indices and the counts.
 *
 * Objects have the JSON shape of the protocol (same keys), with Uint8Array where JSON
 * has hex: versJson() writes them, lire*() read JSON strictly. Computed values that
 * are not part of the JSON (a context's fingerprint, a key's fingerprint) are
 * non-enumerable properties.
 *
 * Loading: a plain <script src> defines the global `IsoloirSeuil`; under Node,
 * `require()` returns the same object.
 */
(function (racine, fabrique) {
  "use strict";
  if (typeof module === "object" && module !== null && module.exports) {
    module.exports = fabrique(require("../../../booth/static/booth/isoloir-crypto.js"));
  } else {
    if (!racine.IsoloirCrypto) throw new Error("load isoloir-crypto.js before isoloir-seuil.js");
    racine.IsoloirSeuil = fabrique(racine.IsoloirCrypto);
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function (I) {
  "use strict";

  var VERSION = 1;
  var ETIQUETTE_CONTEXTE = "isoloir/v1/seuil/contexte";
  var ETIQUETTE_CONNAISSANCE = "isoloir/v1/seuil/connaissance";
  var ETIQUETTE_PART = "isoloir/v1/seuil/part";
  var ETIQUETTE_PART_CLE = "isoloir/v1/seuil/part-cle";
  var ETIQUETTE_PART_NONCE = "isoloir/v1/seuil/part-nonce";
  var ETIQUETTE_PLAINTE = "isoloir/v1/seuil/plainte";
  var ETIQUETTE_CLE = "isoloir/v1/seuil/cle";
  var ETIQUETTE_DECHIFFREMENT = "isoloir/v1/seuil/dechiffrement";
  var ETIQUETTE_COFFRE = "isoloir/v1/seuil/coffre";
  var ETIQUETTE_SCELLEMENT = "isoloir/v1/seuil/scellement";

  var MAX_DETENTEURS = 255;
  var MAX_IDENTIFIANT = 256;
  var TAILLE_TAG = 16;
  var TAILLE_PART_CHIFFREE = 32 + TAILLE_TAG;
  var NEUTRE = new Uint8Array(32);

  // The passphrase vault (§ 13), as coffre.py.
  var COFFRE = {
    VERSION: 1,
    OPERATIONS: 3,
    MEMOIRE: 64 * 1024 * 1024,
    OPERATIONS_MIN: 2,
    OPERATIONS_MAX: 16,
    MEMOIRE_MIN: 64 * 1024 * 1024,
    MEMOIRE_MAX: 1024 * 1024 * 1024,
    TAILLE_SEL: 16,
    TAILLE_NONCE: 24,
    TAILLE_CLE: 32,
    TAILLE_SECRET_MAX: 1024,
  };

  // --- Errors ---------------------------------------------------------------------------

  class ErreurSeuil extends Error {
    constructor(message) {
      super(message);
      this.name = this.constructor.name;
    }
  }
  /** A published object that does not have the shape the protocol gives it. */
  class FormatInvalide extends ErreurSeuil {}
  /** An encrypted share that does not open (AEAD tag, or not a reduced scalar inside). */
  class PartIndechiffrable extends ErreurSeuil {}
  /** The ceremony cannot give a key (too few qualified, a duplicate, a missing share). */
  class CeremonieInvalide extends ErreurSeuil {}
  /** The combination is refused. `code`: "doublon", "trop_peu", "part_invalide" (then
   * `detenteur` names the holder) or "hors_maximum", checked in that order. */
  class DechiffrementRefuse extends ErreurSeuil {
    constructor(code, message, detenteur) {
      super(code + " : " + message);
      this.code = code;
      this.detenteur = detenteur === undefined ? null : detenteur;
    }
  }
  /** A vault that does not open. `code`: "format" or "phrase_incorrecte". */
  class ErreurCoffre extends Error {
    constructor(code, message) {
      super(code + " : " + message);
      this.name = "ErreurCoffre";
      this.code = code;
    }
  }

  // --- Small helpers (shared with isoloir-crypto.js) ------------------------------------

  var versHex = I.versHex;
  var depuisHex = I.depuisHex;
  var estNul = I.estNul;
  /** s·B; OperationImpossible for a zero scalar. */
  var base = I.base;

  /** Constant-time equality of two byte arrays; false for anything not a Uint8Array. */
  function egaux(a, b) {
    return a instanceof Uint8Array && b instanceof Uint8Array && I.egaux(a, b);
  }

  function estNeutre(p) {
    return p instanceof Uint8Array && p.length === 32 && estNul(p);
  }

  function blake2b(sodium, octets, taille) {
    return sodium.crypto_generichash(taille, octets, null);
  }

  function estIndice(j, n) {
    return Number.isInteger(j) && j >= 1 && j <= n;
  }

  function estPoint(sodium, p) {
    return I.estPoint(sodium, p);
  }

  function estPointOuNeutre(sodium, p) {
    return estNeutre(p) || I.estEncodageCanonique(sodium, p);
  }

  function estScalaire(sodium, s) {
    return I.estScalaireCanonique(sodium, s);
  }

  /** s·P; OperationImpossible for any refusal (zero, identity, invalid point). */
  function mul(sodium, s, p) {
    if (estNul(s) || estNul(p)) throw new I.OperationImpossible("scalar multiplication gives the identity");
    try {
      return sodium.crypto_scalarmult_ristretto255(s, p);
    } catch (erreur) {
      throw new I.OperationImpossible("scalar multiplication refused by libsodium");
    }
  }

  function add(sodium, p, q) {
    try {
      return sodium.crypto_core_ristretto255_add(p, q);
    } catch (erreur) {
      throw new I.OperationImpossible("point addition refused by libsodium");
    }
  }

  function sub(sodium, p, q) {
    try {
      return sodium.crypto_core_ristretto255_sub(p, q);
    } catch (erreur) {
      throw new I.OperationImpossible("point subtraction refused by libsodium");
    }
  }

  /** s·P, the identity included. */
  function fois(sodium, s, p) {
    return estNul(s) || estNul(p) ? NEUTRE.slice() : mul(sodium, s, p);
  }

  /** s·B, 0·B included. */
  function foisB(sodium, s) {
    return estNul(s) ? NEUTRE.slice() : base(sodium, s);
  }

  function scalaire(n) {
    return I.scalaireDeEntier(n);
  }

  // --- Context (§ 3) --------------------------------------------------------------------

  /** {identifiant, seuil, cles_communication}; non-enumerable `empreinte` (H_ctx) and
   * `nombre` (n). FormatInvalide as contexte's checks in seuil.py. */
  function contexte(sodium, identifiant, seuil, clesCommunication) {
    if (typeof identifiant !== "string" || identifiant.length === 0 || identifiant.length > MAX_IDENTIFIANT) {
      throw new FormatInvalide("identifiant must be a string of 1 to " + MAX_IDENTIFIANT + " chars");
    }
    if (/\p{Cs}/u.test(identifiant)) throw new FormatInvalide("identifiant is not encodable in UTF-8");
    if (!Array.isArray(clesCommunication) || clesCommunication.length < 1 || clesCommunication.length > MAX_DETENTEURS) {
      throw new FormatInvalide("between 1 and " + MAX_DETENTEURS + " communication keys");
    }
    var n = clesCommunication.length;
    if (!Number.isInteger(seuil) || seuil < 1 || seuil > n) {
      throw new FormatInvalide("the threshold t must be an integer with 1 ≤ t ≤ n");
    }
    var vues = new Set();
    clesCommunication.forEach(function (z) {
      if (!estPoint(sodium, z)) throw new FormatInvalide("a communication key is not a valid, non-identity point");
      vues.add(versHex(z));
    });
    if (vues.size !== n) throw new FormatInvalide("two holders share a communication key");
    var ctx = { identifiant: identifiant, seuil: seuil, cles_communication: clesCommunication.map(function (z) { return z.slice(); }) };
    var message = I.messageHache.apply(null, [ETIQUETTE_CONTEXTE, identifiant, seuil, n].concat(ctx.cles_communication));
    Object.defineProperty(ctx, "empreinte", { value: blake2b(sodium, message, 32), enumerable: false });
    Object.defineProperty(ctx, "nombre", { value: n, enumerable: false });
    return ctx;
  }

  function cleCommunication(ctx, j) {
    if (!estIndice(j, ctx.nombre)) throw new RangeError("no holder " + j + " in 1.." + ctx.nombre);
    return ctx.cles_communication[j - 1];
  }

  /** A holder's communication key pair {z, Z = z·B}: one draw. */
  function genererCleCommunication(sodium, alea) {
    var z = alea.scalaire();
    return { z: z, Z: base(sodium, z) };
  }

  // --- Proofs ---------------------------------------------------------------------------

  function defiConnaissance(sodium, ctx, i, engagements, A) {
    return I.hacherEnScalaire.apply(null, [sodium, ETIQUETTE_CONNAISSANCE, ctx.empreinte, i].concat(engagements, [A]));
  }

  function prouverConnaissance(sodium, ctx, i, engagements, a0, w) {
    var c = defiConnaissance(sodium, ctx, i, engagements, base(sodium, w));
    return { c: c, s: sodium.crypto_core_ristretto255_scalar_add(w, sodium.crypto_core_ristretto255_scalar_mul(c, a0)) };
  }

  /** A = s·B − c·C_i0, then c must be the challenge of A. */
  function verifierPreuveConnaissance(sodium, ctx, i, engagements, preuve) {
    if (!preuve || !estScalaire(sodium, preuve.c) || !estScalaire(sodium, preuve.s)) return false;
    if (!Array.isArray(engagements) || engagements.length === 0 || !estPoint(sodium, engagements[0])) return false;
    var A;
    try {
      A = sub(sodium, base(sodium, preuve.s), mul(sodium, preuve.c, engagements[0]));
    } catch (erreur) {
      if (erreur instanceof I.OperationImpossible) return false;
      throw erreur;
    }
    return egaux(defiConnaissance(sodium, ctx, i, engagements, A), preuve.c);
  }

  function prouverEgalite(sodium, etiquette, prefixe, x, G, w) {
    var c = I.hacherEnScalaire.apply(null, [sodium, etiquette].concat(prefixe, [base(sodium, w), mul(sodium, w, G)]));
    return { c: c, s: sodium.crypto_core_ristretto255_scalar_add(w, sodium.crypto_core_ristretto255_scalar_mul(c, x)) };
  }

  function verifierEgalite(sodium, etiquette, prefixe, H, G, K, preuve) {
    if (!preuve || !estScalaire(sodium, preuve.c) || !estScalaire(sodium, preuve.s)) return false;
    var A, A2;
    try {
      A = sub(sodium, base(sodium, preuve.s), mul(sodium, preuve.c, H));
      A2 = sub(sodium, mul(sodium, preuve.s, G), mul(sodium, preuve.c, K));
    } catch (erreur) {
      if (erreur instanceof I.OperationImpossible) return false;
      throw erreur;
    }
    return egaux(I.hacherEnScalaire.apply(null, [sodium, etiquette].concat(prefixe, [A, A2])), preuve.c);
  }

  // --- Share encryption (§ 4) -----------------------------------------------------------

  /** enc("isoloir/v1/seuil/part") ‖ enc(H_ctx) ‖ enc(i) ‖ enc(j). */
  function donneesAssociees(ctx, emetteur, destinataire) {
    return I.messageHache(ETIQUETTE_PART, ctx.empreinte, emetteur, destinataire);
  }

  /** {cle, nonce} of the AEAD from E, Z_j and the Diffie-Hellman secret K. */
  function cleEtNonce(sodium, ephemere, cleDestinataire, secret) {
    return {
      cle: blake2b(sodium, I.messageHache(ETIQUETTE_PART_CLE, ephemere, cleDestinataire, secret), 32),
      nonce: blake2b(sodium, I.messageHache(ETIQUETTE_PART_NONCE, ephemere, cleDestinataire), 24),
    };
  }

  /** The scalar `part` encrypted to holder `destinataire`: one draw (e). */
  function chiffrerPart(sodium, ctx, emetteur, destinataire, part, alea) {
    if (!estIndice(emetteur, ctx.nombre)) throw new RangeError("no holder " + emetteur + " to send a share");
    if (!estScalaire(sodium, part)) throw new RangeError("a share is a reduced 32-byte scalar");
    var Zj = cleCommunication(ctx, destinataire);
    var e = alea.scalaire();
    var E = base(sodium, e);
    var kn = cleEtNonce(sodium, E, Zj, mul(sodium, e, Zj));
    var chiffre = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      part, donneesAssociees(ctx, emetteur, destinataire), null, kn.nonce, kn.cle);
    return { emetteur: emetteur, destinataire: destinataire, ephemere: E, chiffre: chiffre };
  }

  /** The share inside `part`, from the Diffie-Hellman secret K (what a complaint
   * reveals). PartIndechiffrable if it does not open to a reduced scalar. */
  function ouvrirPart(sodium, ctx, part, secret) {
    if (!estIndice(part.emetteur, ctx.nombre) || !(part.chiffre instanceof Uint8Array) ||
        part.chiffre.length !== TAILLE_PART_CHIFFREE || !estPoint(sodium, part.ephemere)) {
      throw new PartIndechiffrable("malformed encrypted share");
    }
    var kn = cleEtNonce(sodium, part.ephemere, cleCommunication(ctx, part.destinataire), secret);
    var clair;
    try {
      clair = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        null, part.chiffre, donneesAssociees(ctx, part.emetteur, part.destinataire), kn.nonce, kn.cle);
    } catch (erreur) {
      throw new PartIndechiffrable("share from holder " + part.emetteur + " to holder " + part.destinataire + " does not open");
    }
    if (!estScalaire(sodium, clair)) throw new PartIndechiffrable("the share is not a reduced scalar");
    return clair;
  }

  function secretPartage(sodium, ctx, part, z) {
    if (!estIndice(part.destinataire, ctx.nombre)) throw new RangeError("no such recipient");
    if (!egaux(foisB(sodium, z), cleCommunication(ctx, part.destinataire))) {
      throw new RangeError("z is not the communication key of holder " + part.destinataire);
    }
    if (!estPoint(sodium, part.ephemere)) throw new PartIndechiffrable("the ephemeral point is not a valid, non-identity point");
    return mul(sodium, z, part.ephemere);
  }

  /** The share sent to the holder whose communication private key is z. */
  function dechiffrerPart(sodium, ctx, part, z) {
    return ouvrirPart(sodium, ctx, part, secretPartage(sodium, ctx, part, z));
  }

  // --- Dealing (§ 4–5) ------------------------------------------------------------------

  /** f(j) = Σ a_k·j^k modulo ℓ (Horner, libsodium's scalar operations). */
  function evaluerPolynome(sodium, coefficients, j) {
    var x = scalaire(j);
    var valeur = coefficients[coefficients.length - 1];
    for (var k = coefficients.length - 2; k >= 0; k--) {
      valeur = sodium.crypto_core_ristretto255_scalar_add(sodium.crypto_core_ristretto255_scalar_mul(valeur, x), coefficients[k]);
    }
    return valeur;
  }

  /** Σ_k j^k·C_k (Horner): f(j)·B from a dealer's commitments. */
  function evaluerEngagements(sodium, engagements, j) {
    var x = scalaire(j);
    var valeur = engagements[engagements.length - 1];
    for (var k = engagements.length - 2; k >= 0; k--) valeur = add(sodium, fois(sodium, x, valeur), engagements[k]);
    return valeur;
  }

  /** Feldman's check: s_ij·B = Σ_k j^k·C_ik. */
  function verifierPart(sodium, engagements, j, part) {
    return estScalaire(sodium, part) && egaux(foisB(sodium, part), evaluerEngagements(sodium, engagements, j));
  }

  /** Dealer i's message. Draws: a_i0 … a_i,t−1, w, then e for holder 1, 2, …, n. */
  function distribuer(sodium, ctx, detenteur, alea) {
    if (!estIndice(detenteur, ctx.nombre)) throw new RangeError("no holder " + detenteur + " in 1.." + ctx.nombre);
    var coefficients = [];
    for (var k = 0; k < ctx.seuil; k++) coefficients.push(alea.scalaire());
    var engagements = coefficients.map(function (a) { return base(sodium, a); });
    var preuve = prouverConnaissance(sodium, ctx, detenteur, engagements, coefficients[0], alea.scalaire());
    var parts = [];
    for (var j = 1; j <= ctx.nombre; j++) {
      parts.push(chiffrerPart(sodium, ctx, detenteur, j, evaluerPolynome(sodium, coefficients, j), alea));
    }
    return { detenteur: detenteur, engagements: engagements, preuve: preuve, parts: parts };
  }

  /** The public checks of § 5. */
  function verifierDistribution(sodium, ctx, d) {
    var n = ctx.nombre;
    if (!d || !estIndice(d.detenteur, n)) return false;
    if (!Array.isArray(d.engagements) || d.engagements.length !== ctx.seuil) return false;
    if (!d.engagements.every(function (c) { return estPoint(sodium, c); })) return false;
    if (!verifierPreuveConnaissance(sodium, ctx, d.detenteur, d.engagements, d.preuve)) return false;
    if (!Array.isArray(d.parts) || d.parts.length !== n) return false;
    return d.parts.every(function (p, k) {
      return p && p.emetteur === d.detenteur && p.destinataire === k + 1 && estPoint(sodium, p.ephemere) &&
        p.chiffre instanceof Uint8Array && p.chiffre.length === TAILLE_PART_CHIFFREE;
    });
  }

  // --- Complaints (§ 6) -----------------------------------------------------------------

  function prefixePlainte(ctx, part, secret) {
    return [ctx.empreinte, part.emetteur, part.destinataire, cleCommunication(ctx, part.destinataire), part.ephemere, part.chiffre, secret];
  }

  /** The complaint of part's recipient (private key z) against its dealer: one draw. */
  function porterPlainte(sodium, ctx, part, z, alea) {
    var secret = secretPartage(sodium, ctx, part, z);
    var preuve = prouverEgalite(sodium, ETIQUETTE_PLAINTE, prefixePlainte(ctx, part, secret), z, part.ephemere, alea.scalaire());
    return { plaignant: part.destinataire, accuse: part.emetteur, secret: secret, preuve: preuve };
  }

  /** Whether the complaint proves a bad share; the distribution must be valid. */
  function plainteFondee(sodium, ctx, distribution, plainte) {
    if (!verifierDistribution(sodium, ctx, distribution)) throw new RangeError("the accused distribution is publicly invalid already");
    if (plainte.accuse !== distribution.detenteur || !estIndice(plainte.plaignant, ctx.nombre)) return false;
    if (!estPoint(sodium, plainte.secret)) return false;
    var part = distribution.parts[plainte.plaignant - 1];
    if (!verifierEgalite(sodium, ETIQUETTE_PLAINTE, prefixePlainte(ctx, part, plainte.secret),
        cleCommunication(ctx, plainte.plaignant), part.ephemere, plainte.secret, plainte.preuve)) {
      return false;
    }
    var valeur;
    try {
      valeur = ouvrirPart(sodium, ctx, part, plainte.secret);
    } catch (erreur) {
      if (erreur instanceof PartIndechiffrable) return true;
      throw erreur;
    }
    return !verifierPart(sodium, distribution.engagements, plainte.plaignant, valeur);
  }

  // --- Reception, qualified set, key (§ 6–7) --------------------------------------------

  function parDetenteur(distributions) {
    var par = new Map();
    distributions.forEach(function (d) {
      if (par.has(d.detenteur)) throw new CeremonieInvalide("two distributions from holder " + d.detenteur);
      par.set(d.detenteur, d);
    });
    return new Map(Array.from(par.entries()).sort(function (a, b) { return a[0] - b[0]; }));
  }

  /** Holder j reads every dealer's message: {detenteur, parts: Map(i → s_ij) of the
   * good shares, plaintes (one draw each, dealers in index order), rejetees}. */
  function recevoir(sodium, ctx, detenteur, z, distributions, alea) {
    if (!estIndice(detenteur, ctx.nombre)) throw new RangeError("no holder " + detenteur + " in 1.." + ctx.nombre);
    if (!egaux(foisB(sodium, z), cleCommunication(ctx, detenteur))) {
      throw new RangeError("z is not the communication key of holder " + detenteur);
    }
    var parts = new Map();
    var plaintes = [];
    var rejetees = [];
    parDetenteur(distributions).forEach(function (d, i) {
      if (!verifierDistribution(sodium, ctx, d)) {
        rejetees.push(i);
        return;
      }
      var part = d.parts[detenteur - 1];
      var valeur = null;
      var bonne;
      try {
        valeur = dechiffrerPart(sodium, ctx, part, z);
        bonne = verifierPart(sodium, d.engagements, detenteur, valeur);
      } catch (erreur) {
        if (!(erreur instanceof PartIndechiffrable)) throw erreur;
        bonne = false;
      }
      if (bonne) parts.set(i, valeur);
      else plaintes.push(porterPlainte(sodium, ctx, part, z, alea));
    });
    return { detenteur: detenteur, parts: parts, plaintes: plaintes, rejetees: rejetees };
  }

  /** The qualified dealers, in index order. */
  function qualifies(sodium, ctx, distributions, plaintes) {
    var valides = new Map();
    parDetenteur(distributions).forEach(function (d, i) {
      if (verifierDistribution(sodium, ctx, d)) valides.set(i, d);
    });
    var vues = new Set();
    var exclus = new Set();
    plaintes.forEach(function (p) {
      var cle = p.plaignant + "/" + p.accuse;
      if (vues.has(cle)) throw new CeremonieInvalide("two complaints of holder " + p.plaignant + " against " + p.accuse);
      vues.add(cle);
      var d = valides.get(p.accuse);
      if (d !== undefined && plainteFondee(sodium, ctx, d, p)) exclus.add(p.accuse);
    });
    return Array.from(valides.keys()).filter(function (i) { return !exclus.has(i); });
  }

  /** The key {contexte, qualifies: [{detenteur, engagements}], cle_publique}, with
   * non-enumerable `empreinte` (F) and `indices` (Q). */
  function cleSeuil(sodium, ctx, engagementsQualifies) {
    var indices = engagementsQualifies.map(function (q) { return q.detenteur; });
    for (var k = 0; k < indices.length; k++) {
      if (!estIndice(indices[k], ctx.nombre) || (k > 0 && indices[k] <= indices[k - 1])) {
        throw new FormatInvalide("qualified dealers must be distinct holders, in index order");
      }
    }
    engagementsQualifies.forEach(function (q) {
      if (!Array.isArray(q.engagements) || q.engagements.length !== ctx.seuil ||
          !q.engagements.every(function (c) { return estPoint(sodium, c); })) {
        throw new FormatInvalide("dealer " + q.detenteur + ": t commitments, valid non-identity points");
      }
    });
    if (indices.length < ctx.seuil) {
      throw new CeremonieInvalide(indices.length + " qualified dealers, fewer than the threshold " + ctx.seuil);
    }
    var Y = NEUTRE.slice();
    engagementsQualifies.forEach(function (q) { Y = add(sodium, Y, q.engagements[0]); });
    if (estNul(Y)) throw new CeremonieInvalide("the election key is the identity");
    var parties = [ctx.empreinte, indices.length];
    engagementsQualifies.forEach(function (q) { parties = parties.concat([q.detenteur], q.engagements); });
    parties.push(Y);
    var cle = {
      contexte: ctx,
      qualifies: engagementsQualifies.map(function (q) { return { detenteur: q.detenteur, engagements: q.engagements.slice() }; }),
      cle_publique: Y,
    };
    Object.defineProperty(cle, "empreinte", {
      value: blake2b(sodium, I.messageHache.apply(null, [ETIQUETTE_CLE].concat(parties)), 32),
      enumerable: false,
    });
    Object.defineProperty(cle, "indices", { value: indices, enumerable: false });
    return cle;
  }

  /** The threshold key from the ceremony's public messages (anyone can run it). */
  function etablirCle(sodium, ctx, distributions, plaintes) {
    var par = parDetenteur(distributions);
    return cleSeuil(sodium, ctx, qualifies(sodium, ctx, distributions, plaintes).map(function (i) {
      return { detenteur: i, engagements: par.get(i).engagements };
    }));
  }

  /** Y_j = Σ_{i∈Q} Σ_k j^k·C_ik = x_j·B, from public data only. */
  function cleDeVerification(sodium, cle, j) {
    if (!estIndice(j, cle.contexte.nombre)) throw new RangeError("no holder " + j + " in 1.." + cle.contexte.nombre);
    var Y = NEUTRE.slice();
    cle.qualifies.forEach(function (q) { Y = add(sodium, Y, evaluerEngagements(sodium, q.engagements, j)); });
    return Y;
  }

  /** x_j = Σ_{i∈Q} s_ij, checked against Y_j. */
  function cleDeDetenteur(sodium, cle, reception) {
    var x = new Uint8Array(32);
    cle.indices.forEach(function (i) {
      var part = reception.parts.get(i);
      if (part === undefined) {
        throw new CeremonieInvalide("holder " + reception.detenteur + " has no valid share from qualified dealer " + i);
      }
      x = sodium.crypto_core_ristretto255_scalar_add(x, part);
    });
    if (!egaux(foisB(sodium, x), cleDeVerification(sodium, cle, reception.detenteur))) {
      throw new CeremonieInvalide("the share does not match the holder's verification key");
    }
    return x;
  }

  // --- Threshold decryption (§ 8–9) -----------------------------------------------------

  function prefixeDechiffrement(cle, j, Yj, chiffre, facteur) {
    return [cle.empreinte, j, Yj, chiffre.alpha, chiffre.beta, facteur];
  }

  function chiffresRecevables(sodium, chiffres) {
    return Array.isArray(chiffres) && chiffres.length > 0 && chiffres.every(function (c) {
      return c && estPointOuNeutre(sodium, c.alpha) && estPointOuNeutre(sodium, c.beta);
    });
  }

  /** Holder j's partial decryption {detenteur, facteurs: [{facteur, preuve}]}: one draw
   * per ciphertext whose α is not the identity, in order. */
  function dechiffrerPartiellement(sodium, cle, detenteur, x, chiffres, alea) {
    var Yj = cleDeVerification(sodium, cle, detenteur);
    if (!estScalaire(sodium, x) || !egaux(foisB(sodium, x), Yj)) {
      throw new RangeError("x is not the key share of holder " + detenteur);
    }
    if (!chiffresRecevables(sodium, chiffres)) throw new RangeError("ciphertexts: α and β must be valid encodings");
    return {
      detenteur: detenteur,
      facteurs: chiffres.map(function (chiffre) {
        if (estNul(chiffre.alpha)) return { facteur: NEUTRE.slice(), preuve: null };
        var facteur = mul(sodium, x, chiffre.alpha);
        return {
          facteur: facteur,
          preuve: prouverEgalite(sodium, ETIQUETTE_DECHIFFREMENT, prefixeDechiffrement(cle, detenteur, Yj, chiffre, facteur),
            x, chiffre.alpha, alea.scalaire()),
        };
      }),
    };
  }

  /** One factor per ciphertext, each with its proof (public data only). */
  function verifierPartDechiffrement(sodium, cle, chiffres, part) {
    var j = part.detenteur;
    if (!estIndice(j, cle.contexte.nombre)) return false;
    if (!Array.isArray(part.facteurs) || !Array.isArray(chiffres) || part.facteurs.length !== chiffres.length) return false;
    if (!chiffresRecevables(sodium, chiffres)) return false;
    var Yj = cleDeVerification(sodium, cle, j);
    if (estNul(Yj)) return false;
    return chiffres.every(function (chiffre, k) {
      var f = part.facteurs[k];
      if (!f) return false;
      if (estNul(chiffre.alpha)) return estNeutre(f.facteur) && f.preuve === null;
      if (!f.preuve || !estPoint(sodium, f.facteur)) return false;
      return verifierEgalite(sodium, ETIQUETTE_DECHIFFREMENT, prefixeDechiffrement(cle, j, Yj, chiffre, f.facteur),
        Yj, chiffre.alpha, f.facteur, f.preuve);
    });
  }

  /** λ_j = Π_{m∈S, m≠j} m·(m − j)⁻¹ modulo ℓ. */
  function coefficientLagrange(sodium, indices, j) {
    if (new Set(indices).size !== indices.length ||
        !indices.every(function (m) { return Number.isInteger(m) && m >= 1 && m <= MAX_DETENTEURS; })) {
      throw new RangeError("indices must be distinct holder indices");
    }
    if (indices.indexOf(j) < 0) throw new RangeError(j + " is not among the indices");
    var xj = scalaire(j);
    var numerateur = scalaire(1);
    var denominateur = scalaire(1);
    indices.forEach(function (m) {
      if (m === j) return;
      var xm = scalaire(m);
      numerateur = sodium.crypto_core_ristretto255_scalar_mul(numerateur, xm);
      denominateur = sodium.crypto_core_ristretto255_scalar_mul(denominateur, sodium.crypto_core_ristretto255_scalar_sub(xm, xj));
    });
    return sodium.crypto_core_ristretto255_scalar_mul(numerateur, sodium.crypto_core_ristretto255_scalar_invert(denominateur));
  }

  /** M = β − Σ_{j∈S} λ_j·D_j; `facteurs` maps j to D_j (no check: see combiner). */
  function combinerFacteurs(sodium, chiffre, facteurs) {
    var indices = Array.from(facteurs.keys()).sort(function (a, b) { return a - b; });
    var total = NEUTRE.slice();
    indices.forEach(function (j) {
      total = add(sodium, total, fois(sodium, coefficientLagrange(sodium, indices, j), facteurs.get(j)));
    });
    return sub(sodium, chiffre.beta, total);
  }

  function partsRecevables(sodium, cle, chiffres, parts) {
    var vus = new Set();
    var doublons = new Set();
    parts.forEach(function (p) {
      if (vus.has(p.detenteur)) doublons.add(p.detenteur);
      vus.add(p.detenteur);
    });
    if (doublons.size > 0) {
      throw new DechiffrementRefuse("doublon", "duplicate partial decryptions from holders " + Array.from(doublons).sort().join(", "));
    }
    if (parts.length < cle.contexte.seuil) {
      throw new DechiffrementRefuse("trop_peu", parts.length + " partial decryptions, the threshold is " + cle.contexte.seuil);
    }
    parts.forEach(function (p) {
      if (!verifierPartDechiffrement(sodium, cle, chiffres, p)) {
        throw new DechiffrementRefuse("part_invalide", "the partial decryption of holder " + p.detenteur + " is invalid", p.detenteur);
      }
    });
  }

  /** The counts, from at least t valid partial decryptions of distinct holders, each
   * searched in [0, maximum]. DechiffrementRefuse otherwise. */
  function combiner(sodium, cle, chiffres, parts, maximum) {
    partsRecevables(sodium, cle, chiffres, parts);
    return chiffres.map(function (chiffre, k) {
      var facteurs = new Map();
      parts.forEach(function (p) { facteurs.set(p.detenteur, p.facteurs[k].facteur); });
      var M = combinerFacteurs(sodium, chiffre, facteurs);
      try {
        return I.logarithmeDiscret(sodium, M, maximum);
      } catch (erreur) {
        if (!(erreur instanceof RangeError)) throw erreur;
        throw new DechiffrementRefuse("hors_maximum", "ciphertext " + k + ": count not in [0, " + maximum + "]");
      }
    });
  }

  // --- Seal signature (§ 14) ------------------------------------------------------------

  /** m = SHA-256(UTF-8(canonical JSON of the sealed content)): the signed message. */
  function empreinteDuContenu(sodium, contenu) {
    return sodium.crypto_hash_sha256(I.encoderPartie(I.jsonCanonique(contenu, false)));
  }

  /** c = Hs("isoloir/v1/seuil/scellement", F, j, Y_j, R, m). */
  function defiScellement(sodium, cle, j, Yj, R, empreinte) {
    return I.hacherEnScalaire(sodium, ETIQUETTE_SCELLEMENT, cle.empreinte, j, Yj, R, empreinte);
  }

  /** Holder j signs the seal's fingerprint with its share x: one draw (w). RangeError if
   * x is not the share whose public key is Y_j. */
  function signerScellement(sodium, cle, j, x, empreinte, alea) {
    var Yj = cleDeVerification(sodium, cle, j);
    if (!estScalaire(sodium, x) || !egaux(foisB(sodium, x), Yj)) {
      throw new RangeError("x is not the key share of holder " + j);
    }
    if (!(empreinte instanceof Uint8Array)) throw new TypeError("the signed fingerprint is a Uint8Array");
    var w = alea.scalaire();
    var R = base(sodium, w);
    var c = defiScellement(sodium, cle, j, Yj, R, empreinte);
    return {
      detenteur: j,
      engagement: R,
      reponse: sodium.crypto_core_ristretto255_scalar_add(w, sodium.crypto_core_ristretto255_scalar_mul(c, x)),
    };
  }

  /** Public data only, in the order of seuil.py: the index, R a valid non-identity point,
   * s a reduced scalar, Y_j not the identity, then s·B = R + c·Y_j. */
  function verifierSignatureScellement(sodium, cle, signature, empreinte) {
    if (!signature || !estIndice(signature.detenteur, cle.contexte.nombre)) return false;
    if (!(empreinte instanceof Uint8Array)) return false;
    if (!estPoint(sodium, signature.engagement) || !estScalaire(sodium, signature.reponse)) return false;
    var Yj = cleDeVerification(sodium, cle, signature.detenteur);
    if (estNul(Yj)) return false;
    var c = defiScellement(sodium, cle, signature.detenteur, Yj, signature.engagement, empreinte);
    var attendu;
    try {
      attendu = add(sodium, signature.engagement, fois(sodium, c, Yj));
    } catch (erreur) {
      if (erreur instanceof I.OperationImpossible) return false;
      throw erreur;
    }
    return egaux(foisB(sodium, signature.reponse), attendu);
  }

  // --- JSON -----------------------------------------------------------------------------

  /** Uint8Array → lowercase hex, recursively (Maps are not JSON: refused). */
  function versJson(valeur) {
    if (valeur instanceof Uint8Array) return versHex(valeur);
    if (Array.isArray(valeur)) return valeur.map(versJson);
    if (valeur instanceof Map) throw new TypeError("a Map has no JSON form here");
    if (valeur !== null && typeof valeur === "object") {
      var sortie = {};
      Object.keys(valeur).forEach(function (cle) { sortie[cle] = versJson(valeur[cle]); });
      return sortie;
    }
    return valeur;
  }

  function objet(valeur, cles, ou) {
    if (valeur === null || typeof valeur !== "object" || Array.isArray(valeur)) throw new FormatInvalide(ou + " must be an object");
    var presentes = Object.keys(valeur).sort();
    if (presentes.join(",") !== cles.slice().sort().join(",")) {
      throw new FormatInvalide(ou + ": keys must be exactly " + cles.slice().sort().join(", "));
    }
    return valeur;
  }

  function liste(valeur, ou) {
    if (!Array.isArray(valeur)) throw new FormatInvalide(ou + " must be a list");
    return valeur;
  }

  function entier(valeur, ou) {
    if (!Number.isInteger(valeur) || valeur < 0 || valeur > 0xffffffff) throw new FormatInvalide(ou + " must be a non-negative integer");
    return valeur;
  }

  function octets(valeur, taille, ou) {
    if (typeof valeur !== "string" || valeur.length !== 2 * taille || !/^[0-9a-f]*$/.test(valeur)) {
      throw new FormatInvalide(ou + " must be " + 2 * taille + " lowercase hexadecimal digits");
    }
    return depuisHex(valeur);
  }

  function lirePreuve(d, ou) {
    var o = objet(d, ["c", "s"], ou);
    return { c: octets(o.c, 32, ou + ".c"), s: octets(o.s, 32, ou + ".s") };
  }

  function lireContexte(sodium, d) {
    var o = objet(d, ["cles_communication", "identifiant", "seuil"], "contexte");
    if (typeof o.identifiant !== "string") throw new FormatInvalide("contexte.identifiant must be a string");
    return contexte(sodium, o.identifiant, entier(o.seuil, "contexte.seuil"),
      liste(o.cles_communication, "contexte").map(function (z, k) { return octets(z, 32, "contexte.cles_communication[" + k + "]"); }));
  }

  function lirePartChiffree(d, ou) {
    ou = ou || "part";
    var o = objet(d, ["chiffre", "destinataire", "emetteur", "ephemere"], ou);
    return {
      emetteur: entier(o.emetteur, ou + ".emetteur"),
      destinataire: entier(o.destinataire, ou + ".destinataire"),
      ephemere: octets(o.ephemere, 32, ou + ".ephemere"),
      chiffre: octets(o.chiffre, TAILLE_PART_CHIFFREE, ou + ".chiffre"),
    };
  }

  function lireDistribution(d, ou) {
    ou = ou || "distribution";
    var o = objet(d, ["detenteur", "engagements", "parts", "preuve"], ou);
    return {
      detenteur: entier(o.detenteur, ou + ".detenteur"),
      engagements: liste(o.engagements, ou + ".engagements").map(function (c, k) { return octets(c, 32, ou + ".engagements[" + k + "]"); }),
      preuve: lirePreuve(o.preuve, ou + ".preuve"),
      parts: liste(o.parts, ou + ".parts").map(function (p, k) { return lirePartChiffree(p, ou + ".parts[" + k + "]"); }),
    };
  }

  function lirePlainte(d, ou) {
    ou = ou || "plainte";
    var o = objet(d, ["accuse", "plaignant", "preuve", "secret"], ou);
    return {
      plaignant: entier(o.plaignant, ou + ".plaignant"),
      accuse: entier(o.accuse, ou + ".accuse"),
      secret: octets(o.secret, 32, ou + ".secret"),
      preuve: lirePreuve(o.preuve, ou + ".preuve"),
    };
  }

  /** The key's JSON (§ 7); cle_publique must be the sum of the qualified C_i0. */
  function lireCle(sodium, d) {
    var o = objet(d, ["cle_publique", "contexte", "qualifies"], "cle");
    var ctx = lireContexte(sodium, o.contexte);
    var cle = cleSeuil(sodium, ctx, liste(o.qualifies, "cle.qualifies").map(function (q, k) {
      var ou = "cle.qualifies[" + k + "]";
      var oq = objet(q, ["detenteur", "engagements"], ou);
      return {
        detenteur: entier(oq.detenteur, ou + ".detenteur"),
        engagements: liste(oq.engagements, ou + ".engagements").map(function (c, m) { return octets(c, 32, ou + ".engagements[" + m + "]"); }),
      };
    }));
    if (!egaux(octets(o.cle_publique, 32, "cle.cle_publique"), cle.cle_publique)) {
      throw new FormatInvalide("cle_publique is not the sum of the qualified C_i0");
    }
    return cle;
  }

  function lireChiffres(d, ou) {
    ou = ou || "chiffres";
    return liste(d, ou).map(function (c, k) {
      var o = objet(c, ["alpha", "beta"], ou + "[" + k + "]");
      return { alpha: octets(o.alpha, 32, ou + "[" + k + "].alpha"), beta: octets(o.beta, 32, ou + "[" + k + "].beta") };
    });
  }

  function lirePartDechiffrement(d, ou) {
    ou = ou || "part_dechiffrement";
    var o = objet(d, ["detenteur", "facteurs"], ou);
    return {
      detenteur: entier(o.detenteur, ou + ".detenteur"),
      facteurs: liste(o.facteurs, ou + ".facteurs").map(function (f, k) {
        var of = objet(f, ["facteur", "preuve"], ou + ".facteurs[" + k + "]");
        return {
          facteur: octets(of.facteur, 32, ou + ".facteurs[" + k + "].facteur"),
          preuve: of.preuve === null ? null : lirePreuve(of.preuve, ou + ".facteurs[" + k + "].preuve"),
        };
      }),
    };
  }

  /** A seal signature's JSON (§ 14): {"detenteur", "engagement", "reponse"}. */
  function lireSignatureScellement(d, ou) {
    ou = ou || "signature";
    var o = objet(d, ["detenteur", "engagement", "reponse"], ou);
    return {
      detenteur: entier(o.detenteur, ou + ".detenteur"),
      engagement: octets(o.engagement, 32, ou + ".engagement"),
      reponse: octets(o.reponse, 32, ou + ".reponse"),
    };
  }

  // --- Passphrase vault (§ 13) ----------------------------------------------------------

  /** The passphrase as Argon2id reads it: NFC, then UTF-8. */
  function phraseEnOctets(phrase) {
    if (typeof phrase !== "string" || phrase.length === 0) throw new TypeError("the passphrase must be a non-empty string");
    return I.encoderPartie(phrase.normalize("NFC"));
  }

  function limitesCoffre(operations, memoire) {
    if (!Number.isInteger(operations) || operations < COFFRE.OPERATIONS_MIN || operations > COFFRE.OPERATIONS_MAX) {
      throw new ErreurCoffre("format", "operations must be an integer in [" + COFFRE.OPERATIONS_MIN + ", " + COFFRE.OPERATIONS_MAX + "]");
    }
    if (!Number.isInteger(memoire) || memoire < COFFRE.MEMOIRE_MIN || memoire > COFFRE.MEMOIRE_MAX) {
      throw new ErreurCoffre("format", "memoire must be an integer in [" + COFFRE.MEMOIRE_MIN + ", " + COFFRE.MEMOIRE_MAX + "]");
    }
  }

  /** M("isoloir/v1/seuil/coffre", version, operations, memoire, sel). */
  function donneesAssocieesCoffre(operations, memoire, sel) {
    return I.messageHache(ETIQUETTE_COFFRE, COFFRE.VERSION, operations, memoire, sel);
  }

  /** Argon2id (v1.3) of the passphrase: 32 bytes. */
  function deriverCle(sodium, phrase, sel, operations, memoire) {
    limitesCoffre(operations, memoire);
    if (!(sel instanceof Uint8Array) || sel.length !== COFFRE.TAILLE_SEL) throw new ErreurCoffre("format", "the salt is 16 bytes");
    return sodium.crypto_pwhash(COFFRE.TAILLE_CLE, phraseEnOctets(phrase), sel, operations, memoire,
      sodium.crypto_pwhash_ALG_ARGON2ID13);
  }

  /** The vault (a JSON object) of `secret` (1 to 1024 bytes) under `phrase`. Options:
   * operations, memoire (the limits, written in the vault), and sel, nonce (drawn by
   * libsodium; given for test vectors only). */
  function chiffrerSecret(sodium, secret, phrase, options) {
    options = options || {};
    if (!(secret instanceof Uint8Array) || secret.length < 1 || secret.length > COFFRE.TAILLE_SECRET_MAX) {
      throw new RangeError("the secret is 1 to " + COFFRE.TAILLE_SECRET_MAX + " bytes");
    }
    var operations = options.operations === undefined ? COFFRE.OPERATIONS : options.operations;
    var memoire = options.memoire === undefined ? COFFRE.MEMOIRE : options.memoire;
    var sel = options.sel === undefined ? sodium.randombytes_buf(COFFRE.TAILLE_SEL) : options.sel;
    var nonce = options.nonce === undefined ? sodium.randombytes_buf(COFFRE.TAILLE_NONCE) : options.nonce;
    if (!(nonce instanceof Uint8Array) || nonce.length !== COFFRE.TAILLE_NONCE) throw new RangeError("the nonce is 24 bytes");
    var cle = deriverCle(sodium, phrase, sel, operations, memoire);
    var chiffre = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      secret, donneesAssocieesCoffre(operations, memoire, sel), null, nonce, cle);
    return {
      chiffre: versHex(chiffre),
      memoire: memoire,
      nonce: versHex(nonce),
      operations: operations,
      sel: versHex(sel),
      version: COFFRE.VERSION,
    };
  }

  function hexCoffre(valeur, nom, minimum, maximum) {
    if (typeof valeur !== "string" || valeur.length % 2 !== 0 || valeur.length < 2 * minimum ||
        valeur.length > 2 * maximum || !/^[0-9a-f]*$/.test(valeur)) {
      throw new ErreurCoffre("format", nom + " must be lowercase hexadecimal of the right length");
    }
    return depuisHex(valeur);
  }

  /** The secret in the vault (an object, or its JSON text). ErreurCoffre "format" for
   * a malformed vault, "phrase_incorrecte" if it does not open. */
  function dechiffrerSecret(sodium, coffre, phrase) {
    if (typeof coffre === "string") {
      try {
        coffre = I.lireJson(coffre);
      } catch (erreur) {
        throw new ErreurCoffre("format", "not JSON");
      }
    }
    var cles = ["chiffre", "memoire", "nonce", "operations", "sel", "version"];
    if (coffre === null || typeof coffre !== "object" || Array.isArray(coffre) ||
        Object.keys(coffre).sort().join(",") !== cles.join(",")) {
      throw new ErreurCoffre("format", "a vault is an object with exactly the keys " + cles.join(", "));
    }
    if (coffre.version !== COFFRE.VERSION) throw new ErreurCoffre("format", "version must be " + COFFRE.VERSION);
    limitesCoffre(coffre.operations, coffre.memoire);
    var sel = hexCoffre(coffre.sel, "sel", COFFRE.TAILLE_SEL, COFFRE.TAILLE_SEL);
    var nonce = hexCoffre(coffre.nonce, "nonce", COFFRE.TAILLE_NONCE, COFFRE.TAILLE_NONCE);
    var chiffre = hexCoffre(coffre.chiffre, "chiffre", 1 + TAILLE_TAG, COFFRE.TAILLE_SECRET_MAX + TAILLE_TAG);
    var cle = deriverCle(sodium, phrase, sel, coffre.operations, coffre.memoire);
    try {
      return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        null, chiffre, donneesAssocieesCoffre(coffre.operations, coffre.memoire, sel), nonce, cle);
    } catch (erreur) {
      throw new ErreurCoffre("phrase_incorrecte", "wrong passphrase, or the vault was altered");
    }
  }

  return {
    VERSION: VERSION,
    COFFRE: COFFRE,
    ErreurSeuil: ErreurSeuil,
    FormatInvalide: FormatInvalide,
    PartIndechiffrable: PartIndechiffrable,
    CeremonieInvalide: CeremonieInvalide,
    DechiffrementRefuse: DechiffrementRefuse,
    ErreurCoffre: ErreurCoffre,
    contexte: contexte,
    cleCommunication: cleCommunication,
    genererCleCommunication: genererCleCommunication,
    defiConnaissance: defiConnaissance,
    verifierPreuveConnaissance: verifierPreuveConnaissance,
    donneesAssociees: donneesAssociees,
    cleEtNonce: cleEtNonce,
    chiffrerPart: chiffrerPart,
    ouvrirPart: ouvrirPart,
    dechiffrerPart: dechiffrerPart,
    evaluerPolynome: evaluerPolynome,
    evaluerEngagements: evaluerEngagements,
    verifierPart: verifierPart,
    distribuer: distribuer,
    verifierDistribution: verifierDistribution,
    porterPlainte: porterPlainte,
    plainteFondee: plainteFondee,
    recevoir: recevoir,
    qualifies: qualifies,
    cleSeuil: cleSeuil,
    etablirCle: etablirCle,
    cleDeVerification: cleDeVerification,
    cleDeDetenteur: cleDeDetenteur,
    dechiffrerPartiellement: dechiffrerPartiellement,
    verifierPartDechiffrement: verifierPartDechiffrement,
    coefficientLagrange: coefficientLagrange,
    combinerFacteurs: combinerFacteurs,
    combiner: combiner,
    versJson: versJson,
    lireContexte: lireContexte,
    lirePartChiffree: lirePartChiffree,
    lireDistribution: lireDistribution,
    lirePlainte: lirePlainte,
    lireCle: lireCle,
    lireChiffres: lireChiffres,
    lirePartDechiffrement: lirePartDechiffrement,
    phraseEnOctets: phraseEnOctets,
    donneesAssocieesCoffre: donneesAssocieesCoffre,
    deriverCle: deriverCle,
    chiffrerSecret: chiffrerSecret,
    dechiffrerSecret: dechiffrerSecret,
    ETIQUETTE_SCELLEMENT: ETIQUETTE_SCELLEMENT,
    empreinteDuContenu: empreinteDuContenu,
    defiScellement: defiScellement,
    signerScellement: signerScellement,
    verifierSignatureScellement: verifierSignatureScellement,
    lireSignatureScellement: lireSignatureScellement,
  };
});
