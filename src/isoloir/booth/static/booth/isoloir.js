/*
 * The voting booth of one scrutin (docs/protocol.md): step 1 the choice, step 2 its
 * confirmation, then the ballot is encrypted here, in the browser, and only the
 * encrypted ballot is posted. The radios live outside the form: the choice in clear
 * never leaves this page.
 */
(function () {
  "use strict";

  var etapeChoix = document.getElementById("etape-choix");
  var etapeConfirmation = document.getElementById("etape-confirmation");
  var annonce = document.getElementById("annonce-isoloir");
  var erreurChoix = document.getElementById("choix-erreur");
  var formulaire = document.getElementById("envoi-bulletin");
  var champBulletin = document.getElementById("bulletin");
  var boutonValider = document.getElementById("bouton-valider");
  var texteManifeste = JSON.parse(document.getElementById("manifeste").textContent);
  var radios = Array.prototype.slice.call(document.querySelectorAll("input[data-indice]"));

  function annoncer(message) {
    // Emptied first, so that the same message twice is still read out.
    annonce.textContent = "";
    window.setTimeout(function () { annonce.textContent = message; }, 50);
  }

  function montrer(etape, titre) {
    etapeChoix.hidden = etape !== etapeChoix;
    etapeConfirmation.hidden = etape !== etapeConfirmation;
    document.getElementById(titre).focus();
  }

  function choixCoche() {
    for (var i = 0; i < radios.length; i++) {
      if (radios[i].checked) { return radios[i]; }
    }
    return null;
  }

  function signalerAucunChoix() {
    erreurChoix.innerHTML = "";
    var message = document.createElement("p");
    message.className = "fr-message fr-message--error";
    message.textContent = "Choisissez une liste de candidats ou le vote blanc pour continuer.";
    erreurChoix.appendChild(message);
    document.getElementById("choix").classList.add("fr-fieldset--error");
    radios[0].focus();
  }

  document.getElementById("bouton-continuer").addEventListener("click", function () {
    var coche = choixCoche();
    if (!coche) { signalerAucunChoix(); return; }
    erreurChoix.innerHTML = "";
    document.getElementById("choix").classList.remove("fr-fieldset--error");
    document.getElementById("choix-retenu").textContent = coche.getAttribute("data-libelle");
    montrer(etapeConfirmation, "titre-confirmation");
  });

  document.getElementById("bouton-modifier").addEventListener("click", function () {
    montrer(etapeChoix, "titre-choix");
    var coche = choixCoche();
    if (coche) { coche.focus(); }
  });

  if (typeof window.sodium === "undefined" || typeof window.IsoloirCrypto === "undefined") {
    // The encryption library did not load: say so rather than offer a vote that would fail.
    var alerte = document.createElement("div");
    alerte.className = "fr-alert fr-alert--error fr-mb-3w";
    alerte.setAttribute("role", "alert");
    alerte.innerHTML = '<h2 class="fr-alert__title">Le chiffrement est indisponible</h2>' +
      "<p>Votre navigateur n'a pas pu charger le module de chiffrement du bulletin. " +
      "Mettez-le à jour ou essayez un autre navigateur ; votre vote n'a pas été envoyé.</p>";
    etapeChoix.parentNode.insertBefore(alerte, etapeChoix);
    return;
  }

  var pret = window.sodium.ready.then(function () {
    return IsoloirCrypto.lireManifeste(window.sodium, texteManifeste);
  });

  formulaire.addEventListener("submit", function (evenement) {
    evenement.preventDefault();
    var coche = choixCoche();
    if (!coche || boutonValider.disabled) { return; }
    boutonValider.disabled = true;
    annoncer("Chiffrement de votre bulletin en cours, veuillez patienter.");
    pret.then(function (manifeste) {
      var sodium = window.sodium;
      var indice = parseInt(coche.getAttribute("data-indice"), 10);
      champBulletin.value = IsoloirCrypto.creerBulletin(
        sodium, manifeste, indice, IsoloirCrypto.AleaSysteme(sodium)
      );
      // The tracker computed here is kept for the receipt page to compare with the
      // server's: the voter then sees that the urne holds what this browser made.
      try {
        window.sessionStorage.setItem(
          "isoloir-traceur", IsoloirCrypto.traceur(sodium, champBulletin.value)
        );
      } catch (e) { /* private browsing: the comparison is only a convenience */ }
      annoncer("Bulletin chiffré. Envoi de votre vote.");
      formulaire.submit();
    }).catch(function () {
      boutonValider.disabled = false;
      annoncer("Le chiffrement de votre bulletin a échoué. Rechargez la page et réessayez.");
    });
  });

  etapeChoix.hidden = false;
})();
