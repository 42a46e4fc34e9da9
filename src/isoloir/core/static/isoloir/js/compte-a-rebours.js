// Keeps the "Je vote" countdown current without reloading the page. The server renders
// the same figures first, so the page is complete without JavaScript.
//
// Time is the server's: the page carries the server's "now", and the offset to the
// browser's clock is applied, so a visitor whose computer is wrong sees the right count.
// The visually hidden sentence is a polite live region, rewritten at most once an hour so
// that screen readers announce the countdown without talking over the page every minute.
(function () {
  "use strict";
  const minuteur = document.querySelector("[data-echeance]");
  if (!minuteur) {
    return;
  }
  const echeance = Date.parse(minuteur.dataset.echeance);
  const decalage = Date.parse(minuteur.dataset.maintenant) - Date.now();
  const champs = {
    jours: minuteur.querySelector("[data-unite=jours]"),
    heures: minuteur.querySelector("[data-unite=heures]"),
    minutes: minuteur.querySelector("[data-unite=minutes]"),
  };
  const phrase = document.getElementById(minuteur.dataset.phrase);
  const prefixe = minuteur.dataset.prefixe;
  let heureAnnoncee = null;

  function pluriel(n, mot) {
    return n + " " + mot + (n > 1 ? "s" : "");
  }

  function rafraichir() {
    const maintenant = Date.now() + decalage;
    const reste = Math.max(0, Math.floor((echeance - maintenant) / 60000));
    const jours = Math.floor(reste / 1440);
    const heures = Math.floor((reste % 1440) / 60);
    const minutes = reste % 60;
    champs.jours.textContent = String(jours).padStart(2, "0");
    champs.heures.textContent = String(heures).padStart(2, "0");
    champs.minutes.textContent = String(minutes).padStart(2, "0");
    if (phrase && heureAnnoncee !== null && heureAnnoncee !== jours * 24 + heures) {
      phrase.textContent = prefixe + " " + pluriel(jours, "jour") + ", " +
        pluriel(heures, "heure") + " et " + pluriel(minutes, "minute") + ".";
    }
    heureAnnoncee = jours * 24 + heures;
    if (maintenant >= echeance) {
      // The phase changed (opening or closing). Reload once, a few seconds after the
      // deadline by the server's clock, spread so that every open page does not ask at
      // the same second.
      window.setTimeout(function () { window.location.reload(); }, 2000 + Math.random() * 8000);
      return;
    }
    const prochaineMinute = 60000 - (maintenant % 60000);
    window.setTimeout(rafraichir, Math.min(prochaineMinute, echeance - maintenant) + 50);
  }
  rafraichir();
})();
