// "Nouvelle image" of the CAPTCHA (isoloir_captcha/_captcha.html), JavaScript version: a new
// challenge comes from django-simple-captcha's refresh view and replaces the image, the
// audio and the hidden key in place, so that what the voter typed elsewhere stays. Without
// JavaScript the page shows a link that reloads it instead; here the link gives way to a
// button, which (unlike a submit button) Enter never presses.
//
// The change is announced in a polite live region: the image changes silently otherwise,
// and a screen reader user would not know whether the click did anything.
(function () {
  "use strict";

  function preparer(bloc) {
    const lien = bloc.querySelector("[data-captcha-sans-js]");
    const bouton = bloc.querySelector("[data-captcha-rafraichir]");
    const image = bloc.querySelector("[data-captcha-image]");
    const audio = bloc.querySelector("[data-captcha-audio]");
    const lienAudio = bloc.querySelector("[data-captcha-lien-audio]");
    const cle = bloc.querySelector("[data-captcha-cle]");
    const reponse = bloc.querySelector("[data-captcha-reponse]");
    const annonce = bloc.querySelector("[data-captcha-annonce]");
    if (!lien || !bouton || !image || !cle || !annonce) {
      return;
    }
    let enCours = false;

    function annoncer(message) {
      // Emptied first, then filled a moment later: the same sentence twice in a row is
      // otherwise not announced again.
      annonce.textContent = "";
      window.setTimeout(function () { annonce.textContent = message; }, 150);
    }

    // Announced once the new image is there, not when it is asked for.
    let imageAttendue = false;
    image.addEventListener("load", function () {
      if (imageAttendue) {
        imageAttendue = false;
        annoncer("Nouvelle image chargée." + (audio ? " La version audio a aussi changé." : ""));
      }
    });
    image.addEventListener("error", function () {
      if (imageAttendue) {
        imageAttendue = false;
        annoncer("La nouvelle image n’a pas pu être affichée. Réessayez.");
      }
    });

    function remplacer(defi) {
      imageAttendue = true;
      if (image.hasAttribute("srcset")) {
        // The library's double-size image lives at the same address with "@2" before
        // the final slash (captcha/urls.py); its refresh view does not return it.
        image.srcset = defi.image_url + " 1x, " + defi.image_url.replace(/\/$/, "@2/") + " 2x";
      }
      image.src = defi.image_url;
      cle.value = defi.key;
      if (audio && defi.audio_url) {
        // Setting src stops and resets the player. No load(): Chromium would then fetch
        // the file at once despite preload="none", and the server would synthesise
        // speech nobody asked to hear.
        audio.src = defi.audio_url;
        if (lienAudio) {
          lienAudio.href = defi.audio_url;
        }
      }
      if (reponse) {
        // The old answer cannot match the new challenge.
        reponse.value = "";
      }
    }

    bouton.addEventListener("click", function () {
      if (enCours) {
        return;
      }
      enCours = true;
      bouton.setAttribute("aria-busy", "true");
      fetch(bloc.dataset.urlRafraichir, {
        headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      })
        .then(function (reponseHttp) {
          if (!reponseHttp.ok) {
            throw new Error("HTTP " + reponseHttp.status);
          }
          return reponseHttp.json();
        })
        .then(remplacer)
        .catch(function () {
          annoncer("La nouvelle image n’a pas pu être chargée. Réessayez.");
        })
        .finally(function () {
          enCours = false;
          bouton.removeAttribute("aria-busy");
        });
    });

    lien.classList.add("fr-hidden");
    bouton.classList.remove("fr-hidden");
  }

  document.querySelectorAll("[data-captcha]").forEach(preparer);
})();
