/*
 * Isoloir ballot cryptography, protocol version 1 (docs/protocol.md), browser side.
 *
 * Mirrors src/isoloir/crypto/ (Python, pysodium) name for name, in camelCase: both
 * must write byte-identical ballots from the same seeded randomness and refuse the same
 * ballots with the same codes; tests/vecteurs/protocole-v1.json pins both (tests/js/
 * runs it under Node).
 *
 * No dependency but libsodium.js (sumo build, vendored in ./vendor/libsodium/): every
 * function that computes takes the `sodium` object, after `await sodium.ready`, as its
 * first argument, so this file holds no global state and loads in any order. Every
 * group and scalar operation is one libsodium ristretto255 call; nothing here does
 * field arithmetic.
 *
 * Loading: a plain <script src> defines the global `IsoloirCrypto`; under Node,
 * `require()` returns the same object (no bundler, no ES module, no eval: it runs under
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
  // Bounds what the strict reader parses (the server's limit: ~150 choices).
  var TAILLE_MAXIMALE = 64 * 1024;
  // The first statement of the board is chained to 64 zeros (protocol § 7).
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
  // The scrutin identifier is a Django slug: ASCII only, so the ballot is ASCII too.
  var SCRUTIN = /^[A-Za-z0-9_-]{1,64}$/;
  var DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
  var TRACEUR = /^[A-Za-z0-9_-]{43}$/;
  // With the u flag, \p{Cs} only matches *unpaired* surrogates: strings that have no
  // UTF-8 encoding (TextEncoder would silently turn them into U+FFFD; Python refuses).
  var SURROGATE_ISOLE = /\p{Cs}/u;

  // The identity's canonical encoding: libsodium decodes it as a valid point, the
  // protocol never accepts it where a point is required.
  var NEUTRE = new Uint8Array(TAILLE_POINT);

  /** A refused ballot; `code` is one of § 5.4's codes (or "manifeste" for a manifest
   * this booth cannot vote on, which is a server bug, never a voter's input). */
  class ErreurBulletin extends Error {
    constructor(code, message) {
      super(message ? code + " : " + message : code);
      this.name = "ErreurBulletin";
      this.code = code;
    }
  }

  /** libsodium refused a group operation (a zero scalar, an identity result). */
  class OperationImpossible extends Error {
    constructor(message) {
      super(message);
      this.name = "OperationImpossible";
    }
  }

  /** The page's global `sodium`, for the two calls that may omit it (lireManifeste and
   * traceur, whose natural signatures take only text); it must be ready: before
   * `await sodium.ready` the wrappers' object has no functions yet. */
  function sodiumDeLaPage() {
    var sodium = typeof globalThis !== "undefined" ? globalThis.sodium : undefined;
    if (!sodium || typeof sodium.crypto_generichash !== "function") {
      throw new TypeError("pass the sodium object, after `await sodium.ready`");
    }
    return sodium;
  }

  function refuser(code, message) {
    throw new ErreurBulletin(code, message);
  }

  // --- Bytes, hex, UTF-8 -------------------------------------------------------------

  function utf8(texte) {
    if (typeof texte !== "string") throw new TypeError("a string is required");
    if (SURROGATE_ISOLE.test(texte)) throw new TypeError("string has no UTF-8 encoding");
    return new TextEncoder().encode(texte);
  }

  function versHex(octets) {
    var s = "";
    for (var i = 0; i < octets.length; i++) s += (octets[i] < 16 ? "0" : "") + octets[i].toString(16);
    return s;
  }

  /** Lowercase hex only: points and scalars have one writing each. */
  function depuisHex(hex) {
    if (typeof hex !== "string" || hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) {
      throw new TypeError("lowercase hex of even length is required");
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

  // --- JSON -------------------------------------------------------------------------

  /** A JSON number written with a fraction or an exponent. Python reads `1.0` as a
   * float, which is no version number; JSON.parse would make it the integer 1. */
  function Flottant(texte) {
    this.texte = texte;
  }

  var JETON_CHAINE = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
  var JETON_NOMBRE = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
  var PROFONDEUR_MAXIMALE = 32;

  /**
   * Strict JSON (RFC 8259), read as the server reads it: a key given twice, NaN or
   * Infinity, a trailing comma are errors (SyntaxError), and numbers with a fraction or
   * an exponent come back as Flottant. JSON.parse hides the first and the last.
   */
  function lireJson(texte) {
    var i = 0;
    function erreur(quoi) {
      throw new SyntaxError(quoi + " at offset " + i);
    }
    function blancs() {
      for (;;) {
        var c = texte.charCodeAt(i);
        if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
        else return;
      }
    }
    function jeton(motif) {
      motif.lastIndex = i;
      var m = motif.exec(texte);
      if (m === null) erreur("invalid token");
      i = motif.lastIndex;
      return m;
    }
    function mot(litteral, valeur) {
      if (texte.startsWith(litteral, i)) {
        i += litteral.length;
        return valeur;
      }
      return erreur("unexpected character");
    }
    function valeur(profondeur) {
      if (profondeur > PROFONDEUR_MAXIMALE) erreur("nesting too deep");
      blancs();
      var c = texte[i];
      if (c === "{") return objet(profondeur + 1);
      if (c === "[") return tableau(profondeur + 1);
      if (c === '"') return JSON.parse(jeton(JETON_CHAINE)[0]);
      if (c === "t") return mot("true", true);
      if (c === "f") return mot("false", false);
      if (c === "n") return mot("null", null);
      if (c === "-" || (c >= "0" && c <= "9")) {
        var m = jeton(JETON_NOMBRE);
        return m[1] !== undefined || m[2] !== undefined ? new Flottant(m[0]) : Number(m[0]);
      }
      return erreur(c === undefined ? "unexpected end" : "unexpected character");
    }
    function objet(profondeur) {
      var resultat = {};
      i++;
      blancs();
      if (texte[i] === "}") {
        i++;
        return resultat;
      }
      for (;;) {
        blancs();
        if (texte[i] !== '"') erreur("key expected");
        var cle = JSON.parse(jeton(JETON_CHAINE)[0]);
        if (Object.prototype.hasOwnProperty.call(resultat, cle)) erreur("duplicate key " + JSON.stringify(cle));
        blancs();
        if (texte[i] !== ":") erreur("':' expected");
        i++;
        // defineProperty, as JSON.parse does: a "__proto__" key stays a plain key.
        Object.defineProperty(resultat, cle, { value: valeur(profondeur), enumerable: true, writable: true, configurable: true });
        blancs();
        if (texte[i] === ",") { i++; continue; }
        if (texte[i] === "}") { i++; return resultat; }
        erreur("',' or '}' expected");
      }
    }
    function tableau(profondeur) {
      var resultat = [];
      i++;
      blancs();
      if (texte[i] === "]") {
        i++;
        return resultat;
      }
      for (;;) {
        resultat.push(valeur(profondeur));
        blancs();
        if (texte[i] === ",") { i++; continue; }
        if (texte[i] === "]") { i++; return resultat; }
        erreur("',' or ']' expected");
      }
    }
    var resultat = valeur(0);
    blancs();
    if (i !== texte.length) erreur("trailing characters");
    return resultat;
  }

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
   * character outside printable ASCII is escaped as \uXXXX in lowercase hex, as Python's
   * json.dumps(ensure_ascii=True) writes it (it escapes DEL too, JSON.stringify does
   * not); without it, only what JSON requires is escaped, as ensure_ascii=False does.
   */
  function jsonCanonique(valeur, ascii) {
    if (valeur === null || typeof valeur === "boolean") return String(valeur);
    if (typeof valeur === "number") {
      if (!Number.isSafeInteger(valeur)) throw new TypeError("only safe integers are written");
      return String(valeur);
    }
    if (typeof valeur === "string") {
      if (SURROGATE_ISOLE.test(valeur)) throw new TypeError("string has no UTF-8 encoding");
      var s = JSON.stringify(valeur);
      if (!ascii) return s;
      return s.replace(/[\u007f-\uffff]/g, function (c) {
        return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
      });
    }
    if (Array.isArray(valeur)) {
      return "[" + valeur.map(function (v) { return jsonCanonique(v, ascii); }).join(",") + "]";
    }
    // Plain objects only (from any realm): not a Flottant, a Uint8Array, a Date…
    if (Object.prototype.toString.call(valeur) === "[object Object]" && !(valeur instanceof Flottant)) {
      return "{" + Object.keys(valeur).sort(comparerCles).map(function (cle) {
        return jsonCanonique(cle, ascii) + ":" + jsonCanonique(valeur[cle], ascii);
      }).join(",") + "}";
    }
    throw new TypeError("cannot write this value in canonical JSON");
  }

  // --- Group and scalars (protocol § 1) -----------------------------------------------

  /** The 32-byte little-endian encoding of n (a non-negative safe integer). */
  function scalaireDeEntier(n) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError("a non-negative integer is required");
    var s = new Uint8Array(TAILLE_SCALAIRE);
    // Byte by byte: n < 2^53, so the division stays exact.
    for (var i = 0; n > 0; i++) {
      s[i] = n % 256;
      n = Math.floor(n / 256);
    }
    return s;
  }

  /** 32 bytes encoding an integer strictly below ℓ: one scalar, one writing. Checked
   * with libsodium itself: reducing it (zero-extended to the 64 bytes scalar_reduce
   * takes) must give it back unchanged. */
  function estScalaireCanonique(sodium, s) {
    if (!(s instanceof Uint8Array) || s.length !== TAILLE_SCALAIRE) return false;
    var large = new Uint8Array(64);
    large.set(s);
    return egaux(sodium.crypto_core_ristretto255_scalar_reduce(large), s);
  }

  /** A canonical ristretto255 encoding, the identity included (protocol § 1). The top
   * bit is checked here rather than left to libsodium: 1.0.22 refuses it as RFC 9496
   * says, Debian's 1.0.18 does not, and both sides must refuse the same bytes. */
  function estEncodageCanonique(sodium, p) {
    return p instanceof Uint8Array && p.length === TAILLE_POINT && (p[31] & 0x80) === 0 &&
      sodium.crypto_core_ristretto255_is_valid_point(p);
  }

  /** A canonical ristretto255 encoding other than the identity (protocol § 1);
   * libsodium's is_valid_point alone accepts the identity. */
  function estPoint(sodium, p) {
    return estEncodageCanonique(sodium, p) && !estNul(p);
  }

  /** s·B. libsodium refuses a zero scalar (identity result): OperationImpossible. */
  function base(sodium, s) {
    if (estNul(s)) throw new OperationImpossible("scalar multiplication of B gives the identity");
    return sodium.crypto_scalarmult_ristretto255_base(s);
  }

  /** s·P. libsodium refuses any identity result (a zero scalar, or P itself the
   * identity; ℓ is prime, so nothing else gives it): OperationImpossible. The check is
   * done here so that a refusal is never mistaken for another libsodium error. */
  function mul(sodium, s, p) {
    if (estNul(s) || estNul(p)) throw new OperationImpossible("scalar multiplication gives the identity");
    return sodium.crypto_scalarmult_ristretto255(s, p);
  }

  // B depends on nothing but the library: computed once per sodium object.
  var generateurs = new WeakMap();

  /** The generator, as libsodium encodes it (1·B). */
  function generateur(sodium) {
    if (!generateurs.has(sodium)) generateurs.set(sodium, sodium.crypto_scalarmult_ristretto255_base(scalaireDeEntier(1)));
    return generateurs.get(sodium);
  }

  /** m·B for an integer m ≥ 0; 0·B is written out, libsodium will not compute it. */
  function foisB(sodium, m) {
    return m === 0 ? NEUTRE.slice() : base(sodium, scalaireDeEntier(m));
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

  /** enc(x): the length of x's bytes on 4 bytes big-endian, then those bytes (an
   * integer is thus 00000004 followed by its 4 bytes). */
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
    var message = messageHache.apply(null, Array.prototype.slice.call(arguments, 1));
    return sodium.crypto_core_ristretto255_scalar_reduce(sodium.crypto_generichash(64, message, null));
  }

  /** BLAKE2b with a 32-byte output (the length is a parameter of BLAKE2b: this is not
   * a truncated BLAKE2b-512), unkeyed. */
  function blake2b256(sodium, octets) {
    return sodium.crypto_generichash(32, octets, null);
  }

  function sha256Lignes(sodium, lignes) {
    return versHex(sodium.crypto_hash_sha256(utf8(lignes.join("\n"))));
  }

  // --- Randomness (protocol § 2). The order of the draws is normative (§ 5). -----------

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
    return { x: x, Y: base(sodium, x) };
  }

  /** (r·B, m·B + r·Y), m an integer ≥ 0. For m = 0, β is r·Y alone: 0·B is the
   * identity, which libsodium will not compute (and adding it changes nothing). */
  function chiffrer(sodium, clePublique, m, r) {
    var masque = mul(sodium, r, clePublique);
    return {
      alpha: base(sodium, r),
      beta: m === 0 ? masque : sodium.crypto_core_ristretto255_add(foisB(sodium, m), masque),
    };
  }

  function additionner(sodium, a, b) {
    return {
      alpha: sodium.crypto_core_ristretto255_add(a.alpha, b.alpha),
      beta: sodium.crypto_core_ristretto255_add(a.beta, b.beta),
    };
  }

  /** The component-wise sum. An empty list has no ciphertext to stand for it (the
   * identity pair is no ciphertext the protocol accepts). */
  function somme(sodium, chiffres) {
    if (chiffres.length === 0) throw new RangeError("cannot sum an empty list of ciphertexts");
    var total = chiffres[0];
    for (var i = 1; i < chiffres.length; i++) total = additionner(sodium, total, chiffres[i]);
    return total;
  }

  /** The smallest n in [0, maximum] with n·B = point, by baby-step giant-step (about
   * 2·√maximum additions). In a group of prime order ℓ > maximum there is at most one. */
  function logarithmeDiscret(sodium, point, maximum) {
    if (!Number.isSafeInteger(maximum) || maximum < 0) throw new RangeError("maximum must be non-negative");
    var B = generateur(sodium);
    var pas = Math.floor(Math.sqrt(maximum)) + 1;
    while (pas * pas <= maximum) pas += 1; // pas² > maximum: every n ≤ maximum is i·pas + j
    var bebes = new Map();
    var courant = NEUTRE.slice();
    for (var j = 0; j < pas; j++) {
      var cle = versHex(courant);
      if (!bebes.has(cle)) bebes.set(cle, j);
      courant = sodium.crypto_core_ristretto255_add(courant, B);
    }
    var geant = foisB(sodium, pas);
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

  /** The count n in [0, maximum] a ciphertext holds: M = β − x·α (protocol § 6). */
  function dechiffrer(sodium, clePrivee, chiffre, maximum) {
    // A sum of α may be the identity (Σ r ≡ 0, however unlikely): x·α is then the
    // identity, which libsodium refuses to compute. The tally must not fail on it.
    var masque = estNul(chiffre.alpha) ? NEUTRE.slice() : mul(sodium, clePrivee, chiffre.alpha);
    return logarithmeDiscret(sodium, sodium.crypto_core_ristretto255_sub(chiffre.beta, masque), maximum);
  }

  // --- Manifest (protocol § 4) --------------------------------------------------------

  function estObjet(valeur) {
    return valeur !== null && typeof valeur === "object" && !Array.isArray(valeur) && !(valeur instanceof Flottant);
  }

  function memesCles(objet, cles) {
    var presentes = Object.keys(objet).sort();
    var attendues = cles.slice().sort();
    return presentes.length === attendues.length &&
      presentes.every(function (c, i) { return c === attendues[i]; });
  }

  function estChaineNonVide(valeur) {
    return typeof valeur === "string" && valeur.length > 0;
  }

  /** YYYY-MM-DDTHH:MM:SSZ and a real instant (no 31 November, no second 60). */
  function estDateUtc(valeur) {
    var m = typeof valeur === "string" ? DATE.exec(valeur) : null;
    if (m === null) return false;
    var n = m.slice(1).map(Number);
    if (n[0] < 1) return false;
    var d = new Date(0);
    // setUTCFullYear takes years literally (Date.UTC would map 0–99 to 1900–1999).
    d.setUTCFullYear(n[0], n[1] - 1, n[2]);
    d.setUTCHours(n[3], n[4], n[5], 0);
    return d.getUTCFullYear() === n[0] && d.getUTCMonth() === n[1] - 1 && d.getUTCDate() === n[2] &&
      d.getUTCHours() === n[3] && d.getUTCMinutes() === n[4] && d.getUTCSeconds() === n[5];
  }

  /**
   * Reads the manifest the server serves, with the server's checks (every field, and
   * the text must be the canonical writing of its content: one manifest, one
   * fingerprint). `texte` is its exact text, or its exact bytes: the fingerprint E is
   * computed here, over those bytes, never taken from the server. Throws
   * ErreurBulletin("manifeste") on anything this booth must not vote on.
   * lireManifeste(texte) alone uses the page's global `sodium` (ready).
   */
  function lireManifeste(sodium, texte) {
    if (arguments.length === 1) {
      texte = sodium;
      sodium = sodiumDeLaPage();
    }
    if (texte instanceof Uint8Array) {
      try {
        texte = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(texte);
      } catch (e) {
        refuser("manifeste", "not UTF-8");
      }
    }
    if (typeof texte !== "string" || SURROGATE_ISOLE.test(texte)) refuser("manifeste", "not text");
    var contenu;
    try {
      contenu = lireJson(texte);
    } catch (e) {
      refuser("manifeste", "not JSON");
    }
    if (!estObjet(contenu) || !memesCles(contenu, CLES_MANIFESTE)) refuser("manifeste", "keys differ from protocol § 4");
    if (contenu.version !== VERSION) refuser("manifeste", "version must be " + VERSION);
    if (typeof contenu.cle_publique !== "string" || !HEX_64.test(contenu.cle_publique)) {
      refuser("manifeste", "cle_publique must be 64 lowercase hexadecimal digits");
    }
    var clePublique = depuisHex(contenu.cle_publique);
    if (!estChaineNonVide(contenu.campagne)) refuser("manifeste", "campagne");
    if (typeof contenu.scrutin !== "string" || !SCRUTIN.test(contenu.scrutin)) refuser("manifeste", "scrutin must be a slug");
    if (!estChaineNonVide(contenu.intitule)) refuser("manifeste", "intitule");
    var choix = contenu.choix;
    if (!Array.isArray(choix) || choix.length === 0 || !choix.every(estChaineNonVide)) refuser("manifeste", "choix");
    if (choix[0] !== VOTE_BLANC) refuser("manifeste", "choice 0 must be " + VOTE_BLANC);
    if (!estPoint(sodium, clePublique)) refuser("manifeste", "cle_publique must be a valid, non-identity point");
    if (ORIGINES_CLE.indexOf(contenu.origine_cle) < 0) refuser("manifeste", "origine_cle");
    if (!estDateUtc(contenu.ouverture) || !estDateUtc(contenu.cloture)) refuser("manifeste", "ouverture, cloture");
    if (jsonCanonique(contenu, false) !== texte) refuser("manifeste", "text is not canonical");
    return {
      texte: texte,
      empreinte: blake2b256(sodium, utf8(texte)),
      scrutin: contenu.scrutin,
      clePublique: clePublique,
      choix: choix.slice(),
      origineCle: contenu.origine_cle,
      // For display only; the fingerprint covers them.
      campagne: contenu.campagne,
      intitule: contenu.intitule,
      ouverture: contenu.ouverture,
      cloture: contenu.cloture,
    };
  }

  // --- Proofs (protocol § 5.2, § 5.3) ---------------------------------------------------

  /** S = α₀ ‖ β₀ ‖ … ‖ α_{k−1} ‖ β_{k−1}: every challenge hashes the whole ballot. */
  function enonce(chiffres) {
    var morceaux = [];
    chiffres.forEach(function (c) { morceaux.push(c.alpha, c.beta); });
    return concatener(morceaux);
  }

  /** Hs("isoloir/v1/preuve-01", E, σ, Y, S, j, αⱼ, βⱼ, A₀, C₀, A₁, C₁), E as 32 raw bytes. */
  function defiChoix(sodium, manifeste, S, j, chiffre, engagements) {
    return hacherEnScalaire(sodium, ETIQUETTE_PREUVE_01, manifeste.empreinte, manifeste.scrutin,
      manifeste.clePublique, S, j, chiffre.alpha, chiffre.beta,
      engagements[0], engagements[1], engagements[2], engagements[3]);
  }

  /** Hs("isoloir/v1/preuve-somme", E, σ, Y, S, A, C). */
  function defiSomme(sodium, manifeste, S, A, C) {
    return hacherEnScalaire(sodium, ETIQUETTE_PREUVE_SOMME, manifeste.empreinte, manifeste.scrutin,
      manifeste.clePublique, S, A, C);
  }

  /** The 0/1 proof of ciphertext j holding m ∈ {0, 1} with randomness r; `tirages` is
   * {w, cBarre, sBarre}, drawn in that order. */
  function prouverChoix(sodium, manifeste, S, j, chiffre, m, r, tirages) {
    if (m !== 0 && m !== 1) throw new RangeError("a 0/1 proof needs m in {0, 1}");
    var Y = manifeste.clePublique, B = generateur(sodium);
    var sub = sodium.crypto_core_ristretto255_sub;
    // Simulated branch m̄ = 1 − m: its challenge and response are drawn, A and C solved
    // for. β − m̄·B is β itself when m̄ = 0 (no multiplication to the identity).
    var betaSimule = m === 1 ? chiffre.beta : sub(chiffre.beta, B);
    var aSimule = sub(base(sodium, tirages.sBarre), mul(sodium, tirages.cBarre, chiffre.alpha));
    var cSimule = sub(mul(sodium, tirages.sBarre, Y), mul(sodium, tirages.cBarre, betaSimule));
    // Real branch m: an honest commitment.
    var aReel = base(sodium, tirages.w), cReel = mul(sodium, tirages.w, Y);
    var engagements = m === 0 ? [aReel, cReel, aSimule, cSimule] : [aSimule, cSimule, aReel, cReel];
    var c = defiChoix(sodium, manifeste, S, j, chiffre, engagements);
    var defiReel = sodium.crypto_core_ristretto255_scalar_sub(c, tirages.cBarre);
    var sReel = sodium.crypto_core_ristretto255_scalar_add(tirages.w,
      sodium.crypto_core_ristretto255_scalar_mul(defiReel, r));
    return m === 0
      ? { c0: defiReel, c1: tirages.cBarre, s0: sReel, s1: tirages.sBarre }
      : { c0: tirages.cBarre, c1: defiReel, s0: tirages.sBarre, s1: sReel };
  }

  /**
   * § 5.2's check. A zero scalar or an identity along the way makes libsodium refuse the
   * multiplication: the proof is then refused, never accepted by a side path. (A proof
   * whose simulated challenge is 0 is sound mathematically, but protocol v1 refuses it,
   * as the server does: two implementations must never disagree on a ballot.)
   */
  function verifierPreuveChoix(sodium, manifeste, S, j, chiffre, preuve) {
    var Y = manifeste.clePublique, B = generateur(sodium);
    var sub = sodium.crypto_core_ristretto255_sub;
    var engagements;
    try {
      engagements = [
        sub(base(sodium, preuve.s0), mul(sodium, preuve.c0, chiffre.alpha)),
        sub(mul(sodium, preuve.s0, Y), mul(sodium, preuve.c0, chiffre.beta)),
        sub(base(sodium, preuve.s1), mul(sodium, preuve.c1, chiffre.alpha)),
        sub(mul(sodium, preuve.s1, Y), mul(sodium, preuve.c1, sub(chiffre.beta, B))),
      ];
    } catch (e) {
      if (e instanceof OperationImpossible) return false;
      throw e;
    }
    var attendu = defiChoix(sodium, manifeste, S, j, chiffre, engagements);
    return egaux(sodium.crypto_core_ristretto255_scalar_add(preuve.c0, preuve.c1), attendu);
  }

  /** The proof that Ā = R·B and β̄ − B = R·Y with R = Σ rⱼ (§ 5.3). */
  function prouverSomme(sodium, manifeste, S, rTotal, w) {
    var A = base(sodium, w), C = mul(sodium, w, manifeste.clePublique);
    var c = defiSomme(sodium, manifeste, S, A, C);
    return { c: c, s: sodium.crypto_core_ristretto255_scalar_add(w, sodium.crypto_core_ristretto255_scalar_mul(c, rTotal)) };
  }

  function verifierPreuveSomme(sodium, manifeste, S, chiffres, preuve) {
    var sub = sodium.crypto_core_ristretto255_sub;
    var A, C;
    try {
      var total = somme(sodium, chiffres);
      A = sub(base(sodium, preuve.s), mul(sodium, preuve.c, total.alpha));
      C = sub(mul(sodium, preuve.s, manifeste.clePublique),
        mul(sodium, preuve.c, sub(total.beta, generateur(sodium))));
    } catch (e) {
      if (e instanceof OperationImpossible) return false;
      throw e;
    }
    return egaux(defiSomme(sodium, manifeste, S, A, C), preuve.c);
  }

  // --- Ballot (protocol § 5) ------------------------------------------------------------

  /** The canonical text of a ballot (§ 5.4): ASCII, keys sorted, no whitespace. */
  function ecrireBulletin(manifeste, chiffres, preuves, preuveSomme) {
    return jsonCanonique({
      choix: chiffres.map(function (chiffre, j) {
        var p = preuves[j];
        return {
          alpha: versHex(chiffre.alpha),
          beta: versHex(chiffre.beta),
          preuve: { c0: versHex(p.c0), c1: versHex(p.c1), s0: versHex(p.s0), s1: versHex(p.s1) },
        };
      }),
      election: versHex(manifeste.empreinte),
      preuve_somme: { c: versHex(preuveSomme.c), s: versHex(preuveSomme.s) },
      scrutin: manifeste.scrutin,
      version: VERSION,
    }, true);
  }

  /** The draws of a ballot of k choices, in the normative order (§ 2, § 5): r₀ … r_{k−1},
   * then (wⱼ, c̄ⱼ, s̄ⱼ) for j = 0 … k−1, then w. That order is what makes a seeded
   * ballot the same bytes in every language. */
  function tirer(k, alea) {
    var j, aleas = [], preuves = [];
    for (j = 0; j < k; j++) aleas.push(alea.scalaire());
    for (j = 0; j < k; j++) preuves.push({ w: alea.scalaire(), cBarre: alea.scalaire(), sBarre: alea.scalaire() });
    return { aleas: aleas, preuves: preuves, wSomme: alea.scalaire() };
  }

  /**
   * A ballot encrypting `valeurs` (each 0 or 1, one per choice of the manifest).
   * creerBulletin is this with exactly one 1; other vectors (two 1s, none) give ballots
   * whose 0/1 proofs hold and whose sum proof fails, which the tests use.
   */
  function construireBulletin(sodium, manifeste, valeurs, alea) {
    var k = valeurs.length;
    if (k !== manifeste.choix.length) throw new RangeError("one value per choice of the manifest");
    if (!valeurs.every(function (m) { return m === 0 || m === 1; })) throw new RangeError("each value must be 0 or 1");
    var t = tirer(k, alea);
    var Y = manifeste.clePublique;
    var chiffres = valeurs.map(function (m, j) { return chiffrer(sodium, Y, m, t.aleas[j]); });
    var S = enonce(chiffres);
    var preuves = chiffres.map(function (chiffre, j) {
      return prouverChoix(sodium, manifeste, S, j, chiffre, valeurs[j], t.aleas[j], t.preuves[j]);
    });
    var rTotal = t.aleas[0].slice();
    for (var j = 1; j < k; j++) rTotal = sodium.crypto_core_ristretto255_scalar_add(rTotal, t.aleas[j]);
    var texte = ecrireBulletin(manifeste, chiffres, preuves, prouverSomme(sodium, manifeste, S, rTotal, t.wSomme));
    // The rⱼ and the real-branch nonces would reveal the vote: do not leave them around.
    t.aleas.forEach(function (r) { sodium.memzero(r); });
    t.preuves.forEach(function (p) { sodium.memzero(p.w); });
    sodium.memzero(t.wSomme);
    sodium.memzero(rTotal);
    return texte;
  }

  /** The canonical ballot (a string) for choice index `choix` (0 is the blank vote) of
   * a manifest read by lireManifeste. */
  function creerBulletin(sodium, manifeste, choix, alea) {
    var k = manifeste.choix.length;
    if (!Number.isInteger(choix) || choix < 0 || choix >= k) throw new RangeError("choice index out of the manifest's range");
    var valeurs = [];
    for (var j = 0; j < k; j++) valeurs.push(j === choix ? 1 : 0);
    return construireBulletin(sodium, manifeste, valeurs, alea);
  }

  /** Tracker: SHA-256 of the canonical ballot's bytes, base64url without padding (43
   * characters, § 5.5). SHA-256 comes from libsodium: WebCrypto's is asynchronous and
   * absent outside secure contexts. traceur(canonique) alone uses the page's `sodium`. */
  function traceur(sodium, canonique) {
    if (arguments.length === 1) {
      canonique = sodium;
      sodium = sodiumDeLaPage();
    }
    return sodium.to_base64(sodium.crypto_hash_sha256(utf8(canonique)), sodium.base64_variants.URLSAFE_NO_PADDING);
  }

  function objetStrict(valeur, cles, ou) {
    if (!estObjet(valeur)) refuser("format", ou + " must be an object");
    if (!memesCles(valeur, cles)) refuser("format", ou + ": keys " + Object.keys(valeur).sort().join(",") + " instead of " + cles.join(","));
    return valeur;
  }

  function hexStrict(objet, cle, ou) {
    var valeur = objet[cle];
    if (typeof valeur !== "string" || !HEX_64.test(valeur)) refuser("format", ou + "." + cle + " must be 64 lowercase hexadecimal digits");
    return depuisHex(valeur);
  }

  function texteBorne(texte) {
    if (texte instanceof Uint8Array) {
      if (texte.length > TAILLE_MAXIMALE) refuser("format", "ballot larger than the size limit");
      try {
        return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(texte);
      } catch (e) {
        return refuser("format", "ballot is not UTF-8");
      }
    }
    if (typeof texte !== "string") refuser("format", "ballot must be text");
    if (texte.length > TAILLE_MAXIMALE) refuser("format", "ballot larger than the size limit");
    if (SURROGATE_ISOLE.test(texte)) refuser("format", "ballot is not encodable in UTF-8");
    if (utf8(texte).length > TAILLE_MAXIMALE) refuser("format", "ballot larger than the size limit");
    return texte;
  }

  /** The format check: every field typed, nothing else checked yet. */
  function lireFormat(texte) {
    var contenu;
    texte = texteBorne(texte);
    try {
      contenu = lireJson(texte);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      refuser("format", "ballot is not JSON");
    }
    var racine = objetStrict(contenu, ["choix", "election", "preuve_somme", "scrutin", "version"], "ballot");
    // typeof: neither true (Python's bool is an int) nor 1.0 (a Flottant) is version 1.
    if (typeof racine.version !== "number" || racine.version !== VERSION) refuser("format", "version must be the integer " + VERSION);
    if (typeof racine.scrutin !== "string") refuser("format", "scrutin must be a string");
    var election = hexStrict(racine, "election", "ballot");
    if (!Array.isArray(racine.choix)) refuser("format", "choix must be a list");
    var chiffres = [], preuves = [];
    racine.choix.forEach(function (element, j) {
      var ou = "choix[" + j + "]";
      var choix = objetStrict(element, ["alpha", "beta", "preuve"], ou);
      var preuve = objetStrict(choix.preuve, ["c0", "c1", "s0", "s1"], ou + ".preuve");
      chiffres.push({ alpha: hexStrict(choix, "alpha", ou), beta: hexStrict(choix, "beta", ou) });
      preuves.push({
        c0: hexStrict(preuve, "c0", ou + ".preuve"),
        c1: hexStrict(preuve, "c1", ou + ".preuve"),
        s0: hexStrict(preuve, "s0", ou + ".preuve"),
        s1: hexStrict(preuve, "s1", ou + ".preuve"),
      });
    });
    var sommeLue = objetStrict(racine.preuve_somme, ["c", "s"], "preuve_somme");
    return {
      scrutin: racine.scrutin,
      election: election,
      chiffres: chiffres,
      preuves: preuves,
      preuveSomme: { c: hexStrict(sommeLue, "c", "preuve_somme"), s: hexStrict(sommeLue, "s", "preuve_somme") },
    };
  }

  /**
   * The strict reading of a ballot against the manifest in force (§ 5.4), the server's:
   * checks in this order, the first failure throwing ErreurBulletin with its code:
   * format, scrutin, election, nombre_de_choix, point, scalaire, preuve_choix (choice by
   * choice), preuve_somme. Returns {canonique, traceur, alpha0, chiffres}: the canonical
   * rewriting (what is stored, hashed and published), its tracker, the (α, β) pairs.
   */
  function verifierBulletin(sodium, texte, manifeste) {
    var lu = lireFormat(texte);
    if (lu.scrutin !== manifeste.scrutin) refuser("scrutin", "ballot is for another scrutin");
    if (!egaux(lu.election, manifeste.empreinte)) refuser("election", "election fingerprint differs from the manifest's");
    if (lu.chiffres.length !== manifeste.choix.length) {
      refuser("nombre_de_choix", lu.chiffres.length + " ciphertexts for " + manifeste.choix.length + " choices");
    }
    lu.chiffres.forEach(function (chiffre, j) {
      if (!estPoint(sodium, chiffre.alpha) || !estPoint(sodium, chiffre.beta)) refuser("point", "choix[" + j + "]: invalid or identity point");
    });
    var scalaires = [lu.preuveSomme.c, lu.preuveSomme.s];
    lu.preuves.forEach(function (p) { scalaires.push(p.c0, p.c1, p.s0, p.s1); });
    if (!scalaires.every(function (s) { return estScalaireCanonique(sodium, s); })) refuser("scalaire", "a proof scalar is not reduced modulo ℓ");
    var S = enonce(lu.chiffres);
    lu.chiffres.forEach(function (chiffre, j) {
      if (!verifierPreuveChoix(sodium, manifeste, S, j, chiffre, lu.preuves[j])) refuser("preuve_choix", "choix[" + j + "]: 0/1 proof does not verify");
    });
    if (!verifierPreuveSomme(sodium, manifeste, S, lu.chiffres, lu.preuveSomme)) refuser("preuve_somme", "sum proof does not verify");
    var canonique = ecrireBulletin(manifeste, lu.chiffres, lu.preuves, lu.preuveSomme);
    return { canonique: canonique, traceur: traceur(sodium, canonique), alpha0: lu.chiffres[0].alpha, chiffres: lu.chiffres };
  }

  // --- Public board (protocol § 7) --------------------------------------------------------

  /** SHA-256 (hex) of isoloir/v1/tableau, σ, n, t₁ … tₙ joined by \n, the trackers sorted
   * by their ASCII bytes here (the caller's order never matters). */
  function empreinteTableau(sodium, scrutin, traceurs) {
    // Trackers are ASCII: comparing UTF-16 code units is comparing bytes.
    var tries = traceurs.slice().sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
    tries.forEach(function (t) {
      if (typeof t !== "string" || !TRACEUR.test(t)) throw new TypeError("not a tracker: " + t);
    });
    return sha256Lignes(sodium, [ETIQUETTE_TABLEAU, scrutin, String(tries.length)].concat(tries));
  }

  /** relevé_k = SHA-256 (hex) of relevé_{k−1}, k, the board's fingerprint joined by \n.
   * Statements are numbered from 1; the first (and only it) has no predecessor (null) and
   * chains to 64 zeros. The number of ballots is not an input: relevés are published during
   * the vote and n could be recomputed from them by trying 0, 1, 2, … */
  function releve(sodium, precedent, numero, empreinte) {
    if (!Number.isInteger(numero) || numero < 1) throw new RangeError("statements are numbered from 1");
    if ((precedent === null) !== (numero === 1)) throw new RangeError("the first statement, and only it, has no predecessor");
    if (!HEX_64.test(empreinte) || (precedent !== null && !HEX_64.test(precedent))) {
      throw new TypeError("fingerprints are 64 lowercase hexadecimal digits");
    }
    return sha256Lignes(sodium, [precedent === null ? PREMIER_PRECEDENT : precedent, String(numero), empreinte]);
  }

  return {
    VERSION: VERSION,
    VOTE_BLANC: VOTE_BLANC,
    CODES: CODES,
    ETIQUETTE_ALEA: ETIQUETTE_ALEA,
    ETIQUETTE_PREUVE_01: ETIQUETTE_PREUVE_01,
    ETIQUETTE_PREUVE_SOMME: ETIQUETTE_PREUVE_SOMME,
    ETIQUETTE_TABLEAU: ETIQUETTE_TABLEAU,
    PREMIER_PRECEDENT: PREMIER_PRECEDENT,
    TAILLE_MAXIMALE: TAILLE_MAXIMALE,
    ErreurBulletin: ErreurBulletin,
    OperationImpossible: OperationImpossible,
    versHex: versHex,
    depuisHex: depuisHex,
    concatener: concatener,
    egaux: egaux,
    estNul: estNul,
    base: base,
    lireJson: lireJson,
    jsonCanonique: jsonCanonique,
    scalaireDeEntier: scalaireDeEntier,
    estScalaireCanonique: estScalaireCanonique,
    estPoint: estPoint,
    estEncodageCanonique: estEncodageCanonique,
    enc: enc,
    encoderPartie: encoderPartie,
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
    enonce: enonce,
    tirer: tirer,
    construireBulletin: construireBulletin,
    creerBulletin: creerBulletin,
    traceur: traceur,
    verifierBulletin: verifierBulletin,
    empreinteTableau: empreinteTableau,
    releve: releve,
  };
});
