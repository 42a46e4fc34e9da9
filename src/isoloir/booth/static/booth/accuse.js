/*
 * On the receipt page: compare the tracker the server returns with the one this browser
 * computed from the ballot it encrypted, and say so.
 */
(function () {
  "use strict";
  var attendu = null;
  try {
    attendu = window.sessionStorage.getItem("isoloir-traceur");
    window.sessionStorage.removeItem("isoloir-traceur");
  } catch (e) { return; }
  if (!attendu) { return; }
  var recu = document.getElementById("traceur").textContent.trim();
  var zone = document.getElementById("controle-traceur");
  zone.classList.remove("fr-sr-only");
  zone.classList.add(attendu === recu ? "fr-message--valid" : "fr-message--error", "fr-message");
  zone.textContent = attendu === recu
    ? "Contrôle : ce traceur est bien celui que votre navigateur a calculé en chiffrant votre bulletin."
    : "Attention : ce traceur diffère de celui que votre navigateur a calculé. Signalez-le à l'assistance.";
})();
