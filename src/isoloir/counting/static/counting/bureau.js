/*
 * The key holder's side of the bureau's screens (docs/protocol-seuil.md): everything that
 * touches a secret runs here, on the holder's own device, and only public messages are
 * posted. The holder keeps one secret, their communication key z_j, in a vault file
 * encrypted under their passphrase (§ 13); their key share x_j is recomputed from z_j and
 * the published distributions whenever it is needed, and never stored.
 *
 * Each form says what it computes with data-action; the page's public data (context,
 * distributions, key, fingerprint to sign, sums) is in the JSON script #donnees-bureau.
 */
(function () {
  "use strict";

  var donnees = JSON.parse(document.getElementById("donnees-bureau").textContent);
  var S = window.IsoloirSeuil;
  var I = window.IsoloirCrypto;
  var FORMAT_DU_FICHIER = "isoloir/v1/coffre-de-detenteur";
  var PHRASE_MINIMUM = 12;

  function Refus(message, champ) {
    this.message = message;
    this.champ = champ || null;
  }

  // Progress goes to the form's status region and errors to its alert region: both are
  // in the page, empty, from the start, so that screen readers announce what is written
  // in them (the vault's key derivation takes a second or two). Errors are also shown in
  // red, not only read out.
  function montrer(formulaire, message, erreur) {
    var etat = formulaire.querySelector("[id$='-etat'] p");
    var alerte = formulaire.querySelector("[id$='-erreur'] p");
    etat.textContent = erreur ? "" : message;
    alerte.textContent = erreur ? message : "";
    // DSFR's error style draws an icon: only beside an actual message.
    alerte.classList.toggle("fr-error-text", !!erreur);
    return alerte.parentElement;
  }

  function champ(formulaire, suffixe) {
    return formulaire.querySelector("[id$='-" + suffixe + "']");
  }

  function sodiumPret() {
    if (typeof window.sodium === "undefined" || !S || !I) {
      return Promise.reject(new Refus("Les outils de chiffrement n'ont pas pu être chargés : rechargez la page."));
    }
    return window.sodium.ready.then(function () { return window.sodium; });
  }

  function alea(sodium) {
    return I.AleaSysteme(sodium);
  }

  // --- The vault file ----------------------------------------------------------------

  function nomDuFichier() {
    return "coffre-" + donnees.bureau.replace(/[^a-z0-9-]+/gi, "-") + "-detenteur-" + donnees.indice + ".json";
  }

  function enregistrer(contenu) {
    var lien = document.createElement("a");
    lien.href = URL.createObjectURL(new Blob([contenu], { type: "application/json" }));
    lien.download = nomDuFichier();
    document.body.appendChild(lien);
    lien.click();
    lien.remove();
    setTimeout(function () { URL.revokeObjectURL(lien.href); }, 60000);
  }

  function lireLeFichier(formulaire) {
    var fichier = champ(formulaire, "coffre").files[0];
    if (!fichier) return Promise.reject(new Refus("Choisissez le fichier de votre coffre.", champ(formulaire, "coffre")));
    return fichier.text();
  }

  /** z_j from the vault file and the passphrase, checked against the key the file says
   * it holds. */
  function lireLeCoffre(sodium, formulaire, texte) {
    var phrase = champ(formulaire, "phrase").value;
    var fichier;
    try {
      fichier = JSON.parse(texte);
    } catch (e) {
      throw new Refus("Ce fichier n'est pas un coffre de détenteur Isoloir.", champ(formulaire, "coffre"));
    }
    if (!fichier || fichier.format !== FORMAT_DU_FICHIER || !fichier.coffre) {
      throw new Refus("Ce fichier n'est pas un coffre de détenteur Isoloir.", champ(formulaire, "coffre"));
    }
    if (fichier.bureau !== donnees.bureau || fichier.detenteur !== donnees.indice) {
      throw new Refus("Ce coffre est celui d'un autre détenteur ou d'un autre bureau de vote.", champ(formulaire, "coffre"));
    }
    if (!phrase) throw new Refus("Saisissez la phrase de passe de votre coffre.", champ(formulaire, "phrase"));
    var z;
    try {
      z = S.dechiffrerSecret(sodium, fichier.coffre, phrase);
    } catch (erreur) {
      if (erreur instanceof S.ErreurCoffre && erreur.code === "phrase_incorrecte") {
        throw new Refus("Phrase de passe incorrecte, ou fichier de coffre altéré.", champ(formulaire, "phrase"));
      }
      throw new Refus("Ce fichier de coffre est abîmé : il ne peut pas être lu.", champ(formulaire, "coffre"));
    }
    var Z = I.base(sodium, z);
    if (I.versHex(Z) !== fichier.cle_de_communication) {
      throw new Refus("Ce fichier de coffre est abîmé : il ne peut pas être lu.", champ(formulaire, "coffre"));
    }
    return { z: z, Z: Z };
  }

  /** z_j from the vault, checked against the key the holder published. */
  function ouvrirLeCoffre(sodium, formulaire, texte) {
    var lu = lireLeCoffre(sodium, formulaire, texte);
    var ctx = S.lireContexte(sodium, donnees.contexte);
    if (!I.egaux(lu.Z, S.cleCommunication(ctx, donnees.indice))) {
      throw new Refus("Ce coffre ne contient pas la clé que vous avez publiée.", champ(formulaire, "coffre"));
    }
    return { z: lu.z, ctx: ctx };
  }

  /** What holder j received at the ceremony, recomputed from z_j and the public data. */
  function reception(sodium, ouvert) {
    var distributions = donnees.distributions.map(function (d) { return S.lireDistribution(d); });
    return S.recevoir(sodium, ouvert.ctx, donnees.indice, ouvert.z, distributions, alea(sodium));
  }

  /** x_j, never stored: recomputed from the shares received and checked against Y_j. */
  function partDeCle(sodium, ouvert) {
    var cle = S.lireCle(sodium, donnees.cle);
    return { cle: cle, x: S.cleDeDetenteur(sodium, cle, reception(sodium, ouvert)) };
  }

  // --- The computations, one per form ---------------------------------------------------

  var calculs = {
    // Only on this device: the key is drawn and its vault saved; nothing is sent. The
    // key is published from the saved file (next form), so that no key goes out whose
    // vault was not saved.
    "creer-coffre": function (sodium, formulaire) {
      var phrase = champ(formulaire, "phrase").value;
      if (phrase.length < PHRASE_MINIMUM) {
        throw new Refus("La phrase de passe doit compter au moins " + PHRASE_MINIMUM + " caractères.", champ(formulaire, "phrase"));
      }
      if (phrase !== champ(formulaire, "confirmation").value) {
        throw new Refus("Les deux phrases de passe ne sont pas identiques.", champ(formulaire, "confirmation"));
      }
      var cle = S.genererCleCommunication(sodium, alea(sodium));
      enregistrer(JSON.stringify({
        format: FORMAT_DU_FICHIER,
        bureau: donnees.bureau,
        detenteur: donnees.indice,
        cle_de_communication: I.versHex(cle.Z),
        coffre: S.chiffrerSecret(sodium, cle.z, phrase),
      }, null, 2));
      return new Local(
        "Coffre enregistré sous le nom « " + nomDuFichier() + " ». Rouvrez-le ci-dessous pour publier votre clé.",
        document.getElementById("publication-coffre"));
    },
    "cle-de-communication": function (sodium, formulaire, texte) {
      return { cle: I.versHex(lireLeCoffre(sodium, formulaire, texte).Z) };
    },
    distribution: function (sodium) {
      var ctx = S.lireContexte(sodium, donnees.contexte);
      return S.versJson(S.distribuer(sodium, ctx, donnees.indice, alea(sodium)));
    },
    reception: function (sodium, formulaire, texte) {
      return reception(sodium, ouvrirLeCoffre(sodium, formulaire, texte)).plaintes.map(S.versJson);
    },
    signature: function (sodium, formulaire, texte) {
      var part = partDeCle(sodium, ouvrirLeCoffre(sodium, formulaire, texte));
      return S.versJson(S.signerScellement(sodium, part.cle, donnees.indice, part.x, I.depuisHex(donnees.empreinte), alea(sodium)));
    },
    part: function (sodium, formulaire, texte) {
      var part = partDeCle(sodium, ouvrirLeCoffre(sodium, formulaire, texte));
      var chiffres = S.lireChiffres(donnees.sommes);
      return S.versJson(S.dechiffrerPartiellement(sodium, part.cle, donnees.indice, part.x, chiffres, alea(sodium)));
    },
  };

  // The creation of the key and the distribution read no vault file.
  var sansFichier = { "creer-coffre": true, distribution: true };

  /** A computation whose outcome stays on this device: said, then the focus moves on. */
  function Local(message, suite) {
    this.message = message;
    this.suite = suite;
  }

  function traiter(formulaire, evenement) {
    evenement.preventDefault();
    if (formulaire.dataset.enCours === "oui") return;
    var action = formulaire.dataset.action;
    formulaire.dataset.enCours = "oui";
    montrer(formulaire, "Calcul en cours sur votre appareil…", false);
    var lecture = sansFichier[action] ? Promise.resolve(null) : lireLeFichier(formulaire);
    Promise.all([sodiumPret(), lecture])
      .then(function (prets) {
        // Let the status be painted and announced before the synchronous computation.
        return new Promise(function (fin) { setTimeout(fin, 30); }).then(function () {
          return calculs[action](prets[0], formulaire, prets[1]);
        });
      })
      .then(function (resultat) {
        if (resultat instanceof Local) {
          formulaire.dataset.enCours = "";
          montrer(formulaire, resultat.message, false);
          if (resultat.suite) resultat.suite.focus();
          return;
        }
        formulaire.querySelector("input[name='donnees']").value = JSON.stringify(resultat);
        montrer(formulaire, "Envoi du message public…", false);
        formulaire.submit();
      })
      .catch(function (erreur) {
        formulaire.dataset.enCours = "";
        var message = erreur instanceof Refus ? erreur.message
          : "Le calcul a échoué sur votre appareil : rechargez la page et recommencez.";
        var boite = montrer(formulaire, message, true);
        if (erreur instanceof Refus && erreur.champ) {
          erreur.champ.setAttribute("aria-invalid", "true");
          erreur.champ.focus();
        } else {
          boite.setAttribute("tabindex", "-1");
          boite.focus();
        }
        if (!(erreur instanceof Refus)) console.warn("Isoloir : " + (erreur && erreur.name));
      });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-action]"), function (formulaire) {
    formulaire.addEventListener("submit", function (evenement) { traiter(formulaire, evenement); });
    formulaire.addEventListener("input", function (evenement) { evenement.target.removeAttribute("aria-invalid"); });
  });
})();
