// Keeps the "Je vote" countdown current without reloading the page. The server renders
// the same figures first, so the page is complete without JavaScript. The visually hidden
// sentence is what screen readers read; it changes at most once a minute.
(function () {
  "use strict";
  const minuteur = document.querySelector("[data-echeance]");
  if (!minuteur) {
    return;
  }
  const echeance = Date.parse(minuteur.dataset.echeance);
  const champs = {
    jours: minuteur.querySelector("[data-unite=jours]"),
    heures: minuteur.querySelector("[data-unite=heures]"),
    minutes: minuteur.querySelector("[data-unite=minutes]"),
  };
  const phrase = document.getElementById(minuteur.dataset.phrase);
  const prefixe = minuteur.dataset.prefixe;

  function pluriel(n, mot) {
    return n + " " + mot + (n > 1 ? "s" : "");
  }

  function rafraichir() {
    const reste = Math.max(0, Math.floor((echeance - Date.now()) / 60000));
    const jours = Math.floor(reste / 1440);
    const heures = Math.floor((reste % 1440) / 60);
    const minutes = reste % 60;
    champs.jours.textContent = String(jours).padStart(2, "0");
    champs.heures.textContent = String(heures).padStart(2, "0");
    champs.minutes.textContent = String(minutes).padStart(2, "0");
    if (phrase) {
      phrase.textContent = prefixe + " " + pluriel(jours, "jour") + ", " +
        pluriel(heures, "heure") + " et " + pluriel(minutes, "minute") + ".";
    }
    if (reste === 0) {
      // The phase changed (opening or closing): reload to show the new state.
      window.setTimeout(function () { window.location.reload(); }, 2000);
      return;
    }
    window.setTimeout(rafraichir, 1000 * (60 - new Date().getSeconds()));
  }
  rafraichir();
})();
