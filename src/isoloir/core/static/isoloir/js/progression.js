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
//                                       that the reader keeps their place, keyboard focus
//                                       included (see remplacer). Without either, the page
//                                       stays as the last poll left it.
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
// - errors: a network error, a server error (5xx), a timeout (408) or rate limiting (429)
//   is tried again later and later (the wait doubles each time, and is at least what a
//   429's or 503's Retry-After asks, up to ATTENTE_IMPOSEE_MAX); after ECHECS_MAX failures
//   in a row, or at once on an answer that no retry can change (401, 403, 404, 410, or a
//   redirection: an expired session lands on the login page), following stops and the
//   page says so, in view and aloud: a page that looks alive while frozen would mislead;
// - announcements: the live region speaks only when the announcement changes, and at most
//   once per silence (the page's loading counts as one): a region that spoke at every poll
//   would drown everything else. Within the silence, only the latest text is kept; an
//   empty one means "nothing new" and leaves a waiting one in place;
// - focus: a fragment replaced at the end takes the keyboard focus it held along, to the
//   same element in the new fragment, else to the fragment itself (RGAA: focus is never
//   lost to the top of the page).
(function () {
  "use strict";
  const INTERVALLE_MIN = 2;
  const ECHECS_MAX = 4;
  const ATTENTE_MAX = 60000;
  // A server that asks for more (Retry-After) gets it, up to this: the page must not look
  // alive for long while it cannot follow.
  const ATTENTE_IMPOSEE_MAX = 300000;
  // Answers no retry can change: logged out, forbidden, gone.
  const DEFINITIFS = [401, 403, 404, 410];

  function secondes(texte, defaut) {
    const n = parseFloat(texte);
    return (Number.isFinite(n) && n >= 0 ? n : defaut) * 1000;
  }

  // Retry-After, in seconds or as an HTTP date, in milliseconds from now; 0 when absent
  // or unreadable.
  function attenteDemandee(reponse) {
    const valeur = (reponse.headers.get("Retry-After") || "").trim();
    let attente = 0;
    if (/^\d+$/.test(valeur)) {
      attente = parseInt(valeur, 10) * 1000;
    } else if (valeur) {
      const date = Date.parse(valeur);
      attente = Number.isFinite(date) ? date - Date.now() : 0;
    }
    return Math.min(Math.max(attente, 0), ATTENTE_IMPOSEE_MAX);
  }

  // The answer, if usable; otherwise an error that says whether trying again may help,
  // and how long the server asks to wait.
  function verifier(reponse) {
    if (reponse.redirected || DEFINITIFS.indexOf(reponse.status) !== -1) {
      const erreur = new Error("HTTP " + reponse.status);
      erreur.definitive = true;
      throw erreur;
    }
    if (!reponse.ok) {
      const erreur = new Error("HTTP " + reponse.status);
      if (reponse.status === 429 || reponse.status === 503) {
        erreur.attente = attenteDemandee(reponse);
      }
      throw erreur;
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
      if (!texte) {
        return; // "nothing new": a change waiting out the silence is still to be said
      }
      if (differee) {
        clearTimeout(differee);
        differee = null;
      }
      if (texte === dit) {
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
      const attente = Math.min(intervalle * Math.pow(2, echecs), ATTENTE_MAX);
      window.setTimeout(essai, Math.max(attente, erreur.attente || 0));
    }

    // How to find the focused element again in the new copy of its fragment: by its id,
    // else by its name (a form's control), else by its rank among the fragment's elements
    // of its kind.
    function reperer(fragment, element) {
      if (element.id) {
        return "#" + CSS.escape(element.id);
      }
      const nom = element.getAttribute("name");
      if (nom) {
        const selecteur = element.localName + '[name="' + CSS.escape(nom) + '"]';
        const valeur = element.getAttribute("value");
        if (valeur !== null && (element.type === "radio" || element.type === "checkbox")) {
          return selecteur + '[value="' + CSS.escape(valeur) + '"]'; // one of a group
        }
        return selecteur;
      }
      const memes = fragment.querySelectorAll(element.localName);
      return { balise: element.localName, rang: Array.prototype.indexOf.call(memes, element) };
    }

    function retrouver(fragment, repere) {
      if (typeof repere === "string") {
        return fragment.querySelector(repere);
      }
      return fragment.querySelectorAll(repere.balise)[repere.rang] || null;
    }

    // Focus that element if it takes it (not disabled, not hidden); otherwise the given
    // container, made focusable by script only (tabindex=-1: it joins no tab order).
    function focaliser(element, repli) {
      if (element) {
        element.focus({ preventScroll: true });
        if (document.activeElement === element) {
          return;
        }
      }
      if (!repli.hasAttribute("tabindex")) {
        repli.setAttribute("tabindex", "-1");
      }
      repli.focus({ preventScroll: true });
    }

    function remplacer(html) {
      const page = new DOMParser().parseFromString(html, "text/html");
      const actif = document.activeElement;
      let rendre = null; // the focus to give back once every fragment is in place
      (bloc.dataset.progressionFragments || "").split(/\s+/).filter(Boolean).forEach(function (id) {
        const ancien = document.getElementById(id);
        const neuf = page.getElementById(id);
        if (!ancien) {
          return;
        }
        const focalise = actif && ancien.contains(actif);
        const repere = focalise && actif !== ancien ? reperer(ancien, actif) : null;
        if (neuf) {
          const copie = document.importNode(neuf, true);
          ancien.replaceWith(copie);
          if (focalise) {
            rendre = { element: repere ? retrouver(copie, repere) : copie, repli: copie };
          }
        } else {
          ancien.remove();
          if (focalise) {
            rendre = { element: null, repli: bloc }; // the fragment is gone: its component
          }
        }
      });
      if (rendre) {
        focaliser(rendre.element, rendre.repli);
      }
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
