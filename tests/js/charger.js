// Loads the vendored libsodium.js exactly as the browser does: the two UMD files run as
// plain scripts in a fresh global (a `vm` context with neither `module` nor `require`,
// so they take their browser branch and define the globals `libsodium` then `sodium`),
// one task each, as two <script src> tags do: the pending promise jobs run in between,
// which matters (see vendor.test.js). The context shares this realm's typed arrays, so
// that the Uint8Array it returns and the ones the tests build pass libsodium's
// `instanceof Uint8Array` checks.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const RACINE = path.resolve(__dirname, "..", "..");
const STATIC = path.join(RACINE, "src", "isoloir", "booth", "static", "booth");
const VENDOR = path.join(STATIC, "vendor", "libsodium");
const SCRIPTS = ["libsodium-sumo.js", "libsodium-wrappers-sumo.js"];
const VECTEURS = path.join(RACINE, "tests", "vecteurs", "protocole-v1.json");

function contexteNavigateur({ sansWasm = false } = {}) {
  const fenetre = {
    console,
    crypto: globalThis.crypto,
    TextEncoder,
    TextDecoder,
    setTimeout,
    clearTimeout,
    Uint8Array,
    Uint32Array,
    ArrayBuffer,
  };
  if (sansWasm) {
    // What a page whose CSP lacks 'wasm-unsafe-eval' gets: compiling WebAssembly from
    // bytes is refused (Chromium rejects WebAssembly.instantiate at once).
    const refus = () => Promise.reject(new WebAssembly.CompileError("refused by CSP (simulated)"));
    fenetre.WebAssembly = Object.create(WebAssembly, {
      instantiate: { value: refus },
      compile: { value: refus },
    });
  }
  fenetre.window = fenetre;
  fenetre.self = fenetre;
  return vm.createContext(fenetre);
}

/** Runs each file as a classic script, then lets the event loop turn before the next. */
async function executer(contexte, fichiers) {
  for (const fichier of fichiers) {
    vm.runInContext(fs.readFileSync(fichier, "utf8"), contexte, { filename: fichier });
    await new Promise((suite) => setTimeout(suite, 0));
  }
}

/** The `sodium` object of the vendored build, ready; and the page's global object. */
async function chargerPage(options, autres = []) {
  const contexte = contexteNavigateur(options);
  await executer(contexte, SCRIPTS.map((script) => path.join(VENDOR, script)).concat(autres));
  await contexte.sodium.ready;
  return contexte;
}

async function chargerSodium(options) {
  return (await chargerPage(options)).sodium;
}

/** Like chargerSodium, then isoloir-crypto.js as a plain script too: its global path. */
async function chargerPageIsoloir(options) {
  const page = await chargerPage(options, [path.join(STATIC, "isoloir-crypto.js")]);
  return { sodium: page.sodium, IsoloirCrypto: page.IsoloirCrypto };
}

const IsoloirCrypto = require(path.join(STATIC, "isoloir-crypto.js"));

module.exports = { RACINE, STATIC, VENDOR, VECTEURS, SCRIPTS, contexteNavigateur, executer, chargerSodium, chargerPageIsoloir, IsoloirCrypto };
