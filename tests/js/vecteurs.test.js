// The shared vectors (tests/vecteurs/protocole-v1.json, written by
// `python -m tests.vecteurs.protocole`) through isoloir-crypto.js and the vendored
// libsodium: the booth must write the server's bytes and refuse what it refuses.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const { VECTEURS, chargerSodium, IsoloirCrypto: I } = require("./charger.js");

const vecteurs = JSON.parse(fs.readFileSync(VECTEURS, "utf8"));
const hex = I.depuisHex;

let sodium;
test.before(async () => {
  sodium = await chargerSodium();
});

function manifeste(texte) {
  return I.lireManifeste(sodium, texte);
}

test("the file is protocol version 1 and every section is known here", () => {
  assert.equal(vecteurs.version, 1);
  assert.deepEqual(Object.keys(vecteurs).sort(), [
    "acceptes", "alea", "bulletins", "chiffrement", "cle", "description", "hachage",
    "manifeste", "refus", "refus_json", "releves", "somme", "tableau", "version",
  ]);
});

test("hachage: enc of each part, the hashed message, Hs", () => {
  assert.ok(vecteurs.hachage.length > 0);
  for (const v of vecteurs.hachage) {
    const parties = v.parties.map((p) => {
      const partie = p.type === "octets" ? hex(p.hex) : p.valeur;
      assert.ok(["octets", "texte", "entier"].includes(p.type), p.type);
      assert.equal(typeof partie, { octets: "object", texte: "string", entier: "number" }[p.type]);
      assert.equal(I.versHex(I.encoderPartie(partie)), p.hex);
      return partie;
    });
    assert.equal(I.versHex(I.messageHache(v.etiquette, ...parties)), v.message);
    assert.equal(I.versHex(I.hacherEnScalaire(sodium, v.etiquette, ...parties)), v.scalaire);
  }
});

test("alea: the first three draws of a seed", () => {
  for (const v of vecteurs.alea) {
    const alea = I.AleaDeterministe(sodium, hex(v.graine));
    assert.deepEqual(v.scalaires.map(() => I.versHex(alea.scalaire())), v.scalaires);
  }
});

test("cle: seed → x, Y", () => {
  for (const v of vecteurs.cle) {
    const cle = I.genererCle(sodium, I.AleaDeterministe(sodium, hex(v.graine)));
    assert.equal(I.versHex(cle.x), v.x);
    assert.equal(I.versHex(cle.Y), v.Y);
  }
});

test("chiffrement: (Y, m, r) → (α, β), and back with x", () => {
  for (const v of vecteurs.chiffrement) {
    const chiffre = I.chiffrer(sodium, hex(v.Y), v.m, hex(v.r));
    assert.equal(I.versHex(chiffre.alpha), v.alpha, "m = " + v.m);
    assert.equal(I.versHex(chiffre.beta), v.beta, "m = " + v.m);
    assert.equal(I.dechiffrer(sodium, hex(v.x), chiffre, Math.max(v.m, 1)), v.m);
  }
});

test("manifeste: text → E, and the booth reads every field back", () => {
  for (const v of vecteurs.manifeste) {
    const m = manifeste(v.texte);
    assert.equal(I.versHex(m.empreinte), v.empreinte, v.nom);
    const p = v.parametres;
    assert.equal(m.scrutin, p.scrutin);
    assert.deepEqual(m.choix, p.choix);
    assert.equal(I.versHex(m.clePublique), p.cle_publique);
    assert.equal(m.origineCle, p.origine_cle);
    assert.equal(m.campagne, p.campagne);
    assert.equal(m.intitule, p.intitule);
    // The manifest writes its window in UTC; the parameters may carry any offset.
    assert.equal(new Date(m.ouverture).getTime(), new Date(p.ouverture).getTime());
    assert.equal(new Date(m.cloture).getTime(), new Date(p.cloture).getTime());
  }
});

test("bulletins: the same bytes from the same seed, the same tracker", () => {
  for (const v of vecteurs.bulletins) {
    const m = manifeste(v.manifeste);
    const bulletin = I.creerBulletin(sodium, m, v.choix, I.AleaDeterministe(sodium, hex(v.graine)));
    assert.equal(bulletin, v.bulletin, m.scrutin + " choix " + v.choix);
    assert.equal(I.traceur(sodium, bulletin), v.traceur);
    const lu = I.verifierBulletin(sodium, v.bulletin, m);
    assert.equal(lu.canonique, v.bulletin);
    assert.equal(lu.traceur, v.traceur);
    assert.equal(I.versHex(lu.alpha0), JSON.parse(v.bulletin).choix[0].alpha);
  }
});

for (const section of ["refus", "refus_json"]) {
  test(section + ": each altered ballot gets its code", async (t) => {
    assert.ok(vecteurs[section].length > 0);
    for (const v of vecteurs[section]) {
      await t.test(v.nom + " → " + v.code, () => {
        assert.throws(() => I.verifierBulletin(sodium, v.bulletin, manifeste(v.manifeste)), (erreur) => {
          assert.ok(erreur instanceof I.ErreurBulletin, erreur.stack);
          assert.equal(erreur.code, v.code, erreur.message);
          return true;
        });
      });
    }
  });
}

test("refus: every code of § 5.4 appears", () => {
  assert.deepEqual([...new Set(vecteurs.refus.map((v) => v.code))].sort(), [...I.CODES].sort());
});

test("acceptes: non-canonical writings are rewritten canonically", () => {
  for (const v of vecteurs.acceptes) {
    const lu = I.verifierBulletin(sodium, v.bulletin, manifeste(v.manifeste));
    assert.equal(lu.canonique, v.canonique);
    assert.equal(lu.traceur, v.traceur);
  }
});

test("somme: the homomorphic sum of the ballots, decrypted with x", () => {
  for (const v of vecteurs.somme) {
    const m = manifeste(v.manifeste);
    const lus = v.bulletins.map((b) => I.verifierBulletin(sodium, b, m));
    const sommes = m.choix.map((_, j) => I.somme(sodium, lus.map((lu) => lu.chiffres[j])));
    assert.deepEqual(sommes.map((s) => ({ alpha: I.versHex(s.alpha), beta: I.versHex(s.beta) })), v.chiffres);
    assert.deepEqual(sommes.map((s) => I.dechiffrer(sodium, hex(v.x), s, v.maximum)), v.decompte);
  }
});

test("tableau and releves: the board's fingerprint and its chained statements", () => {
  for (const v of vecteurs.tableau) {
    assert.equal(I.empreinteTableau(sodium, v.scrutin, v.traceurs), v.empreinte);
    assert.equal(I.empreinteTableau(sodium, v.scrutin, v.traceurs.slice().reverse()), v.empreinte);
  }
  for (const v of vecteurs.releves) {
    assert.ok(!("nombre" in v), "the number of ballots is not part of a statement");
    assert.equal(I.releve(sodium, v.precedent, v.numero, v.empreinte), v.releve);
  }
});
