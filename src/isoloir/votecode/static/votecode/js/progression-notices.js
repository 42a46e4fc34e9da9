// Progress of the notices' generation, while it runs: the figures and bars follow a JSON
// endpoint every few seconds. Screen readers hear only the changes of state (started,
// finished, stopped), not every figure: a live region that spoke every poll would drown
// the page. When the run ends, the files and the launch form are fetched again and put in
// place, so that the new files show and « Générer » reflects what is left to do, without
// a reload that would lose the reader's place. Without JavaScript the page's « Actualiser
// la progression » link does the job.
(function () {
  "use strict";
  const bloc = document.getElementById("progression");
  if (!bloc) {
    return;
  }
  const url = bloc.dataset.url;
  const annonce = bloc.querySelector("[data-annonce]");
  const libelle = bloc.querySelector("[data-libelle]");
  const etablissements = bloc.querySelector("[data-etablissements]");
  const notices = bloc.querySelector("[data-notices]");
  const barreEtablissements = document.getElementById("progression-etablissements");
  const barreNotices = document.getElementById("progression-notices");
  const actualiser = bloc.querySelector("[data-actualiser]");
  let etat = bloc.dataset.etat;
  const INTERVALLE = 2000;

  function barre(element, fait, total) {
    element.max = Math.max(total, 1);
    element.value = fait;
    element.textContent = fait + " sur " + total;
  }

  function afficher(donnees) {
    libelle.textContent = donnees.libelle;
    etablissements.textContent = donnees.etablissements_faits + " sur " + donnees.etablissements_total;
    notices.textContent = donnees.notices_faites + " sur " + donnees.notices_total;
    barre(barreEtablissements, donnees.etablissements_faits, donnees.etablissements_total);
    barre(barreNotices, donnees.notices_faites, donnees.notices_total);
    if (donnees.etat === etat) {
      return;
    }
    etat = donnees.etat;
    if (etat === "en_cours") {
      annonce.textContent = "La génération des notices a commencé.";
    } else if (etat === "terminee") {
      libelle.className = "fr-badge fr-badge--sm fr-badge--success";
      rafraichir("Génération terminée : " + donnees.notices_faites + " notices sur " +
        donnees.notices_total + ". Les fichiers sont listés ci-dessous.");
    } else if (etat === "echouee") {
      libelle.className = "fr-badge fr-badge--sm fr-badge--error";
      rafraichir("La génération s'est interrompue sur une erreur. Vous pouvez la relancer : " +
        "elle reprendra où elle s'était arrêtée.");
    }
  }

  // The page as the server now renders it: its files and its launch form replace ours.
  function rafraichir(message) {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (reponse) {
        if (!reponse.ok) {
          throw new Error("HTTP " + reponse.status);
        }
        return reponse.text();
      })
      .then(function (html) {
        const nouvelle = new DOMParser().parseFromString(html, "text/html");
        ["lancement", "fichiers"].forEach(function (id) {
          const ancien = document.getElementById(id);
          const neuf = nouvelle.getElementById(id);
          if (ancien && neuf) {
            ancien.replaceWith(document.importNode(neuf, true));
          }
        });
        if (actualiser) {
          actualiser.closest("p").remove();
        }
        annonce.textContent = message;
      })
      .catch(function () {
        // The page could not be fetched: say so, the link still reloads it.
        annonce.textContent = message + " Actualisez la page pour voir les fichiers.";
        if (actualiser) {
          actualiser.textContent = "Actualiser la page";
        }
      });
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
        if (donnees.active) {
          window.setTimeout(suivre, INTERVALLE);
        }
      })
      .catch(function () {
        // A lost connection: try again later, quietly; the link still works.
        window.setTimeout(suivre, INTERVALLE * 5);
      });
  }

  window.setTimeout(suivre, INTERVALLE);
})();
