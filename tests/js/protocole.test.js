// isoloir-crypto.js against the protocol itself (docs/protocol.md), with no vector file:
// known values, round trips, and one refusal per code of § 5.4.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { chargerSodium, chargerPageIsoloir, IsoloirCrypto: I } = require("./charger.js");
const { SIGLES, texteManifeste, scrutinDeTest, alterer, codeDeRefus } = require("./outils.js");

// ℓ, little-endian: the smallest 32-byte value that is not a reduced scalar.
const L_HEX = "edd3f55c1a631258d69cf7a2def9de14" + "00".repeat(15) + "10";
const utf8 = (s) => new TextEncoder().encode(s);

let sodium;
test.before(async () => {
  sodium = await chargerSodium();
});

test("RFC 9496: 5·B through the vendored libsodium", () => {
  const cinq = I.scalaireDeEntier(5);
  assert.equal(
    I.versHex(sodium.crypto_scalarmult_ristretto255_base(cinq)),
    "e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e",
  );
});

test("enc: 4-byte big-endian length, then UTF-8 / 4-byte big-endian integer / bytes", () => {
  assert.equal(I.versHex(I.enc("é")), "00000002c3a9");
  assert.equal(I.versHex(I.enc(258)), "0000000400000102");
  assert.equal(I.versHex(I.enc(new Uint8Array([0xff]))), "00000001ff");
  assert.equal(I.versHex(I.enc("")), "00000000");
  assert.equal(I.versHex(I.messageHache("t", 0)), "00000001" + "74" + "00000004" + "00000000");
  assert.throws(() => I.enc(-1), RangeError);
  assert.throws(() => I.enc(2 ** 32), RangeError);
  assert.throws(() => I.enc(1.5), RangeError);
  assert.throws(() => I.enc("\ud800"), TypeError);
});

test("Hs is scalar_reduce(BLAKE2b-512(message)), and always a reduced scalar", () => {
  const message = I.messageHache("isoloir/v1/alea", new Uint8Array([1, 2]), 7);
  const attendu = sodium.crypto_core_ristretto255_scalar_reduce(sodium.crypto_generichash(64, message, null));
  const s = I.hacherEnScalaire(sodium, "isoloir/v1/alea", new Uint8Array([1, 2]), 7);
  assert.deepEqual(s, attendu);
  assert.ok(I.estScalaireCanonique(sodium, s));
});

test("AleaDeterministe: the k-th draw is Hs('isoloir/v1/alea', graine, k)", () => {
  const graine = utf8("graine");
  const alea = I.AleaDeterministe(sodium, graine);
  for (let k = 0; k < 3; k++) {
    assert.deepEqual(alea.scalaire(), I.hacherEnScalaire(sodium, "isoloir/v1/alea", graine, k));
  }
  const systeme = I.AleaSysteme(sodium);
  assert.notDeepEqual(systeme.scalaire(), systeme.scalaire());
});

test("reduced-scalar and point checks", () => {
  assert.ok(I.estScalaireCanonique(sodium, new Uint8Array(32)));
  const moinsUn = I.depuisHex(L_HEX);
  moinsUn[0] -= 1;
  assert.ok(I.estScalaireCanonique(sodium, moinsUn));
  assert.ok(!I.estScalaireCanonique(sodium, I.depuisHex(L_HEX)));
  assert.ok(!I.estScalaireCanonique(sodium, new Uint8Array(32).fill(255)));
  assert.ok(!I.estPoint(sodium, new Uint8Array(32)), "the identity is no point here");
  assert.ok(!I.estPoint(sodium, new Uint8Array(32).fill(255)));
  assert.ok(I.estPoint(sodium, sodium.crypto_scalarmult_ristretto255_base(I.scalaireDeEntier(1))));
});

test("canonical JSON: sorted keys, no spaces, ASCII escapes as Python's ensure_ascii", () => {
  assert.equal(I.jsonCanonique({ b: 1, a: [true, null, "x"] }, true), '{"a":[true,null,"x"],"b":1}');
  assert.equal(I.jsonCanonique("é\u007f😀\n\"", true), '"\\u00e9\\u007f\\ud83d\\ude00\\n\\""');
  assert.equal(I.jsonCanonique("é😀", false), '"é😀"');
  assert.throws(() => I.jsonCanonique(1.5, true), TypeError);
});

test("manifest: fingerprint over the exact bytes, fields read", () => {
  const { cle, texte, manifeste } = scrutinDeTest(sodium);
  assert.equal(manifeste.texte, texte);
  assert.deepEqual(manifeste.empreinte, sodium.crypto_generichash(32, utf8(texte), null));
  assert.equal(manifeste.scrutin, "csa-men");
  assert.deepEqual(manifeste.clePublique, cle.Y);
  assert.deepEqual(manifeste.choix, SIGLES.slice(0, 3));
  assert.equal(manifeste.origineCle, "developpement");
  assert.deepEqual(I.lireManifeste(sodium, utf8(texte)).empreinte, manifeste.empreinte, "bytes or text alike");
  // One manifest, one writing, one fingerprint: a change the JSON does not see is refused.
  assert.throws(() => I.lireManifeste(sodium, texte + " "), { code: "manifeste" });
});

test("manifest: what the booth cannot vote on is refused", () => {
  const { cle } = scrutinDeTest(sodium);
  const refus = (texte) => assert.throws(() => I.lireManifeste(sodium, texte), { code: "manifeste" });
  refus("pas du json");
  refus(texteManifeste(cle.Y, { version: 2 }));
  refus(texteManifeste(cle.Y, { origine_cle: "autre" }));
  refus(texteManifeste(cle.Y, { choix: [] }));
  refus(texteManifeste(cle.Y, { cle_publique: "00".repeat(32) }));
  refus(texteManifeste(cle.Y, { cle_publique: I.versHex(cle.Y).toUpperCase() }));
  refus(texteManifeste(cle.Y, { en_trop: 1 }));
  refus(new Uint8Array([0xff, 0xfe]));
  refus(texteManifeste(cle.Y, { choix: ["FSU", "Vote blanc"] }));
  refus(texteManifeste(cle.Y, { choix: ["Vote blanc", ""] }));
  refus(texteManifeste(cle.Y, { scrutin: "csa men" }));
  refus(texteManifeste(cle.Y, { campagne: "" }));
  refus(texteManifeste(cle.Y, { cloture: "2026-11-31T16:00:00Z" }));
  refus(texteManifeste(cle.Y, { cloture: "2026-12-08T16:00:60Z" }));
  refus(texteManifeste(cle.Y, { ouverture: "2026-12-01T09:00:00+01:00" }));
  const texte = texteManifeste(cle.Y);
  refus(texte.replace('"version":1}', '"version":1.0}'));
  refus(texte.replace('{"campagne":"ep2026",', '{"campagne":"ep2026","campagne":"ep2026",'));
  refus(JSON.stringify(JSON.parse(texte), null, 1));
  refus(texte.replace('"choix":', '"choix" :'));
  assert.equal(I.lireManifeste(sodium, texteManifeste(cle.Y, { cloture: "2028-02-29T23:59:59Z" })).cloture, "2028-02-29T23:59:59Z");
});

test("a ballot: canonical, verifies, its tracker, one ciphertext per choice", () => {
  const { manifeste } = scrutinDeTest(sodium);
  for (let choix = 0; choix < 3; choix++) {
    const bulletin = I.creerBulletin(sodium, manifeste, choix, I.AleaSysteme(sodium));
    const lu = I.verifierBulletin(sodium, bulletin, manifeste);
    assert.equal(lu.canonique, bulletin, "the booth writes the canonical form");
    assert.equal(lu.traceur, I.traceur(sodium, bulletin));
    assert.match(lu.traceur, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(
      lu.traceur,
      Buffer.from(sodium.crypto_hash_sha256(utf8(bulletin))).toString("base64url"),
    );
    assert.deepEqual(Object.keys(JSON.parse(bulletin)), ["choix", "election", "preuve_somme", "scrutin", "version"]);
    assert.match(bulletin, /^[\x20-\x7e]+$/);
    assert.equal(JSON.parse(bulletin).election, I.versHex(manifeste.empreinte));
  }
});

test("the seed fixes the ballot; the draws are r₀…r_{k−1}, then (wⱼ, c̄ⱼ, s̄ⱼ)ⱼ, then w", () => {
  const { cle, manifeste } = scrutinDeTest(sodium);
  const graine = utf8("bulletin");
  const a = I.creerBulletin(sodium, manifeste, 1, I.AleaDeterministe(sodium, graine));
  assert.equal(I.creerBulletin(sodium, manifeste, 1, I.AleaDeterministe(sodium, graine)), a);
  const alea = I.AleaDeterministe(sodium, graine);
  I.creerBulletin(sodium, manifeste, 1, alea);
  assert.equal(alea.tirages, 3 + 3 * 3 + 1);

  // Rebuild the ciphertexts and the simulated branches from the draws by hand.
  const tirages = [];
  const rejoue = I.AleaDeterministe(sodium, graine);
  for (let i = 0; i < 13; i++) tirages.push(rejoue.scalaire());
  const donnees = JSON.parse(a);
  for (let j = 0; j < 3; j++) {
    const chiffre = I.chiffrer(sodium, cle.Y, j === 1 ? 1 : 0, tirages[j]);
    assert.equal(donnees.choix[j].alpha, I.versHex(chiffre.alpha));
    assert.equal(donnees.choix[j].beta, I.versHex(chiffre.beta));
    const [cBarre, sBarre] = [tirages[3 + 3 * j + 1], tirages[3 + 3 * j + 2]];
    const simulee = j === 1 ? "0" : "1"; // the branch m̄ carries c̄ and s̄ as drawn
    assert.equal(donnees.choix[j].preuve["c" + simulee], I.versHex(cBarre));
    assert.equal(donnees.choix[j].preuve["s" + simulee], I.versHex(sBarre));
  }
});

test("ElGamal: β = r·Y for m = 0, B + r·Y for m = 1; sums decrypt to the counts", () => {
  const { cle, manifeste } = scrutinDeTest(sodium);
  const r = I.AleaSysteme(sodium).scalaire();
  const rY = sodium.crypto_scalarmult_ristretto255(r, cle.Y);
  const B = sodium.crypto_scalarmult_ristretto255_base(I.scalaireDeEntier(1));
  assert.deepEqual(I.chiffrer(sodium, cle.Y, 0, r).beta, rY);
  assert.deepEqual(I.chiffrer(sodium, cle.Y, 1, r).beta, sodium.crypto_core_ristretto255_add(B, rY));
  assert.equal(I.dechiffrer(sodium, cle.x, I.chiffrer(sodium, cle.Y, 5, r), 10), 5);

  const votes = [0, 2, 2, 1, 2, 0, 2];
  const urne = votes.map((j) => I.verifierBulletin(sodium, I.creerBulletin(sodium, manifeste, j, I.AleaSysteme(sodium)), manifeste));
  const decompte = [0, 1, 2].map((j) => I.dechiffrer(sodium, cle.x, I.somme(sodium, urne.map((b) => b.chiffres[j])), votes.length));
  assert.deepEqual(decompte, [2, 1, 4]);
  assert.throws(() => I.dechiffrer(sodium, cle.x, I.chiffrer(sodium, cle.Y, 12, r), 10), RangeError);
  // Σ α = identity (r and −r): x·α cannot be computed, the count still can.
  const moinsR = sodium.crypto_core_ristretto255_scalar_sub(new Uint8Array(32), r);
  const oppose = I.somme(sodium, [I.chiffrer(sodium, cle.Y, 1, r), I.chiffrer(sodium, cle.Y, 2, moinsR)]);
  assert.deepEqual(oppose.alpha, new Uint8Array(32));
  assert.equal(I.dechiffrer(sodium, cle.x, oppose, 10), 3);
  for (const n of [0, 1, 3, 4, 15, 16, 17, 99, 100]) {
    const point = n === 0 ? new Uint8Array(32) : sodium.crypto_scalarmult_ristretto255_base(I.scalaireDeEntier(n));
    assert.equal(I.logarithmeDiscret(sodium, point, 100), n);
  }
});

test("every refusal code of § 5.4", () => {
  const { cle, manifeste } = scrutinDeTest(sodium);
  const bulletin = I.creerBulletin(sodium, manifeste, 2, I.AleaDeterministe(sodium, utf8("refus")));
  const code = (texte, m = manifeste) => codeDeRefus(sodium, texte, m);
  const autreScalaire = I.versHex(I.scalaireDeEntier(7));
  const autrePoint = I.versHex(sodium.crypto_scalarmult_ristretto255_base(I.scalaireDeEntier(7)));
  const cas = {
    format: [
      "{",
      "[]",
      "null",
      alterer(bulletin, (b) => { b.en_trop = 1; }),
      alterer(bulletin, (b) => { delete b.preuve_somme; }),
      alterer(bulletin, (b) => { b.version = 2; }),
      alterer(bulletin, (b) => { b.version = "1"; }),
      alterer(bulletin, (b) => { b.version = true; }),
      alterer(bulletin, (b) => { b.election = b.election.toUpperCase(); }),
      alterer(bulletin, (b) => { b.election = b.election.slice(2); }),
      alterer(bulletin, (b) => { b.scrutin = 3; }),
      alterer(bulletin, (b) => { b.choix = {}; }),
      alterer(bulletin, (b) => { b.choix[0].preuve.c2 = b.choix[0].preuve.c0; }),
      alterer(bulletin, (b) => { delete b.choix[1].beta; }),
      alterer(bulletin, (b) => { b.choix[1].alpha = "zz" + b.choix[1].alpha.slice(2); }),
      alterer(bulletin, (b) => { b.preuve_somme.s = 5; }),
      alterer(bulletin, (b) => { b.choix[2] = null; }),
    ],
    election: [alterer(bulletin, (b) => { b.election = "00".repeat(32); })],
    scrutin: [alterer(bulletin, (b) => { b.scrutin = "csa-autre"; })],
    nombre_de_choix: [
      alterer(bulletin, (b) => { b.choix.pop(); }),
      alterer(bulletin, (b) => { b.choix.push(b.choix[0]); }),
      alterer(bulletin, (b) => { b.choix = []; }),
    ],
    point: [
      alterer(bulletin, (b) => { b.choix[0].alpha = "00".repeat(32); }),
      alterer(bulletin, (b) => { b.choix[2].beta = "ff".repeat(32); }),
      alterer(bulletin, (b) => { b.choix[1].beta = "01" + "00".repeat(31); }),
    ],
    scalaire: [
      alterer(bulletin, (b) => { b.choix[0].preuve.c0 = L_HEX; }),
      alterer(bulletin, (b) => { b.choix[2].preuve.s1 = "ff".repeat(32); }),
      alterer(bulletin, (b) => { b.preuve_somme.c = L_HEX; }),
    ],
    preuve_choix: [
      alterer(bulletin, (b) => { b.choix[0].preuve.s0 = autreScalaire; }),
      alterer(bulletin, (b) => { [b.choix[1].preuve.c0, b.choix[1].preuve.c1] = [b.choix[1].preuve.c1, b.choix[1].preuve.c0]; }),
      alterer(bulletin, (b) => { b.choix[2].alpha = autrePoint; }),
      alterer(bulletin, (b) => { [b.choix[0], b.choix[1]] = [b.choix[1], b.choix[0]]; }),
    ],
    preuve_somme: [alterer(bulletin, (b) => { b.preuve_somme.s = autreScalaire; })],
  };
  for (const [attendu, textes] of Object.entries(cas)) {
    for (const texte of textes) assert.equal(code(texte), attendu, texte.slice(0, 300));
  }
  // The same ballot against another manifest: another election (E differs first).
  const autre = I.lireManifeste(sodium, texteManifeste(cle.Y, { cloture: "2026-12-09T16:00:00Z" }));
  assert.equal(code(bulletin, autre), "election");
  // Whitespace is no reason to refuse: the server rewrites the canonical form.
  const espace = JSON.stringify(JSON.parse(bulletin), null, 2);
  assert.equal(I.verifierBulletin(sodium, espace, manifeste).canonique, bulletin);
  const erreur = (() => { try { I.verifierBulletin(sodium, "{", manifeste); } catch (e) { return e; } })();
  assert.ok(erreur instanceof Error);
  assert.equal(erreur.code, "format");
});

// A cheating booth: valid 0/1 proofs on every ciphertext, but not exactly one 1.
function bulletinTricheur(sodium, manifeste, valeurs, alea) {
  const { clePublique: Y, empreinte: E, scrutin: sigma } = manifeste;
  const B = sodium.crypto_scalarmult_ristretto255_base(I.scalaireDeEntier(1));
  const r = valeurs.map(() => alea.scalaire());
  const chiffres = valeurs.map((m, j) => I.chiffrer(sodium, Y, m, r[j]));
  const S = new Uint8Array(64 * valeurs.length);
  chiffres.forEach((c, j) => { S.set(c.alpha, 64 * j); S.set(c.beta, 64 * j + 32); });
  const sub = sodium.crypto_core_ristretto255_sub;
  const mul = sodium.crypto_scalarmult_ristretto255;
  const mulB = sodium.crypto_scalarmult_ristretto255_base;
  const choix = valeurs.map((m, j) => {
    const [w, cb, sb] = [alea.scalaire(), alea.scalaire(), alea.scalaire()];
    const { alpha, beta } = chiffres[j];
    const betaMoins = m === 1 ? beta : sub(beta, B); // β − m̄·B
    // With c̄ = 0 the simulated commitments are s̄·B and s̄·Y (0·α cannot be computed).
    const sim = cb.every((o) => o === 0)
      ? { A: mulB(sb), C: mul(sb, Y) }
      : { A: sub(mulB(sb), mul(cb, alpha)), C: sub(mul(sb, Y), mul(cb, betaMoins)) };
    const reel = { A: mulB(w), C: mul(w, Y) };
    const [e0, e1] = m === 0 ? [reel, sim] : [sim, reel];
    const c = I.hacherEnScalaire(sodium, "isoloir/v1/preuve-01", E, sigma, Y, S, j, alpha, beta, e0.A, e0.C, e1.A, e1.C);
    const cr = sodium.crypto_core_ristretto255_scalar_sub(c, cb);
    const sr = sodium.crypto_core_ristretto255_scalar_add(w, sodium.crypto_core_ristretto255_scalar_mul(cr, r[j]));
    const [c0, c1, s0, s1] = m === 0 ? [cr, cb, sr, sb] : [cb, cr, sb, sr];
    return { alpha: I.versHex(alpha), beta: I.versHex(beta), preuve: { c0: I.versHex(c0), c1: I.versHex(c1), s0: I.versHex(s0), s1: I.versHex(s1) } };
  });
  // A sum proof as an honest booth would make it, for a sum that is not 1.
  let R = r[0];
  for (const rj of r.slice(1)) R = sodium.crypto_core_ristretto255_scalar_add(R, rj);
  const w = alea.scalaire();
  const [A, C] = [mulB(w), mul(w, Y)];
  const c = I.hacherEnScalaire(sodium, "isoloir/v1/preuve-somme", E, sigma, Y, S, A, C);
  const s = sodium.crypto_core_ristretto255_scalar_add(w, sodium.crypto_core_ristretto255_scalar_mul(c, R));
  return I.jsonCanonique({ choix, election: I.versHex(E), preuve_somme: { c: I.versHex(c), s: I.versHex(s) }, scrutin: sigma, version: 1 }, true);
}

test("two choices, or none: every 0/1 proof holds, the sum proof fails", () => {
  const { manifeste } = scrutinDeTest(sodium);
  const alea = I.AleaSysteme(sodium);
  assert.equal(codeDeRefus(sodium, bulletinTricheur(sodium, manifeste, [0, 1, 0], alea), manifeste), null, "the cheater's code is right");
  assert.equal(codeDeRefus(sodium, bulletinTricheur(sodium, manifeste, [0, 1, 1], alea), manifeste), "preuve_somme");
  assert.equal(codeDeRefus(sodium, bulletinTricheur(sodium, manifeste, [0, 0, 0], alea), manifeste), "preuve_somme");
  // A 2 cannot even get a 0/1 proof.
  assert.equal(codeDeRefus(sodium, bulletinTricheur(sodium, manifeste, [0, 2, 0], alea), manifeste), "preuve_choix");
});

test("the proofs bind the scrutin and the election", () => {
  const { cle, manifeste } = scrutinDeTest(sodium);
  const bulletin = I.creerBulletin(sodium, manifeste, 1, I.AleaSysteme(sodium));
  // The same key on another scrutin: relabelling the ballot breaks its proofs.
  const autre = I.lireManifeste(sodium, texteManifeste(cle.Y, { scrutin: "csa-autre" }));
  const relabel = alterer(bulletin, (b) => { b.scrutin = "csa-autre"; b.election = I.versHex(autre.empreinte); });
  assert.equal(codeDeRefus(sodium, relabel, autre), "preuve_choix");
});

test("canonical ASCII even for a non-ASCII scrutin, though the manifest refuses one", () => {
  const { manifeste } = scrutinDeTest(sodium);
  const bulletin = I.creerBulletin(sodium, { ...manifeste, scrutin: "cap-éducation" }, 0, I.AleaSysteme(sodium));
  assert.match(bulletin, /"scrutin":"cap-\\u00e9ducation"/);
  const { cle } = scrutinDeTest(sodium);
  assert.throws(() => I.lireManifeste(sodium, texteManifeste(cle.Y, { scrutin: "cap-éducation" })), { code: "manifeste" });
});

test("a single choice (blank only) and seven choices", () => {
  for (const n of [1, 7]) {
    const { manifeste } = scrutinDeTest(sodium, { choix: SIGLES.slice(0, n) });
    const bulletin = I.creerBulletin(sodium, manifeste, n - 1, I.AleaSysteme(sodium));
    assert.equal(I.verifierBulletin(sodium, bulletin, manifeste).canonique, bulletin);
    assert.throws(() => I.creerBulletin(sodium, manifeste, n, I.AleaSysteme(sodium)), RangeError);
  }
});

test("public board: sorted trackers, chained statements", () => {
  const [a, b, c] = ["b", "A", "a"].map((x) => x.repeat(43));
  const t = [a, b, c];
  const lignes = ["isoloir/v1/tableau", "csa-men", "3", b, c, a].join("\n");
  const attendu = I.versHex(sodium.crypto_hash_sha256(utf8(lignes)));
  assert.equal(I.empreinteTableau(sodium, "csa-men", t), attendu);
  assert.deepEqual(t, [a, b, c], "the caller's list is left alone");
  assert.throws(() => I.empreinteTableau(sodium, "csa-men", ["court"]), TypeError);
  assert.throws(() => I.releve(sodium, null, 2, attendu), RangeError);
  assert.throws(() => I.releve(sodium, attendu, 1, attendu), RangeError);
  assert.throws(() => I.releve(sodium, null, 1, "0".repeat(63)), TypeError);
  assert.equal(I.releve.length, 4, "sodium, precedent, numero, empreinte: never the number of ballots");
  assert.equal(
    I.releve(sodium, null, 1, attendu),
    I.versHex(sodium.crypto_hash_sha256(utf8(["0".repeat(64), "1", attendu].join("\n")))),
  );
});

test("the plain-script path: global IsoloirCrypto, same ballot as through require()", async () => {
  const page = await chargerPageIsoloir();
  const G = page.IsoloirCrypto;
  assert.deepEqual(Object.keys(G).sort(), Object.keys(I).sort());
  const { texte } = scrutinDeTest(sodium);
  const graine = utf8("page");
  const manifestePage = G.lireManifeste(page.sodium, texte);
  const parPage = G.creerBulletin(page.sodium, manifestePage, 1, G.AleaDeterministe(page.sodium, graine));
  const parModule = I.creerBulletin(sodium, I.lireManifeste(sodium, texte), 1, I.AleaDeterministe(sodium, graine));
  assert.equal(parPage, parModule);
});

test("lireManifeste(texte) and traceur(canonique) alone use the page's ready `sodium`", async () => {
  const page = await chargerPageIsoloir();
  const G = page.IsoloirCrypto;
  const { texte } = scrutinDeTest(sodium);
  const manifeste = G.lireManifeste(texte);
  assert.deepEqual(manifeste.empreinte, I.lireManifeste(sodium, texte).empreinte);
  const bulletin = G.creerBulletin(page.sodium, manifeste, 0, new G.AleaSysteme(page.sodium));
  assert.equal(G.traceur(bulletin), I.traceur(sodium, bulletin));
  // Under Node there is no global sodium: the call says what is missing.
  assert.throws(() => I.lireManifeste(texte), /pass the sodium object/);
});

test("strict JSON: what JSON.parse lets through is an error; floats are not integers", () => {
  for (const texte of ['{"a":1,"a":2}', "[1,]", '{"a":1,}', "NaN", "Infinity", "1 2", "01", '"\u0001"', "\ufeff{}", "[".repeat(40) + "]".repeat(40)]) {
    assert.throws(() => I.lireJson(texte), SyntaxError, JSON.stringify(texte));
  }
  const lu = I.lireJson(' {"__proto__":1,"v":[1,1.0,1e0,-0,"\\u0063"]}\n');
  assert.deepEqual(Object.keys(lu), ["__proto__", "v"]);
  assert.equal(lu.v[0], 1);
  assert.notEqual(typeof lu.v[1], "number");
  assert.notEqual(typeof lu.v[2], "number");
  assert.equal(lu.v[4], "c");
});

test("the strict reader bounds its input: 64 KiB, UTF-8, text", () => {
  const { manifeste } = scrutinDeTest(sodium);
  const bulletin = I.creerBulletin(sodium, manifeste, 1, I.AleaSysteme(sodium));
  assert.equal(I.verifierBulletin(sodium, utf8(bulletin), manifeste).canonique, bulletin, "bytes are read as UTF-8");
  const long = bulletin.replace("{", "{" + " ".repeat(I.TAILLE_MAXIMALE));
  assert.equal(codeDeRefus(sodium, long, manifeste), "format");
  assert.equal(codeDeRefus(sodium, new Uint8Array([0x7b, 0xff, 0x7d]), manifeste), "format");
  assert.equal(codeDeRefus(sodium, bulletin.replace('"csa-men"', '"csa-men\ud800"'), manifeste), "format");
  assert.equal(codeDeRefus(sodium, 42, manifeste), "format");
});

test("a zero challenge is refused, as the server does (protocol v1: no identity along the way)", () => {
  // A simulated branch with c̄ = 0 is a sound proof, but checking it needs 0·α, which
  // libsodium refuses: both implementations refuse the ballot (vector refus/defi-nul).
  const { manifeste } = scrutinDeTest(sodium);
  const alea = I.AleaSysteme(sodium);
  let tirage = 0;
  const cBarreNul = { scalaire: () => (tirage++ === 3 + 1 ? new Uint8Array(32) : alea.scalaire()) }; // r₀ r₁ r₂ w₀ c̄₀
  const bulletin = bulletinTricheur(sodium, manifeste, [0, 0, 1], cBarreNul);
  assert.equal(JSON.parse(bulletin).choix[0].preuve.c1, "00".repeat(32));
  assert.equal(codeDeRefus(sodium, bulletin, manifeste), "preuve_choix");
  // The booth itself never writes one: libsodium refuses 0·α while proving.
  tirage = 0;
  assert.throws(() => I.creerBulletin(sodium, manifeste, 2, cBarreNul), I.OperationImpossible);
});
