// Live dashboard of a campaign's mailings: polls the JSON state and updates the counts in
// place. The page is complete without this script (it shows the counts when loaded).
// Screen readers hear the summary through a polite live region, at most every 30 s, so
// that counts changing every few seconds do not drown everything else.
(function () {
  "use strict";
  var section = document.getElementById("suivi-des-envois");
  if (!section || !section.dataset.urlEtat) {
    return; // nothing in progress: nothing to follow
  }
  var url = section.dataset.urlEtat;
  var intervalle = Math.max(2, parseInt(section.dataset.intervalle, 10) || 5) * 1000;
  var ANNONCE_MIN = 30000;
  var visible = document.getElementById("resume-envois");
  var annonce = document.getElementById("annonce-envois");
  var derniereAnnonce = Date.now(); // the page just loaded: its content is the news
  var dernierTexte = visible ? visible.textContent : "";
  var annonceDifferee = null;

  function annoncer(texte) {
    if (texte === dernierTexte) {
      return;
    }
    var attente = derniereAnnonce + ANNONCE_MIN - Date.now();
    if (annonceDifferee) {
      clearTimeout(annonceDifferee);
      annonceDifferee = null;
    }
    if (attente > 0) {
      annonceDifferee = setTimeout(function () {
        annonceDifferee = null;
        annoncer(texte);
      }, attente);
      return;
    }
    dernierTexte = texte;
    derniereAnnonce = Date.now();
    annonce.textContent = texte;
  }

  function mettreAJour(etat) {
    etat.envois.forEach(function (envoi) {
      var ligne = section.querySelector('tr[data-envoi="' + envoi.id + '"]');
      if (!ligne) {
        return; // launched elsewhere since: shown on the next page load
      }
      Object.keys(envoi.compteurs).forEach(function (cle) {
        var cellule = ligne.querySelector('[data-compteur="' + cle + '"]');
        if (cellule) {
          cellule.textContent = String(envoi.compteurs[cle]);
        }
      });
      ligne.querySelector('[data-champ="statut"]').textContent = envoi.statut;
      ligne.querySelector('[data-champ="progression"]').textContent = String(envoi.progression);
      var barre = ligne.querySelector("progress");
      barre.value = envoi.progression;
      barre.textContent = envoi.progression + " %";
    });
    if (visible) {
      visible.textContent = etat.resume;
    }
    annoncer(etat.resume);
  }

  function suivre() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (reponse) {
        if (!reponse.ok) {
          throw new Error("HTTP " + reponse.status);
        }
        return reponse.json();
      })
      .then(function (etat) {
        mettreAJour(etat);
        if (etat.en_cours) {
          setTimeout(suivre, intervalle);
        }
      })
      .catch(function () {
        // Session expired or server unreachable: the counts stay as they are, and the
        // page's « Actualiser » link still works.
        if (visible) {
          visible.textContent += " (Suivi automatique interrompu : actualisez la page.)";
        }
      });
  }

  setTimeout(suivre, intervalle);
})();
