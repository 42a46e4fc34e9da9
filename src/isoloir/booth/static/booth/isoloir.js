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
  var etatEnvoi = document.getElementById("etat-envoi");
  var boutonModifier = document.getElementById("bouton-modifier");
  var erreurChoix = document.getElementById("choix-erreur");
  var formulaire = document.getElementById("envoi-bulletin");
  var champBulletin = document.getElementById("bulletin");
  var boutonValider = document.getElementById("bouton-valider");
  var texteManifeste = JSON.parse(document.getElementById("manifeste").textContent);
  var radios = Array.prototype.slice.call(document.querySelectorAll("input[data-indice]"));

  // Shown to everyone and read out (role="status"): the encryption takes a moment, and
  // a failure must be seen, not only heard.
  function montrerEtat(message, erreur) {
    etatEnvoi.hidden = false;
    etatEnvoi.classList.toggle("fr-alert--info", !erreur);
    etatEnvoi.classList.toggle("fr-alert--error", !!erreur);
    etatEnvoi.setAttribute("role", erreur ? "alert" : "status");
    etatEnvoi.firstElementChild.textContent = message;
  }

  function bloquerLesBoutons(bloques) {
    // aria-disabled keeps the focus on the button, where disabled would drop it.
    [boutonValider, boutonModifier].forEach(function (bouton) {
      bouton.setAttribute("aria-disabled", bloques ? "true" : "false");
    });
  }

  function boutonsBloques() {
    return boutonValider.getAttribute("aria-disabled") === "true";
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

  boutonModifier.addEventListener("click", function () {
    if (boutonsBloques()) { return; }  // the ballot is being encrypted and sent
    etatEnvoi.hidden = true;
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
    if (!coche || boutonsBloques()) { return; }
    bloquerLesBoutons(true);
    montrerEtat("Chiffrement de votre bulletin en cours, veuillez patienter…", false);
    pret.then(function (manifeste) {
      var sodium = window.sodium;
      var indice = parseInt(coche.getAttribute("data-indice"), 10);
      // What the voter confirmed must be what the manifest calls this choice: the
      // ballot's position i is the manifest's i-th label, whatever the page displays.
      if (manifeste.choix[indice] !== coche.getAttribute("data-sigle")) {
        throw new Error("page et manifeste divergent");
      }
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
      montrerEtat("Bulletin chiffré. Envoi de votre vote…", false);
      formulaire.submit();
    }).catch(function () {
      bloquerLesBoutons(false);
      montrerEtat(
        "Le chiffrement de votre bulletin a échoué ; rien n'a été envoyé. Rechargez la " +
        "page et votez de nouveau.", true
      );
    });
  });

  etapeChoix.hidden = false;
})();
