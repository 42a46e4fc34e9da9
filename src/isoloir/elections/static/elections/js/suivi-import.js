// Progress of a roll import while it runs: the bar and its text follow a JSON endpoint
// every two seconds. Screen readers hear only the changes of step (reading, removals…),
// not every figure: a live region that spoke at each poll would drown the page. When the
// import leaves its running state the page reloads to show the report. Without JavaScript
// the page refreshes itself (<noscript> meta) and keeps its « Actualiser » link.
(function () {
  "use strict";
  const bloc = document.getElementById("progression");
  if (!bloc) {
    return;
  }
  const url = bloc.dataset.url;
  const barre = document.getElementById("barre-import");
  const texte = bloc.querySelector("[data-texte]");
  const etape = bloc.querySelector("[data-etape]");
  const libelle = bloc.querySelector("[data-libelle]");
  const annonce = bloc.querySelector("[data-annonce]");
  const INTERVALLE = 2000;
  let derniereEtape = etape.textContent;

  function afficher(donnees) {
    barre.max = donnees.lignes_du_fichier;
    barre.value = donnees.lignes_traitees;
    barre.textContent = donnees.pourcentage + " %";
    texte.textContent = donnees.texte;
    libelle.textContent = donnees.libelle_etat;
    if (donnees.etape !== derniereEtape) {
      derniereEtape = donnees.etape;
      etape.textContent = donnees.etape;
      annonce.textContent = donnees.etape;
    }
  }

  function suivre() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (reponse) {
        if (!reponse.ok) {
          throw new Error("HTTP " + reponse.status);
        }
        return reponse.json();
      })
      .then(function (donnees) {
        afficher(donnees);
        if (donnees.en_cours && !donnees.arrete && donnees.etat === bloc.dataset.etat) {
          window.setTimeout(suivre, INTERVALLE);
        } else {
          annonce.textContent = donnees.libelle_etat + ". Chargement du rapport…";
          window.location.reload();
        }
      })
      .catch(function () {
        // A lost connection: try again later, quietly; the link still works.
        window.setTimeout(suivre, INTERVALLE * 5);
      });
  }

  window.setTimeout(suivre, INTERVALLE);
})();
