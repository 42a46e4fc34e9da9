// The threshold vectors (tests/vecteurs/seuil-v1.json, written by
// `python -m tests.vecteurs.seuil`) through isoloir-seuil.js and the vendored
// libsodium: the key holder's browser tool must write the bytes seuil.py writes, judge
// as it judges, refuse what it refuses, and open the vaults coffre.py writes.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { RACINE, VENDOR, SCRIPTS, STATIC, contexteNavigateur, executer, chargerSodium, IsoloirCrypto: I } = require("./charger.js");

const FICHIER_SEUIL = path.join(RACINE, "src", "isoloir", "counting", "static", "counting", "isoloir-seuil.js");
const S = require(FICHIER_SEUIL);
const vecteurs = JSON.parse(fs.readFileSync(path.join(RACINE, "tests", "vecteurs", "seuil-v1.json"), "utf8"));
const hex = I.depuisHex;
const J = S.versJson;

let sodium;
test.before(async () => {
  sodium = await chargerSodium();
});

/** Gives back the scalars it is given, in order. */
function aleaFixe(...scalaires) {
  return { scalaire: () => scalaires.shift() };
}

function plusUn(s) {
  return sodium.crypto_core_ristretto255_scalar_add(s, I.scalaireDeEntier(1));
}

/** Recomputes a ceremony from its seeds; every step compared with the file. */
function ceremonie(v) {
  const t = v.seuil;
  const n = v.nombre;
  const privees = [];
  const cles = [];
  for (const c of v.communication) {
    const paire = S.genererCleCommunication(sodium, I.AleaDeterministe(sodium, hex(c.graine)));
    assert.equal(I.versHex(paire.z), c.z);
    assert.equal(I.versHex(paire.Z), c.Z);
    privees.push(paire.z);
    cles.push(paire.Z);
  }
  const ctx = S.contexte(sodium, v.identifiant, t, cles);
  assert.deepEqual(J(ctx), v.contexte);
  assert.equal(I.versHex(ctx.empreinte), v.empreinte_contexte);
  assert.deepEqual(J(S.lireContexte(sodium, v.contexte)), v.contexte);

  const distributions = v.distributions.map((vd) => {
    const alea = I.AleaDeterministe(sodium, hex(vd.graine));
    let d = S.distribuer(sodium, ctx, vd.detenteur, alea);
    assert.equal(alea.tirages, t + 1 + n);
    const tirages = vd.tirages.map(hex);
    const verif = I.AleaDeterministe(sodium, hex(vd.graine));
    assert.deepEqual(tirages.map(() => I.versHex(verif.scalaire())), vd.tirages);
    for (let j = 1; j <= n; j++) {
      assert.equal(I.versHex(S.evaluerPolynome(sodium, tirages.slice(0, t), j)), vd.parts_claires[j - 1]);
    }
    const a = vd.alteration;
    if (a !== null) {
      const parts = d.parts.slice();
      if (a.nature === "valeur") {
        assert.equal(I.versHex(plusUn(hex(vd.parts_claires[a.destinataire - 1]))), a.part);
        const e = tirages[t + 1 + (a.destinataire - 1)];
        parts[a.destinataire - 1] = S.chiffrerPart(sodium, ctx, vd.detenteur, a.destinataire, hex(a.part), aleaFixe(e));
      } else {
        assert.equal(a.nature, "chiffre");
        const chiffre = parts[a.destinataire - 1].chiffre.slice();
        chiffre[a.position] ^= 1;
        parts[a.destinataire - 1] = { ...parts[a.destinataire - 1], chiffre };
      }
      d = { ...d, parts };
    }
    assert.deepEqual(J(d), vd.distribution, "distribution " + vd.detenteur);
    assert.ok(S.verifierDistribution(sodium, ctx, d));
    assert.deepEqual(J(S.lireDistribution(vd.distribution)), vd.distribution);
    return d;
  });

  const receptions = v.receptions.map((vr) => {
    const r = S.recevoir(sodium, ctx, vr.detenteur, privees[vr.detenteur - 1], distributions, I.AleaDeterministe(sodium, hex(vr.graine)));
    const parts = {};
    for (const [i, s] of r.parts) parts[String(i)] = I.versHex(s);
    assert.deepEqual(parts, vr.parts);
    assert.deepEqual(J(r.plaintes), vr.plaintes);
    assert.deepEqual(r.rejetees, vr.rejetees);
    return r;
  });
  const plaintes = receptions.flatMap((r) => r.plaintes);
  for (const vs of v.plaintes_supplementaires) {
    const p = S.lirePlainte(vs.plainte);
    const part = distributions[p.accuse - 1].parts[p.plaignant - 1];
    let q = S.porterPlainte(sodium, ctx, part, privees[p.plaignant - 1], I.AleaDeterministe(sodium, hex(vs.graine)));
    if (vs.forgee) q = { ...q, preuve: { c: q.preuve.c, s: plusUn(q.preuve.s) } };
    assert.deepEqual(J(q), vs.plainte);
    plaintes.push(q);
  }
  assert.equal(plaintes.length, v.plaintes.length);
  v.plaintes.forEach((vp, k) => {
    assert.deepEqual(J(plaintes[k]), vp.plainte);
    const lue = S.lirePlainte(vp.plainte);
    assert.equal(S.plainteFondee(sodium, ctx, distributions[lue.accuse - 1], lue), vp.fondee, "plainte " + k);
  });
  assert.deepEqual(S.qualifies(sodium, ctx, distributions, plaintes), v.qualifies);

  const cle = S.etablirCle(sodium, ctx, distributions, plaintes);
  assert.deepEqual(J(cle), v.cle);
  assert.equal(I.versHex(cle.cle_publique), v.cle_publique);
  assert.equal(I.versHex(cle.empreinte), v.empreinte_cle);
  assert.equal(I.versHex(S.lireCle(sodium, v.cle).empreinte), v.empreinte_cle);
  for (let j = 1; j <= n; j++) {
    assert.equal(I.versHex(S.cleDeVerification(sodium, cle, j)), v.cles_de_verification[j - 1]);
  }
  const x = {};
  v.receptions.forEach((vr, k) => {
    x[vr.detenteur] = S.cleDeDetenteur(sodium, cle, receptions[k]);
    assert.equal(I.versHex(x[vr.detenteur]), vr.cle_de_detenteur);
  });
  return { ctx, privees, distributions, plaintes, cle, x };
}

test("the file is version 1 and every section is known here", () => {
  assert.equal(vecteurs.version, 1);
  assert.deepEqual(Object.keys(vecteurs).sort(), ["ceremonies", "coffres", "coffres_refus", "description", "refus", "scellements", "version"]);
  assert.deepEqual(vecteurs.ceremonies.map((c) => [c.seuil, c.nombre]), [[2, 3], [3, 5]]);
});

for (const v of vecteurs.ceremonies) {
  test("ceremony " + v.nom + ": keys, distributions, receptions, complaints, key, tally", () => {
    const c = ceremonie(v);
    const dep = v.depouillement;
    const manifeste = I.lireManifeste(sodium, dep.manifeste);
    assert.equal(I.versHex(manifeste.clePublique), v.cle_publique);
    assert.equal(manifeste.origineCle, "ceremonie");
    const lus = dep.bulletins.map((b) => {
      const texte = I.creerBulletin(sodium, manifeste, b.choix, I.AleaDeterministe(sodium, hex(b.graine)));
      assert.equal(texte, b.bulletin);
      return I.verifierBulletin(sodium, texte, manifeste);
    });
    const chiffres = manifeste.choix.map((_, k) => I.somme(sodium, lus.map((lu) => lu.chiffres[k])));
    assert.deepEqual(J(chiffres), dep.chiffres);
    assert.deepEqual(J(S.lireChiffres(dep.chiffres)), dep.chiffres);

    const parts = dep.parts.map((vp, k) => {
      const j = k + 1;
      const p = S.dechiffrerPartiellement(sodium, c.cle, j, c.x[j], chiffres, I.AleaDeterministe(sodium, hex(vp.graine)));
      assert.deepEqual(J(p), vp.part, "holder " + j);
      assert.ok(S.verifierPartDechiffrement(sodium, c.cle, chiffres, S.lirePartDechiffrement(vp.part)));
      return p;
    });
    for (const vc of dep.combinaisons) {
      const choisies = vc.detenteurs.map((j) => parts[j - 1]);
      vc.detenteurs.forEach((j, k) => {
        assert.equal(I.versHex(S.coefficientLagrange(sodium, vc.detenteurs, j)), vc.lagrange[k]);
      });
      chiffres.forEach((chiffre, k) => {
        const facteurs = new Map(choisies.map((p) => [p.detenteur, p.facteurs[k].facteur]));
        assert.equal(I.versHex(S.combinerFacteurs(sodium, chiffre, facteurs)), vc.points[k]);
      });
      assert.deepEqual(S.combiner(sodium, c.cle, chiffres, choisies, dep.maximum), vc.decomptes);
      assert.deepEqual(vc.decomptes, dep.decomptes);
    }

    // The transcript's fingerprint, rebuilt from the pieces (JSON canonique, ASCII).
    const transcription = {
      cle_publique: v.cle_publique,
      contexte: v.contexte,
      depouillements: [{
        chiffres: dep.chiffres,
        decomptes: dep.decomptes,
        parts: dep.combinaisons[0].detenteurs.map((j) => dep.parts[j - 1].part),
      }],
      distributions: v.distributions.map((d) => d.distribution),
      plaintes: v.plaintes.map((p) => p.plainte),
      qualifies: v.qualifies,
      version: 1,
    };
    const texte = I.jsonCanonique(transcription, true);
    assert.equal(I.versHex(sodium.crypto_hash_sha256(new TextEncoder().encode(texte))), v.transcription_sha256);
  });
}

test("the (2,3) ceremony is the one of protocol-seuil.md § 11", () => {
  const v = vecteurs.ceremonies[0];
  assert.equal(v.empreinte_contexte, "ad949de237de20f9659bee3da885f72d2fd94e189d6a52d02a9c89508b11ce3a");
  assert.equal(v.cle_publique, "002feba76a2043579a83cb3966d1c2d954d293a3d42dac5bc9b26c73abfd7841");
  assert.equal(v.empreinte_cle, "be2c277638b1236c73bd215c76378352258c68964b14826cb84b8ffb61993883");
});

test("refus: each altered input gets the expected outcome", () => {
  const types = new Set();
  for (const r of vecteurs.refus) {
    types.add(r.type);
    if (r.type === "part") {
      const engagements = r.engagements.map(hex);
      assert.equal(S.verifierPart(sodium, engagements, r.destinataire, hex(r.part)), r.valide, r.nom);
    } else if (r.type === "part_chiffree") {
      const ctx = S.lireContexte(sodium, r.contexte);
      const part = S.lirePartChiffree(r.part);
      assert.equal(r.valide, false);
      assert.throws(() => S.dechiffrerPart(sodium, ctx, part, hex(r.z)), S.PartIndechiffrable, r.nom);
    } else if (r.type === "distribution") {
      const ctx = S.lireContexte(sodium, r.contexte);
      assert.equal(S.verifierDistribution(sodium, ctx, S.lireDistribution(r.distribution)), r.valide, r.nom);
    } else if (r.type === "dechiffrement") {
      const cle = S.lireCle(sodium, r.cle);
      const ok = S.verifierPartDechiffrement(sodium, cle, S.lireChiffres(r.chiffres), S.lirePartDechiffrement(r.part));
      assert.equal(ok, r.valide, r.nom);
    } else {
      assert.equal(r.type, "combinaison");
      const cle = S.lireCle(sodium, r.cle);
      const parts = r.parts.map((p) => S.lirePartDechiffrement(p));
      assert.throws(() => S.combiner(sodium, cle, S.lireChiffres(r.chiffres), parts, r.maximum), (erreur) => {
        assert.ok(erreur instanceof S.DechiffrementRefuse, r.nom);
        assert.equal(erreur.code, r.code, r.nom);
        assert.equal(erreur.detenteur, r.detenteur, r.nom);
        return true;
      });
    }
  }
  assert.deepEqual([...types].sort(), ["combinaison", "dechiffrement", "distribution", "part", "part_chiffree"]);
});

test("coffres: the vault of coffre.py, byte for byte, and opened", () => {
  for (const v of vecteurs.coffres) {
    const c = v.coffre;
    assert.equal(I.versHex(S.phraseEnOctets(v.phrase)), v.phrase_octets);
    assert.equal(I.versHex(S.donneesAssocieesCoffre(c.operations, c.memoire, hex(c.sel))), v.donnees_associees);
    assert.equal(I.versHex(S.deriverCle(sodium, v.phrase, hex(c.sel), c.operations, c.memoire)), v.cle);
    const ecrit = S.chiffrerSecret(sodium, hex(v.secret), v.phrase, {
      operations: c.operations, memoire: c.memoire, sel: hex(c.sel), nonce: hex(c.nonce),
    });
    assert.deepEqual(ecrit, c, v.nom);
    assert.equal(I.versHex(S.dechiffrerSecret(sodium, c, v.phrase)), v.secret);
    assert.equal(I.versHex(S.dechiffrerSecret(sodium, JSON.stringify(c), v.phrase.normalize("NFC"))), v.secret);
  }
});

test("coffres_refus: a wrong passphrase, an altered or malformed vault", () => {
  for (const r of vecteurs.coffres_refus) {
    assert.throws(() => S.dechiffrerSecret(sodium, r.coffre, r.phrase), (erreur) => {
      assert.ok(erreur instanceof S.ErreurCoffre, r.nom);
      assert.equal(erreur.code, r.code, r.nom);
      return true;
    });
  }
});

test("a vault with drawn salt and nonce opens, and only with its passphrase", () => {
  const secret = sodium.randombytes_buf(32);
  const c = S.chiffrerSecret(sodium, secret, "phrase de passe du président");
  assert.equal(c.operations, S.COFFRE.OPERATIONS);
  assert.equal(c.memoire, S.COFFRE.MEMOIRE);
  assert.deepEqual(S.dechiffrerSecret(sodium, c, "phrase de passe du président"), secret);
  assert.notEqual(S.chiffrerSecret(sodium, secret, "phrase de passe du président").sel, c.sel);
  assert.throws(() => S.dechiffrerSecret(sodium, c, "phrase de passe du president"), S.ErreurCoffre);
  assert.throws(() => S.chiffrerSecret(sodium, secret, ""), TypeError);
  assert.throws(() => S.chiffrerSecret(sodium, secret, "x", { operations: 1 }), S.ErreurCoffre);
});

/** A whole (2,3) ceremony and tally in JS with the system's randomness. */
function ceremonieAuHasard(sodium, S, I) {
  const alea = I.AleaSysteme(sodium);
  const paires = [1, 2, 3].map(() => S.genererCleCommunication(sodium, alea));
  const ctx = S.contexte(sodium, "ep2026/bureau-essai-js", 2, paires.map((p) => p.Z));
  const distributions = [1, 2, 3].map((i) => S.distribuer(sodium, ctx, i, alea));
  distributions.forEach((d) => assert.ok(S.verifierDistribution(sodium, ctx, d)));
  const receptions = [1, 2, 3].map((j) => S.recevoir(sodium, ctx, j, paires[j - 1].z, distributions, alea));
  receptions.forEach((r) => assert.equal(r.plaintes.length, 0));
  const cle = S.etablirCle(sodium, ctx, distributions, []);
  assert.deepEqual(cle.indices, [1, 2, 3]);
  const x = receptions.map((r) => S.cleDeDetenteur(sodium, cle, r));
  // Ballots under Y, summed, decrypted by every pair of holders.
  const m = I.lireManifeste(sodium, I.jsonCanonique({
    campagne: "ep2026", choix: ["Vote blanc", "FSU", "UNSA"], cle_publique: I.versHex(cle.cle_publique),
    cloture: "2026-12-08T16:00:00Z", intitule: "Essai", origine_cle: "ceremonie",
    ouverture: "2026-12-01T08:00:00Z", scrutin: "essai", version: 1,
  }, false));
  const choix = [2, 1, 2, 2, 0];
  const lus = choix.map((k) => I.verifierBulletin(sodium, I.creerBulletin(sodium, m, k, alea), m));
  const chiffres = [0, 1, 2].map((k) => I.somme(sodium, lus.map((lu) => lu.chiffres[k])));
  const parts = [1, 2, 3].map((j) => S.dechiffrerPartiellement(sodium, cle, j, x[j - 1], chiffres, alea));
  parts.forEach((p) => assert.ok(S.verifierPartDechiffrement(sodium, cle, chiffres, p)));
  for (const S2 of [[0, 1], [0, 2], [1, 2], [0, 1, 2]]) {
    assert.deepEqual(S.combiner(sodium, cle, chiffres, S2.map((k) => parts[k]), choix.length), [1, 1, 3]);
  }
  assert.throws(() => S.combiner(sodium, cle, chiffres, [parts[0]], choix.length), S.DechiffrementRefuse);
  // The holder's secrets survive a vault round trip; the public messages a JSON one.
  const coffre = S.chiffrerSecret(sodium, x[0], "une phrase");
  assert.deepEqual(S.dechiffrerSecret(sodium, JSON.stringify(coffre), "une phrase"), x[0]);
  const relue = S.lireDistribution(JSON.parse(JSON.stringify(S.versJson(distributions[0]))));
  assert.ok(S.verifierDistribution(sodium, ctx, relue));
  return cle;
}

test("a full (2,3) ceremony and decryption in JS verifies in JS", () => {
  ceremonieAuHasard(sodium, S, I);
});

test("a holder who gets a bad share complains, and the dealer is out", () => {
  const alea = I.AleaSysteme(sodium);
  const paires = [1, 2, 3].map(() => S.genererCleCommunication(sodium, alea));
  const ctx = S.contexte(sodium, "ep2026/bureau-essai-js", 2, paires.map((p) => p.Z));
  const distributions = [1, 2, 3].map((i) => S.distribuer(sodium, ctx, i, alea));
  const d = distributions[1];
  const parts = d.parts.slice();
  parts[2] = S.chiffrerPart(sodium, ctx, 2, 3, sodium.crypto_core_ristretto255_scalar_random(), alea);
  distributions[1] = { ...d, parts };
  const r3 = S.recevoir(sodium, ctx, 3, paires[2].z, distributions, alea);
  assert.deepEqual(r3.plaintes.map((p) => p.accuse), [2]);
  assert.ok(S.plainteFondee(sodium, ctx, distributions[1], r3.plaintes[0]));
  const cle = S.etablirCle(sodium, ctx, distributions, r3.plaintes);
  assert.deepEqual(cle.indices, [1, 3]);
  assert.equal(I.versHex(S.cleDeDetenteur(sodium, cle, r3)).length, 64);
});

test("loaded as plain scripts after isoloir-crypto.js, it defines the global IsoloirSeuil", async () => {
  const page = contexteNavigateur();
  await executer(page, SCRIPTS.map((s) => path.join(VENDOR, s)).concat([path.join(STATIC, "isoloir-crypto.js"), FICHIER_SEUIL]));
  await page.sodium.ready;
  assert.equal(typeof page.IsoloirSeuil.distribuer, "function");
  const v = vecteurs.ceremonies[0];
  const Sp = page.IsoloirSeuil;
  const ctx = Sp.lireContexte(page.sodium, v.contexte);
  const d = Sp.distribuer(page.sodium, ctx, 1, page.IsoloirCrypto.AleaDeterministe(page.sodium, hex(v.distributions[0].graine)));
  assert.equal(JSON.stringify(Sp.versJson(d)), JSON.stringify(S.versJson(S.lireDistribution(v.distributions[0].distribution))));
});

// --- Seal signatures (§ 14) -------------------------------------------------------------

test("scellements: the content's fingerprint and every holder's signature, byte for byte", () => {
  const v = vecteurs.scellements;
  const cle = S.lireCle(sodium, v.cle);
  assert.equal(I.versHex(cle.empreinte), v.empreinte_cle);
  assert.equal(I.jsonCanonique(v.contenu, false), v.contenu_canonique);
  const empreinte = S.empreinteDuContenu(sodium, v.contenu);
  assert.equal(I.versHex(empreinte), v.empreinte);
  assert.deepEqual(v.signatures.map((s) => s.detenteur), [1, 2, 3]);
  for (const vs of v.signatures) {
    const j = vs.detenteur;
    assert.equal(I.versHex(S.cleDeVerification(sodium, cle, j)), vs.Y);
    const alea = I.AleaDeterministe(sodium, hex(vs.graine));
    const signature = S.signerScellement(sodium, cle, j, hex(vs.x), empreinte, alea);
    assert.equal(alea.tirages, 1);
    assert.deepEqual(J(signature), vs.signature, "holder " + j);
    assert.equal(I.versHex(S.defiScellement(sodium, cle, j, hex(vs.Y), signature.engagement, empreinte)), vs.defi);
    // What seuil.py wrote verifies here, read strictly from its JSON.
    assert.ok(S.verifierSignatureScellement(sodium, cle, S.lireSignatureScellement(vs.signature), empreinte));
  }
});

test("scellements: the refused signatures are refused, the malformed ones unread", () => {
  const v = vecteurs.scellements;
  const cle = S.lireCle(sodium, v.cle);
  for (const r of v.refus) {
    assert.equal(r.valide, false);
    const ok = S.verifierSignatureScellement(sodium, cle, S.lireSignatureScellement(r.signature), hex(r.empreinte));
    assert.equal(ok, false, r.nom);
  }
  assert.ok(v.refus.length >= 8);
  for (const r of v.format) {
    assert.throws(() => S.lireSignatureScellement(r.objet), S.FormatInvalide, r.nom);
  }
});

test("scellements: a holder signs with x_j, only its own share, and only that message", () => {
  const v = vecteurs.scellements;
  const cle = S.lireCle(sodium, v.cle);
  const x = v.signatures.map((s) => hex(s.x));
  const alea = I.AleaSysteme(sodium);
  const m = sodium.randombytes_buf(32);
  for (let j = 1; j <= 3; j++) {
    const s = S.signerScellement(sodium, cle, j, x[j - 1], m, alea);
    assert.ok(S.verifierSignatureScellement(sodium, cle, s, m));
    assert.ok(S.verifierSignatureScellement(sodium, cle, S.lireSignatureScellement(JSON.parse(JSON.stringify(J(s)))), m));
    const autre = m.slice();
    autre[0] ^= 1;
    assert.equal(S.verifierSignatureScellement(sodium, cle, s, autre), false);
    assert.equal(S.verifierSignatureScellement(sodium, cle, { ...s, detenteur: (j % 3) + 1 }, m), false);
    assert.equal(S.verifierSignatureScellement(sodium, cle, { ...s, reponse: plusUn(s.reponse) }, m), false);
  }
  assert.throws(() => S.signerScellement(sodium, cle, 2, x[0], m, alea), RangeError);
  assert.throws(() => S.signerScellement(sodium, cle, 1, x[0], "pas des octets", alea), TypeError);
});
