// One progress component for the back-office pages that follow a background job: the roll
// import, the notices' generation, a campaign's mailings. The server renders each page
// complete (its « Actualiser » link, or a <noscript> refresh, does the rest without
// JavaScript); this script keeps it current by polling the JSON that core/progression.py
// shapes (its docstring tells the fields).
//
// On the component's element:
//   data-progression="URL"              the JSON to poll (without it, nothing to follow);
//   data-progression-intervalle="5"     seconds between two polls, 2 at the least;
//   data-progression-silence="30"       seconds at the least between two announcements;
//   data-progression-annonce-faite="…"  the announcement the page already carries;
//   data-progression-etat="code"        optional: when the JSON's state code is another,
//                                       the page is out of date, as at the job's end;
//   data-progression-fin="recharger"    at the end, reload the page; or
//   data-progression-fin="fragments" and data-progression-fragments="id id…": at the
//                                       end, the page is fetched again and those elements
//                                       replace ours (or go, if it has them no more), so
//                                       that the reader keeps their place. Without either,
//                                       the page stays as the last poll left it.
// Inside it:
//   [data-progression-libelle]          gets the state's label;
//   progress[data-progression-barre="key"] and [data-progression-texte="key"]: one bar;
//   [data-progression-valeur="name"]    gets one of the page's own values;
//   [data-progression-annonce]          the polite live region (isoloir/progression.html);
//   [data-progression-erreur]           the hidden notice shown, and said, when following
//                                       stops (« Suivi automatique interrompu : actualisez
//                                       la page. », written in isoloir/progression.html).
//
// The rules, the same on every page:
// - errors: a network or server error is tried again later and later (the wait doubles
//   each time); after ECHECS_MAX failures in a row, or at once on a 4xx or a redirection
//   (an expired session lands on the login page), following stops and the page says so,
//   in view and aloud: a page that looks alive while frozen would mislead;
// - announcements: the live region speaks only when the announcement changes, and at most
//   once per silence (the page's loading counts as one): a region that spoke at every poll
//   would drown everything else. Within the silence, only the latest text is kept.
(function () {
  "use strict";
  const INTERVALLE_MIN = 2;
  const ECHECS_MAX = 4;
  const ATTENTE_MAX = 60000;

  function secondes(texte, defaut) {
    const n = parseFloat(texte);
    return (Number.isFinite(n) && n >= 0 ? n : defaut) * 1000;
  }

  // The answer, if usable; otherwise an error that says whether trying again may help.
  function verifier(reponse) {
    if (reponse.redirected || (reponse.status >= 400 && reponse.status < 500)) {
      const erreur = new Error("HTTP " + reponse.status);
      erreur.definitive = true;
      throw erreur;
    }
    if (!reponse.ok) {
      throw new Error("HTTP " + reponse.status);
    }
    return reponse;
  }

  function suivre(bloc) {
    const url = bloc.dataset.progression;
    const intervalle = Math.max(INTERVALLE_MIN * 1000, secondes(bloc.dataset.progressionIntervalle, 5));
    const silence = secondes(bloc.dataset.progressionSilence, 30);
    const etatDeLaPage = bloc.dataset.progressionEtat;
    const fin = bloc.dataset.progressionFin || "";
    const voix = bloc.querySelector("[data-progression-annonce]");
    let dit = bloc.dataset.progressionAnnonceFaite || "";
    let ditLe = Date.now();
    let differee = null;
    let echecs = 0;

    function dire(texte) {
      dit = texte;
      ditLe = Date.now();
      if (voix) {
        voix.textContent = texte;
      }
    }

    function annoncer(texte) {
      if (differee) {
        clearTimeout(differee);
        differee = null;
      }
      if (!texte || texte === dit) {
        return;
      }
      const attente = ditLe + silence - Date.now();
      if (attente > 0) {
        differee = setTimeout(function () {
          differee = null;
          annoncer(texte);
        }, attente);
        return;
      }
      dire(texte);
    }

    function montrer(selecteur, texte) {
      bloc.querySelectorAll(selecteur).forEach(function (element) {
        element.textContent = texte;
      });
    }

    function afficher(donnees) {
      montrer("[data-progression-libelle]", donnees.libelle);
      donnees.barres.forEach(function (barre) {
        const cle = '="' + CSS.escape(barre.cle) + '"]';
        bloc.querySelectorAll("progress[data-progression-barre" + cle).forEach(function (element) {
          element.max = Math.max(barre.total, 1);
          element.value = barre.faits;
          element.textContent = barre.texte;
        });
        montrer("[data-progression-texte" + cle, barre.texte);
      });
      Object.keys(donnees.valeurs).forEach(function (nom) {
        montrer('[data-progression-valeur="' + CSS.escape(nom) + '"]', String(donnees.valeurs[nom]));
      });
    }

    function interrompre() {
      if (differee) {
        clearTimeout(differee);
        differee = null;
      }
      const erreur = bloc.querySelector("[data-progression-erreur]");
      if (erreur) {
        erreur.hidden = false;
        dire(erreur.textContent.trim()); // at once: the last thing the page says by itself
      }
    }

    function echouer(erreur, essai) {
      echecs += 1;
      if (erreur.definitive || echecs >= ECHECS_MAX) {
        interrompre();
        return;
      }
      window.setTimeout(essai, Math.min(intervalle * Math.pow(2, echecs), ATTENTE_MAX));
    }

    function remplacer(html) {
      const page = new DOMParser().parseFromString(html, "text/html");
      (bloc.dataset.progressionFragments || "").split(/\s+/).filter(Boolean).forEach(function (id) {
        const ancien = document.getElementById(id);
        const neuf = page.getElementById(id);
        if (ancien && neuf) {
          ancien.replaceWith(document.importNode(neuf, true));
        } else if (ancien) {
          ancien.remove();
        }
      });
    }

    function terminer(donnees) {
      if (fin === "recharger") {
        window.location.reload();
        return;
      }
      if (fin !== "fragments") {
        annoncer(donnees.annonce);
        return;
      }
      fetch(window.location.href, { credentials: "same-origin" })
        .then(verifier)
        .then(function (reponse) {
          return reponse.text();
        })
        .then(function (html) {
          remplacer(html);
          echecs = 0;
          annoncer(donnees.annonce); // once the page shows what it says
        })
        .catch(function (erreur) {
          echouer(erreur, function () {
            terminer(donnees);
          });
        });
    }

    function interroger() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(verifier)
        .then(function (reponse) {
          return reponse.json();
        })
        .then(function (donnees) {
          echecs = 0;
          afficher(donnees);
          if (!donnees.en_cours || (etatDeLaPage && donnees.etat !== etatDeLaPage)) {
            terminer(donnees);
          } else {
            annoncer(donnees.annonce);
            window.setTimeout(interroger, intervalle);
          }
        })
        .catch(function (erreur) {
          echouer(erreur, interroger);
        });
    }

    window.setTimeout(interroger, intervalle);
  }

  document.querySelectorAll("[data-progression]").forEach(suivre);
})();
