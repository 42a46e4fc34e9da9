/*
 * Isoloir ballot cryptography, protocol version 1 (docs/protocol.md), browser side.
 *
 * Mirrors src/isoloir/crypto/ (Python, pysodium) name for name: both must produce
 * byte-identical ballots from the same seeded randomness, which the shared vectors
 * tests/vecteurs/protocole-v1.json check (tests/js/ runs them under Node).
 *
 * No dependency but libsodium.js (sumo build, vendored in ./vendor/libsodium/): every
 * function takes the `sodium` object, after `await sodium.ready`, as its first argument,
 * so this file holds no global state and loads in any order. Every group and scalar
 * operation is one libsodium ristretto255 call; nothing here does field arithmetic.
 *
 * Loading: a plain <script src> defines the global `IsoloirCrypto`; under Node,
 * `require()` returns the same object (no bundler, no ES module, so that it runs under
 * a CSP allowing only 'self' scripts).
 */
(function (racine, fabrique) {
  "use strict";
  if (typeof module === "object" && module !== null && module.exports) {
    module.exports = fabrique();
  } else {
    racine.IsoloirCrypto = fabrique();
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";

  var VERSION = 1;
  var ETIQUETTE_ALEA = "isoloir/v1/alea";
  var ETIQUETTE_PREUVE_01 = "isoloir/v1/preuve-01";
  var ETIQUETTE_PREUVE_SOMME = "isoloir/v1/preuve-somme";
  var ETIQUETTE_TABLEAU = "isoloir/v1/tableau";
  var TAILLE_POINT = 32;
  var TAILLE_SCALAIRE = 32;
  // Bounds what the strict reader is made to parse (same limit as the server's).
  var TAILLE_MAXIMALE = 64 * 1024;
  // The first statement of the board's chain is chained to 64 zeros (protocol § 7).
  var PREMIER_PRECEDENT = "0000000000000000000000000000000000000000000000000000000000000000";
  var VOTE_BLANC = "Vote blanc";
  var ORIGINES_CLE = ["developpement", "ceremonie"];
  var CODES = [
    "format", "election", "scrutin", "nombre_de_choix",
    "point", "scalaire", "preuve_choix", "preuve_somme",
  ];
  var CLES_MANIFESTE = [
    "campagne", "choix", "cle_publique", "cloture", "intitule",
    "origine_cle", "ouverture", "scrutin", "version",
  ];
  var HEX_64 = /^[0-9a-f]{64}$/;
  // The scrutin identifier is a Django slug: ASCII, so the ballot is ASCII too.
  var SCRUTIN = /^[A-Za-z0-9_-]{1,64}$/;
  var DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
  var TRACEUR = /^[A-Za-z0-9_-]{43}$/;
  // With the u flag, \p{Cs} only matches *unpaired* surrogates: strings that have no
  // UTF-8 encoding (TextEncoder would silently turn them into U+FFFD, Python refuses).
  var SURROGATE_ISOLE = /\p{Cs}/u;

  // The identity's canonical encoding. libsodium decodes it as a valid point but
  // refuses to produce it from a scalar multiplication, so the code below writes it out
  // where the mathematics needs it (a zero scalar, a verifier fed a crafted ballot).
  var NEUTRE = new Uint8Array(TAILLE_POINT);

  /** Error carrying one of the codes of protocol § 5.4 (or "manifeste"). */
  class ErreurBulletin extends Error {
    constructor(code, message) {
      super(message ? code + " : " + message : code);
      this.name = "ErreurBulletin";
      this.code = code;
    }
  }

  function refuser(code, message) {
    throw new ErreurBulletin(code, message);
  }

  // --- Bytes, hex, UTF-8 -------------------------------------------------------------

  function utf8(texte) {
    if (typeof texte !== "string") throw new TypeError("a string is required");
    if (SURROGATE_ISOLE.test(texte)) throw new TypeError("string is not valid Unicode");
    return new TextEncoder().encode(texte);
  }

  function versHex(octets) {
    var s = "";
    for (var i = 0; i < octets.length; i++) s += (octets[i] < 16 ? "0" : "") + octets[i].toString(16);
    return s;
  }

  /** Lowercase hex only: the JSON writes points and scalars that way, one writing each. */
  function depuisHex(hex) {
    if (typeof hex !== "string" || hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) {
      throw new TypeError("lowercase hex with an even length is required");
    }
    var octets = new Uint8Array(hex.length / 2);
    for (var i = 0; i < octets.length; i++) octets[i] = parseInt(hex.substr(2 * i, 2), 16);
    return octets;
  }

  function concatener(morceaux) {
    var total = 0;
    for (var i = 0; i < morceaux.length; i++) total += morceaux[i].length;
    var sortie = new Uint8Array(total);
    var position = 0;
    for (var j = 0; j < morceaux.length; j++) {
      sortie.set(morceaux[j], position);
      position += morceaux[j].length;
    }
    return sortie;
  }

  function egaux(a, b) {
    if (a.length !== b.length) return false;
    var difference = 0;
    for (var i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
    return difference === 0;
  }

  function estNul(octets) {
    var ou = 0;
    for (var i = 0; i < octets.length; i++) ou |= octets[i];
    return ou === 0;
  }

  function entier32(n) {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
      throw new RangeError("a hashed integer must fit in 4 bytes unsigned");
    }
    return new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  }

  // --- Canonical JSON ---------------------------------------------------------------

  // Keys sorted by code point, as Python's sort_keys does (UTF-16 order differs only
  // beyond the BMP, but the two implementations must agree on every input).
  function comparerCles(a, b) {
    var pa = Array.from(a), pb = Array.from(b);
    for (var i = 0; i < Math.min(pa.length, pb.length); i++) {
      var d = pa[i].codePointAt(0) - pb[i].codePointAt(0);
      if (d !== 0) return d;
    }
    return pa.length - pb.length;
  }

  /**
   * Canonical JSON: sorted keys at every level, no whitespace. With `ascii`, every
   * character outside printable ASCII is escaped as \uXXXX in lowercase hex, which is
   * exactly what Python's json.dumps(ensure_ascii=True) writes (it escapes DEL too,
   * JSON.stringify does not); without it, only what JSON itself requires is escaped.
   */
  function jsonCanonique(valeur, ascii) {
    if (valeur === null || typeof valeur === "boolean") return String(valeur);
    if (typeof valeur === "number") {
      if (!Number.isSafeInteger(valeur)) throw new TypeError("only safe integers are written");
      return String(valeur);
    }
    if (typeof valeur === "string") {
      if (SURROGATE_ISOLE.test(valeur)) throw new TypeError("string is not valid Unicode");
      var s = JSON.stringify(valeur);
      if (!ascii) return s;
      return s.replace(/[\u007f-\uffff]/g, function (c) {
        return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
      });
    }
    if (Array.isArray(valeur)) {
      return "[" + valeur.map(function (v) { return jsonCanonique(v, ascii); }).join(",") + "]";
    }
    if (typeof valeur === "object") {
      return "{" + Object.keys(valeur).sort(comparerCles).map(function (cle) {
        return jsonCanonique(cle, ascii) + ":" + jsonCanonique(valeur[cle], ascii);
      }).join(",") + "}";
    }
    throw new TypeError("cannot write a " + typeof valeur + " in JSON");
  }

  // --- Group and scalars (protocol § 1) -----------------------------------------------

  function scalaireDeEntier(n) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError("a non-negative integer is required");
    var s = new Uint8Array(TAILLE_SCALAIRE);
    // Little-endian, byte by byte: n < 2^53 so division stays exact.
    for (var i = 0; n > 0; i++) {
      s[i] = n % 256;
      n = Math.floor(n / 256);
    }
    return s;
  }

  /** 32 bytes encoding an integer strictly below ℓ: reducing it (zero-extended to the
   * 64 bytes scalar_reduce takes) must give it back unchanged. */
  function estScalaireCanonique(sodium, s) {
    if (!(s instanceof Uint8Array) || s.length !== TAILLE_SCALAIRE) return false;
    var large = new Uint8Array(64);
    large.set(s);
    return egaux(sodium.crypto_core_ristretto255_scalar_reduce(large), s);
  }

  /** A canonical ristretto255 encoding other than the identity (protocol § 1). */
  function estPoint(sodium, p) {
    return p instanceof Uint8Array && p.length === TAILLE_POINT && !estNul(p) &&
      sodium.crypto_core_ristretto255_is_valid_point(p);
  }

  /** s·B; the identity for s = 0, which libsodium refuses to compute. */
  function foisBase(sodium, s) {
    return estNul(s) ? NEUTRE.slice() : sodium.crypto_scalarmult_ristretto255_base(s);
  }

  /** s·P; the identity for s = 0 or P the identity (ℓ is prime: no other case gives it). */
  function fois(sodium, s, p) {
    return estNul(s) || estNul(p) ? NEUTRE.slice() : sodium.crypto_scalarmult_ristretto255(s, p);
  }

  function base(sodium) {
    return sodium.crypto_scalarmult_ristretto255_base(scalaireDeEntier(1));
  }

  // --- Hashes (protocol § 2) ----------------------------------------------------------

  /** The bytes of one hashed part before its length prefix: strings in UTF-8, integers
   * on 4 bytes big-endian, bytes as they are. */
  function encoderPartie(partie) {
    if (partie instanceof Uint8Array) return partie;
    if (typeof partie === "string") return utf8(partie);
    if (typeof partie === "number") return entier32(partie);
    throw new TypeError("cannot hash a " + typeof partie);
  }

  /** enc(x): the length of x's bytes on 4 bytes big-endian, then those bytes. */
  function enc(partie) {
    var octets = encoderPartie(partie);
    return concatener([entier32(octets.length), octets]);
  }

  /** What BLAKE2b reads for Hs: enc(étiquette) ‖ enc(x₁) ‖ … ‖ enc(xₙ). */
  function messageHache(etiquette) {
    if (typeof etiquette !== "string") throw new TypeError("the label is a string");
    var morceaux = [enc(etiquette)];
    for (var i = 1; i < arguments.length; i++) morceaux.push(enc(arguments[i]));
    return concatener(morceaux);
  }

  /** Hs(étiquette, x₁, …, xₙ) = scalar_reduce(BLAKE2b-512(message)), unkeyed. */
  function hacherEnScalaire(sodium, etiquette) {
    var parties = Array.prototype.slice.call(arguments, 1);
    var message = messageHache.apply(null, parties);
    return sodium.crypto_core_ristretto255_scalar_reduce(sodium.crypto_generichash(64, message, null));
  }

  /** BLAKE2b with a 32-byte output (its length is a parameter of the hash: this is not
   * a truncated BLAKE2b-512), unkeyed. */
  function blake2b256(sodium, octets) {
    return sodium.crypto_generichash(32, octets, null);
  }

  function sha256Hex(sodium, texte) {
    return versHex(sodium.crypto_hash_sha256(utf8(texte)));
  }

  // --- Randomness (protocol § 2). The order of draws is normative (§ 5). ---------------

  /** Scalars from the browser's CSPRNG through libsodium: the only source in service. */
  function AleaSysteme(sodium) {
    return {
      scalaire: function () {
        return sodium.crypto_core_ristretto255_scalar_random();
      },
    };
  }

  /** Test vectors only: the k-th scalar drawn is Hs("isoloir/v1/alea", graine, k). */
  function AleaDeterministe(sodium, graine) {
    if (!(graine instanceof Uint8Array)) throw new TypeError("the seed is a Uint8Array");
    var alea = {
      graine: graine.slice(),
      tirages: 0,
      scalaire: function () {
        var s = hacherEnScalaire(sodium, ETIQUETTE_ALEA, alea.graine, alea.tirages);
        alea.tirages += 1;
        return s;
      },
    };
    return alea;
  }

  // --- Key and ElGamal (protocol § 3, § 5.1, § 6) -------------------------------------

  /** {x, Y}: one draw from `alea`, nothing else, so that a seeded source gives the key
   * of the test vectors. */
  function genererCle(sodium, alea) {
    var x = alea.scalaire();
    return { x: x, Y: sodium.crypto_scalarmult_ristretto255_base(x) };
  }

  /** (r·B, m·B + r·Y). For m = 0, β is r·Y alone: 0·B is the identity, which libsodium
   * will not compute (and adding it would change nothing). */
  function chiffrer(sodium, clePublique, m, r) {
    var alpha = sodium.crypto_scalarmult_ristretto255_base(r);
    var masque = sodium.crypto_scalarmult_ristretto255(r, clePublique);
    var beta = m === 0 ? masque
      : sodium.crypto_core_ristretto255_add(sodium.crypto_scalarmult_ristretto255_base(scalaireDeEntier(m)), masque);
    return { alpha: alpha, beta: beta };
  }

  function additionner(sodium, a, b) {
    return {
      alpha: sodium.crypto_core_ristretto255_add(a.alpha, b.alpha),
      beta: sodium.crypto_core_ristretto255_add(a.beta, b.beta),
    };
  }

  /** Component-wise sum. An empty list has no ciphertext to stand for it. */
  function somme(sodium, chiffres) {
    if (chiffres.length === 0) throw new RangeError("cannot sum an empty list of ciphertexts");
    var total = chiffres[0];
    for (var i = 1; i < chiffres.length; i++) total = additionner(sodium, total, chiffres[i]);
    return total;
  }

  /** The smallest n in [0, maximum] with n·B = point, by baby-step giant-step. */
  function logarithmeDiscret(sodium, point, maximum) {
    if (!Number.isSafeInteger(maximum) || maximum < 0) throw new RangeError("maximum must be non-negative");
    var B = base(sodium);
    var pas = Math.floor(Math.sqrt(maximum)) + 1;
    while (pas * pas <= maximum) pas += 1; // every n ≤ maximum is i·pas + j
    var bebes = new Map();
    var courant = NEUTRE.slice();
    for (var j = 0; j < pas; j++) {
      var cle = versHex(courant);
      if (!bebes.has(cle)) bebes.set(cle, j);
      courant = sodium.crypto_core_ristretto255_add(courant, B);
    }
    var geant = foisBase(sodium, scalaireDeEntier(pas));
    var cherche = point;
    for (var i = 0; i <= pas; i++) {
      var trouve = bebes.get(versHex(cherche));
      if (trouve !== undefined) {
        var n = i * pas + trouve;
        if (n <= maximum) return n;
        break;
      }
      cherche = sodium.crypto_core_ristretto255_sub(cherche, geant);
    }
    throw new RangeError("plaintext not found in [0, " + maximum + "]");
  }

  /** The count n in [0, maximum] that a ciphertext holds: M = β − x·α (protocol § 6). */
  function dechiffrer(sodium, clePrivee, chiffre, maximum) {
    var M = sodium.crypto_core_ristretto255_sub(chiffre.beta, fois(sodium, clePrivee, chiffre.alpha));
    return logarithmeDiscret(sodium, M, maximum);
  }

  // --- Manifest (protocol § 4) --------------------------------------------------------

  function exigerCles(objet, cles, code, ou) {
    if (objet === null || typeof objet !== "object" || Array.isArray(objet)) {
      refuser(code, ou + " n'est pas un objet");
    }
    var presentes = Object.keys(objet).sort();
    var attendues = cles.slice().sort();
    if (presentes.length !== attendues.length || presentes.some(function (c, i) { return c !== attendues[i]; })) {
      refuser(code, ou + " : clés " + presentes.join(",") + " au lieu de " + attendues.join(","));
    }
  }

  /**
   * Reads the manifest the server serves. `texte` is its exact text (or its exact
   * bytes): the fingerprint E is computed here, over those bytes, never taken from the
   * server. Throws ErreurBulletin("manifeste") on anything this booth cannot vote on.
   */
  function lireManifeste(sodium, texte) {
    var octets;
    if (texte instanceof Uint8Array) {
      octets = texte;
      try {
        texte = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(octets);
      } catch (e) {
        refuser("manifeste", "pas de l'UTF-8");
      }
    } else {
      octets = utf8(texte);
    }
    var donnees;
    try {
      donnees = JSON.parse(texte);
    } catch (e) {
      refuser("manifeste", "pas du JSON");
    }
    exigerCles(donnees, CLES_MANIFESTE, "manifeste", "le manifeste");
    if (donnees.version !== VERSION) refuser("manifeste", "version " + donnees.version);
    ["campagne", "cloture", "intitule", "ouverture", "scrutin"].forEach(function (cle) {
      if (typeof donnees[cle] !== "string") refuser("manifeste", cle + " n'est pas une chaîne");
    });
    if (ORIGINES_CLE.indexOf(donnees.origine_cle) < 0) refuser("manifeste", "origine_cle");
    var choix = donnees.choix;
    if (!Array.isArray(choix) || choix.length === 0 || !choix.every(function (c) { return typeof c === "string"; })) {
      refuser("manifeste", "choix");
    }
    if (typeof donnees.cle_publique !== "string" || !HEX_64.test(donnees.cle_publique)) {
      refuser("manifeste", "cle_publique");
    }
    var clePublique = depuisHex(donnees.cle_publique);
    if (!estPoint(sodium, clePublique)) refuser("manifeste", "cle_publique n'est pas un point");
    return {
      texte: texte,
      empreinte: blake2b256(sodium, octets),
      scrutin: donnees.scrutin,
      clePublique: clePublique,
      choix: choix.slice(),
      origineCle: donnees.origine_cle,
      campagne: donnees.campagne,
      intitule: donnees.intitule,
      ouverture: donnees.ouverture,
      cloture: donnees.cloture,
      version: donnees.version,
    };
  }

  // --- Proofs (protocol § 5.2, § 5.3) ---------------------------------------------------

  /** The statement S = α₀ ‖ β₀ ‖ … ‖ α_{k−1} ‖ β_{k−1}. */
  function enonce(chiffres) {
    var morceaux = [];
    chiffres.forEach(function (c) { morceaux.push(c.alpha, c.beta); });
    return concatener(morceaux);
  }

  /** β − v·B for v ∈ {0, 1} (β − 0·B = β: no multiplication to the identity). */
  function moinsFoisB(sodium, beta, v, B) {
    return v === 0 ? beta : sodium.crypto_core_ristretto255_sub(beta, B);
  }

  /** s·B − c·P and s·Y − c·Q, the verifier's commitments (identity-safe). */
  function engagements(sodium, s, c, P, Q, Y) {
    return {
      A: sodium.crypto_core_ristretto255_sub(foisBase(sodium, s), fois(sodium, c, P)),
      C: sodium.crypto_core_ristretto255_sub(fois(sodium, s, Y), fois(sodium, c, Q)),
    };
  }

  function defi01(sodium, E, sigma, Y, S, j, chiffre, e0, e1) {
    return hacherEnScalaire(sodium, ETIQUETTE_PREUVE_01, E, sigma, Y, S, j,
      chiffre.alpha, chiffre.beta, e0.A, e0.C, e1.A, e1.C);
  }

  function defiSomme(sodium, E, sigma, Y, S, A, C) {
    return hacherEnScalaire(sodium, ETIQUETTE_PREUVE_SOMME, E, sigma, Y, S, A, C);
  }

  // --- Ballot (protocol § 5) ------------------------------------------------------------

  /**
   * The canonical ballot (a string) for choice index `choix` of the manifest read by
   * lireManifeste. Draws from `alea`, in the normative order: r₀ … r_{k−1}, then for each
   * j: wⱼ, c̄ⱼ, s̄ⱼ, then w.
   */
  function creerBulletin(sodium, manifeste, choix, alea) {
    var k = manifeste.choix.length;
    if (!Number.isInteger(choix) || choix < 0 || choix >= k) throw new RangeError("choice index out of range");
    var Y = manifeste.clePublique, E = manifeste.empreinte, sigma = manifeste.scrutin;
    var B = base(sodium);

    var j, r = [], tirages = [];
    for (j = 0; j < k; j++) r.push(alea.scalaire());
    for (j = 0; j < k; j++) tirages.push({ w: alea.scalaire(), cBarre: alea.scalaire(), sBarre: alea.scalaire() });
    var wSomme = alea.scalaire();

    var chiffres = [];
    for (j = 0; j < k; j++) chiffres.push(chiffrer(sodium, Y, j === choix ? 1 : 0, r[j]));
    var S = enonce(chiffres);

    var elements = [];
    for (j = 0; j < k; j++) {
      var m = j === choix ? 1 : 0, mBarre = 1 - m, t = tirages[j], chiffre = chiffres[j];
      var simulee = engagements(sodium, t.sBarre, t.cBarre, chiffre.alpha, moinsFoisB(sodium, chiffre.beta, mBarre, B), Y);
      var reelle = { A: foisBase(sodium, t.w), C: fois(sodium, t.w, Y) };
      var e = m === 0 ? [reelle, simulee] : [simulee, reelle];
      var c = defi01(sodium, E, sigma, Y, S, j, chiffre, e[0], e[1]);
      var cReel = sodium.crypto_core_ristretto255_scalar_sub(c, t.cBarre);
      var sReel = sodium.crypto_core_ristretto255_scalar_add(t.w, sodium.crypto_core_ristretto255_scalar_mul(cReel, r[j]));
      var cs = m === 0 ? [cReel, t.cBarre] : [t.cBarre, cReel];
      var ss = m === 0 ? [sReel, t.sBarre] : [t.sBarre, sReel];
      elements.push({
        alpha: versHex(chiffre.alpha),
        beta: versHex(chiffre.beta),
        preuve: { c0: versHex(cs[0]), c1: versHex(cs[1]), s0: versHex(ss[0]), s1: versHex(ss[1]) },
      });
    }

    // Sum proof: Ā = R·B and β̄ − B = R·Y with R = Σ rⱼ.
    var R = r[0].slice();
    for (j = 1; j < k; j++) R = sodium.crypto_core_ristretto255_scalar_add(R, r[j]);
    var A = foisBase(sodium, wSomme), C = fois(sodium, wSomme, Y);
    var cSomme = defiSomme(sodium, E, sigma, Y, S, A, C);
    var sSomme = sodium.crypto_core_ristretto255_scalar_add(wSomme, sodium.crypto_core_ristretto255_scalar_mul(cSomme, R));

    var canonique = jsonCanonique({
      choix: elements,
      election: versHex(E),
      preuve_somme: { c: versHex(cSomme), s: versHex(sSomme) },
      scrutin: sigma,
      version: VERSION,
    }, true);

    // The rⱼ and the real-branch nonces would reveal the vote: do not leave them in memory.
    r.forEach(sodium.memzero);
    tirages.forEach(function (tj) { sodium.memzero(tj.w); });
    sodium.memzero(wSomme);
    sodium.memzero(R);
    return canonique;
  }

  /** Tracker: SHA-256 of the canonical ballot's bytes, base64url without padding. */
  function traceur(sodium, canonique) {
    return sodium.to_base64(sodium.crypto_hash_sha256(utf8(canonique)), sodium.base64_variants.URLSAFE_NO_PADDING);
  }

  function hex64(valeur, ou) {
    if (typeof valeur !== "string" || !HEX_64.test(valeur)) refuser("format", ou + " : 64 caractères hexadécimaux minuscules attendus");
    return depuisHex(valeur);
  }

  /**
   * Strict reading of a ballot against the manifest (protocol § 5.4): checks in the
   * order of the table, throws ErreurBulletin with the first failing code. Returns
   * {canonique, traceur, chiffres} where canonique is the rewritten canonical form (the
   * one stored, hashed and published) and chiffres the (α, β) byte pairs.
   */
  function verifierBulletin(sodium, texte, manifeste) {
    var donnees;
    if (typeof texte !== "string") refuser("format", "le bulletin n'est pas un texte");
    try {
      donnees = JSON.parse(texte);
    } catch (e) {
      refuser("format", "pas du JSON");
    }
    exigerCles(donnees, ["choix", "election", "preuve_somme", "scrutin", "version"], "format", "le bulletin");
    // typeof: JSON true is no version number (Python's bool is an int, JS's is not).
    if (typeof donnees.version !== "number" || donnees.version !== VERSION) refuser("format", "version");
    var election = hex64(donnees.election, "election");
    if (typeof donnees.scrutin !== "string") refuser("format", "scrutin");
    if (!Array.isArray(donnees.choix)) refuser("format", "choix");
    var lus = donnees.choix.map(function (element, j) {
      exigerCles(element, ["alpha", "beta", "preuve"], "format", "choix[" + j + "]");
      exigerCles(element.preuve, ["c0", "c1", "s0", "s1"], "format", "choix[" + j + "].preuve");
      return {
        alpha: hex64(element.alpha, "alpha"),
        beta: hex64(element.beta, "beta"),
        c: [hex64(element.preuve.c0, "c0"), hex64(element.preuve.c1, "c1")],
        s: [hex64(element.preuve.s0, "s0"), hex64(element.preuve.s1, "s1")],
      };
    });
    exigerCles(donnees.preuve_somme, ["c", "s"], "format", "preuve_somme");
    var cSomme = hex64(donnees.preuve_somme.c, "preuve_somme.c");
    var sSomme = hex64(donnees.preuve_somme.s, "preuve_somme.s");

    if (!egaux(election, manifeste.empreinte)) refuser("election");
    if (donnees.scrutin !== manifeste.scrutin) refuser("scrutin");
    if (lus.length !== manifeste.choix.length) refuser("nombre_de_choix");
    lus.forEach(function (l, j) {
      if (!estPoint(sodium, l.alpha) || !estPoint(sodium, l.beta)) refuser("point", "choix " + j);
    });
    lus.forEach(function (l, j) {
      l.c.concat(l.s).forEach(function (s) {
        if (!estScalaireCanonique(sodium, s)) refuser("scalaire", "choix " + j);
      });
    });
    if (!estScalaireCanonique(sodium, cSomme) || !estScalaireCanonique(sodium, sSomme)) refuser("scalaire", "preuve_somme");

    var Y = manifeste.clePublique, E = manifeste.empreinte, sigma = manifeste.scrutin;
    var B = base(sodium);
    var S = enonce(lus);
    lus.forEach(function (l, j) {
      var e0 = engagements(sodium, l.s[0], l.c[0], l.alpha, moinsFoisB(sodium, l.beta, 0, B), Y);
      var e1 = engagements(sodium, l.s[1], l.c[1], l.alpha, moinsFoisB(sodium, l.beta, 1, B), Y);
      var c = defi01(sodium, E, sigma, Y, S, j, l, e0, e1);
      if (!egaux(sodium.crypto_core_ristretto255_scalar_add(l.c[0], l.c[1]), c)) refuser("preuve_choix", "choix " + j);
    });

    var total = somme(sodium, lus);
    var eS = engagements(sodium, sSomme, cSomme, total.alpha, sodium.crypto_core_ristretto255_sub(total.beta, B), Y);
    if (!egaux(defiSomme(sodium, E, sigma, Y, S, eS.A, eS.C), cSomme)) refuser("preuve_somme");

    var canonique = jsonCanonique(donnees, true);
    return {
      canonique: canonique,
      traceur: traceur(sodium, canonique),
      chiffres: lus.map(function (l) { return { alpha: l.alpha, beta: l.beta }; }),
    };
  }

  // --- Public board (protocol § 7) --------------------------------------------------------

  function ordreOctets(a, b) {
    return a < b ? -1 : a > b ? 1 : 0; // the trackers are ASCII: UTF-16 order is byte order
  }

  /** SHA-256 (hex) of the lines isoloir/v1/tableau, σ, n, t₁ … tₙ joined by \n, the
   * trackers sorted (never in arrival order). */
  function empreinteTableau(sodium, scrutin, traceurs) {
    var tries = traceurs.slice().sort(ordreOctets);
    return sha256Hex(sodium, [ETIQUETTE_TABLEAU, scrutin, String(tries.length)].concat(tries).join("\n"));
  }

  /** relevé_k = SHA-256 (hex) of relevé_{k−1}, k, n, current fingerprint joined by \n;
   * the first is chained to RELEVE_INITIAL. */
  function releve(sodium, precedent, k, n, empreinte) {
    return sha256Hex(sodium, [precedent, String(k), String(n), empreinte].join("\n"));
  }

  return {
    VERSION: VERSION,
    ETIQUETTE_ALEA: ETIQUETTE_ALEA,
    ETIQUETTE_PREUVE_01: ETIQUETTE_PREUVE_01,
    ETIQUETTE_PREUVE_SOMME: ETIQUETTE_PREUVE_SOMME,
    ETIQUETTE_TABLEAU: ETIQUETTE_TABLEAU,
    RELEVE_INITIAL: RELEVE_INITIAL,
    ErreurBulletin: ErreurBulletin,
    versHex: versHex,
    depuisHex: depuisHex,
    jsonCanonique: jsonCanonique,
    scalaireDeEntier: scalaireDeEntier,
    estScalaireCanonique: estScalaireCanonique,
    estPoint: estPoint,
    enc: enc,
    messageHache: messageHache,
    hacherEnScalaire: hacherEnScalaire,
    blake2b256: blake2b256,
    AleaSysteme: AleaSysteme,
    AleaDeterministe: AleaDeterministe,
    genererCle: genererCle,
    chiffrer: chiffrer,
    additionner: additionner,
    somme: somme,
    logarithmeDiscret: logarithmeDiscret,
    dechiffrer: dechiffrer,
    lireManifeste: lireManifeste,
    creerBulletin: creerBulletin,
    traceur: traceur,
    verifierBulletin: verifierBulletin,
    empreinteTableau: empreinteTableau,
    releve: releve,
  };
});
