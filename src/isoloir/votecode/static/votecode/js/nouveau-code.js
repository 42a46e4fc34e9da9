// The new code de vote shows for 120 seconds, then leaves the page. The server has already
// forgotten it and the response is not stored, so once removed it cannot come back; the
// page's <meta http-equiv="refresh"> does the same without JavaScript.
// Screen readers hear the time left at 60, 30 and 10 seconds and when the code is gone.
(function () {
  "use strict";
  const bloc = document.getElementById("nouveau-code");
  if (!bloc) {
    return;
  }
  const total = Number(bloc.dataset.secondes);
  const fin = Date.now() + total * 1000;
  const reste = bloc.querySelector("[data-reste]");
  const annonce = bloc.querySelector("[data-annonce]");
  const copier = bloc.querySelector("[data-copier]");
  const paliers = new Set([60, 30, 10]);

  if (copier && navigator.clipboard) {
    copier.hidden = false;
    copier.addEventListener("click", function () {
      navigator.clipboard.writeText(copier.dataset.copier).then(function () {
        annonce.textContent = "Code copié dans le presse-papiers.";
      });
    });
  }

  function effacer() {
    bloc.innerHTML = "";
    const message = document.createElement("p");
    message.className = "fr-callout__text";
    message.setAttribute("role", "status");
    message.textContent = "Le délai de 120 secondes est écoulé : le code n'est plus affiché.";
    bloc.appendChild(message);
    window.location.replace(bloc.dataset.fin);
  }

  function battre() {
    const secondes = Math.max(0, Math.ceil((fin - Date.now()) / 1000));
    reste.textContent = String(secondes);
    if (paliers.has(secondes)) {
      paliers.delete(secondes);
      annonce.textContent = "Il reste " + secondes + " secondes pour noter le code.";
    }
    if (secondes === 0) {
      effacer();
      return;
    }
    window.setTimeout(battre, 250);
  }
  battre();
})();
