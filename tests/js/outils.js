// Shared helpers of the Node tests: a manifest like the server's, ballot surgery.
"use strict";

const { IsoloirCrypto: I } = require("./charger.js");

const SIGLES = ["Vote blanc", "FSU", "UNSA", "SNALC", "SGEN-CFDT", "FO", "CGT"];

/** The manifest text (canonical, UTF-8, non-ASCII left as is) of a scrutin keyed by Y. */
function texteManifeste(Y, remplacer = {}) {
  return I.jsonCanonique({
    campagne: "ep2026",
    choix: SIGLES.slice(0, 3),
    cle_publique: I.versHex(Y),
    cloture: "2026-12-08T16:00:00Z",
    intitule: "CSA ministériel",
    origine_cle: "developpement",
    ouverture: "2026-12-01T08:00:00Z",
    scrutin: "csa-men",
    version: 1,
    ...remplacer,
  }, false);
}

/** A key from a fixed seed, its manifest, read. */
function scrutinDeTest(sodium, remplacer = {}) {
  const cle = I.genererCle(sodium, I.AleaDeterministe(sodium, new TextEncoder().encode("clé de test")));
  const texte = texteManifeste(cle.Y, remplacer);
  return { cle, texte, manifeste: I.lireManifeste(sodium, texte) };
}

/** Parses a ballot, lets `modifier` change it in place, writes it back canonically. */
function alterer(bulletin, modifier) {
  const donnees = JSON.parse(bulletin);
  modifier(donnees);
  return JSON.stringify(donnees);
}

/** Expects verifierBulletin to refuse `texte` with `code`. */
function codeDeRefus(sodium, texte, manifeste) {
  try {
    I.verifierBulletin(sodium, texte, manifeste);
  } catch (erreur) {
    if (erreur instanceof I.ErreurBulletin) return erreur.code;
    throw erreur;
  }
  return null;
}

module.exports = { SIGLES, texteManifeste, scrutinDeTest, alterer, codeDeRefus };
