// Times the booth's ballot creation and the strict reading under Node, with the vendored
// libsodium loaded as the browser loads it (WebAssembly). A measure, not a test:
//
//   node bench/isoloir_node.mjs [ITERATIONS]
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chargerSodium, IsoloirCrypto: I } = require("../tests/js/charger.js");
const { SIGLES, texteManifeste } = require("../tests/js/outils.js");

const iterations = Number(process.argv[2] ?? 50);

function mesurer(faire, n) {
  faire(); // warm-up: JIT, first allocations
  const temps = [];
  for (let i = 0; i < n; i++) {
    const debut = process.hrtime.bigint();
    faire();
    temps.push(Number(process.hrtime.bigint() - debut) / 1e6);
  }
  temps.sort((a, b) => a - b);
  return { mediane: temps[Math.floor(n / 2)], min: temps[0], max: temps[n - 1] };
}

const ms = (x) => x.toFixed(1).padStart(7) + " ms";

console.log(`Node ${process.version}, libsodium.js WebAssembly, 7 choices, ${iterations} runs`);
const debut = process.hrtime.bigint();
const sodium = await chargerSodium();
console.log(`load + ready      ${ms(Number(process.hrtime.bigint() - debut) / 1e6)}`);
const { Y } = I.genererCle(sodium, I.AleaSysteme(sodium));
const manifeste = I.lireManifeste(sodium, texteManifeste(Y, { choix: SIGLES.slice(0, 7) }));
let bulletin;
const creation = mesurer(() => {
  bulletin = I.creerBulletin(sodium, manifeste, 3, I.AleaSysteme(sodium));
}, iterations);
const lecture = mesurer(() => I.verifierBulletin(sodium, bulletin, manifeste), iterations);
for (const [nom, t] of [["creerBulletin", creation], ["verifierBulletin", lecture]]) {
  console.log(`${nom.padEnd(17)} median ${ms(t.mediane)}  (min ${ms(t.min)}, max ${ms(t.max)})`);
}
