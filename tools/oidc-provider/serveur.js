// OpenID Connect test peer configured like FranceConnect v2 (its core-fcp-low instance).
//
// FranceConnect v2 runs on this very engine (panva's oidc-provider 9): with its settings
// (eidas1, identite_pivot, signed userinfo, ES256, client_secret_post, no PKCE) Isoloir's
// relying party is tried against a real server, on loopback, offline. See
// docs/franceconnect.md.
//
//   node serveur.js --port 9080 [--kid cle-1] [--client-id …] [--client-secret …]
//        [--redirect-uri …] [--post-logout-redirect-uri …] [--identites FICHIER.json]
//        [--decalage-ms N]
//
// Each option has its environment variable (PORT, OIDC_KID, OIDC_CLIENT_ID,
// OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_POST_LOGOUT_REDIRECT_URI, OIDC_DECALAGE_MS).
// --decalage-ms runs the provider's clock N ms ahead, as the portal's runs with
// ISOLOIR_HORLOGE_AVANCE: tokens are dated and checked on one time. Signing keys are
// drawn at each start: restarting with another --kid stands for a key rotation, restarting
// with the same --kid for a signature the known key no longer verifies.
//
// For the tests, with no HTML to read:
//   PUT /__test__/next-user  {"sub": "…", "given_name": "…", …}  who the next login is;
//     control fields: "acr" (null: a login without acr), "refuser" (true: the user
//     cancels, the callback carries error=access_denied), "sub_userinfo" (the userinfo is
//     issued for another account than the ID token).
//   GET /interaction/:uid  logs that user in (acr eidas1), then grants the consent.
//   PUT /__test__/horloge  {"decalage_ms": N}  the provider's clock runs N ms ahead of the
//     machine's (behind if negative), as the portal's does in a test that starts on
//     another date (tests/environnement.py): a provider and a portal share one time.
//
// For a demonstration in a browser, --identites names a JSON list of pivot identities
// (given_name, family_name, birthdate, gender, birthplace, birthcountry,
// preferred_username, a "libelle" to show, optionally a "sub"): the login then shows a
// page with one button per identity, and the one chosen is logged in (acr eidas1). The
// test mechanism above is not used then.

import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT },
    kid: { type: 'string', default: process.env.OIDC_KID || 'cle-1' },
    'client-id': { type: 'string', default: process.env.OIDC_CLIENT_ID || 'isoloir' },
    'client-secret': {
      type: 'string',
      default: process.env.OIDC_CLIENT_SECRET || 'secret-du-pair-de-test-isoloir-0123456789',
    },
    'redirect-uri': {
      type: 'string',
      default: process.env.OIDC_REDIRECT_URI
        || 'http://127.0.0.1:8000/portail/franceconnect/retour/',
    },
    'post-logout-redirect-uri': {
      type: 'string',
      default: process.env.OIDC_POST_LOGOUT_REDIRECT_URI
        || 'http://127.0.0.1:8000/portail/franceconnect/deconnexion/retour/',
    },
    identites: { type: 'string', default: process.env.OIDC_IDENTITES },
    'decalage-ms': { type: 'string', default: process.env.OIDC_DECALAGE_MS || '0' },
  },
});

// The provider's clock (PUT /__test__/horloge): Date.now() and new Date() run
// decalageMs ahead. oidc-provider and jose read the time through both, at each call.
const VraieDate = Date;
let decalageMs = Number.parseInt(options['decalage-ms'], 10) || 0;
globalThis.Date = class extends VraieDate {
  constructor(...valeurs) {
    if (valeurs.length === 0) super(VraieDate.now() + decalageMs);
    else super(...valeurs);
  }

  static now() {
    return VraieDate.now() + decalageMs;
  }
};

const port = Number.parseInt(options.port ?? '', 10);
if (!Number.isInteger(port) || port <= 0) {
  console.error('Port manquant : node serveur.js --port 9080 (ou PORT=9080).');
  process.exit(2);
}

// FranceConnect's issuer has a path (/api/v2): so has ours, so that discovery is tried
// from such an issuer.
const PREFIXE = '/api/v2';
const origine = `http://127.0.0.1:${port}`;
const emetteur = `${origine}${PREFIXE}`;

function cle(type, parametres, alg) {
  // Encoded as JWK by the generation itself, never by KeyObject.export() afterwards: on
  // Node 20, exporting the key of a finished generation can deadlock when a garbage
  // collection runs the generation job's destructor meanwhile (both lock the key's
  // mutex). Seen here: a restarted peer stuck for good after its first warning.
  const { privateKey } = crypto.generateKeyPairSync(type, {
    ...parametres,
    publicKeyEncoding: { format: 'jwk' },
    privateKeyEncoding: { format: 'jwk' },
  });
  const kid = `${options.kid}-${alg.toLowerCase()}`;
  return { ...privateKey, kid, alg, use: 'sig' };
}

// Claims per scope, as in FranceConnect's fcp-low.scopes.ts (preferred_username left
// identite_pivot in v2 and has a scope of its own).
const IDENTITE_PIVOT = [
  'given_name', 'given_name_array', 'family_name', 'birthdate', 'gender', 'birthplace',
  'birthcountry',
];

const usagers = new Map();
let prochainUsager = null;

// The demonstration's identities (--identites), or null for the test mechanism.
const identites = options.identites
  ? JSON.parse(readFileSync(options.identites, 'utf8')).map((identite, rang) => {
    const { libelle, ...revendications } = identite;
    const prenoms = String(revendications.given_name ?? '').split(' ').filter(Boolean);
    return {
      libelle: libelle || `${revendications.given_name} ${revendications.family_name}`,
      usager: {
        sub: `demo-${rang + 1}`, given_name_array: prenoms, ...revendications,
      },
    };
  })
  : null;

function echapper(texte) {
  return String(texte).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function pageIdentites(res, uid) {
  const boutons = identites.map(({ libelle, usager }, rang) => `<li><form method="post" action="/interaction/${echapper(uid)}">
<input type="hidden" name="identite" value="${rang}">
<button type="submit">${echapper(libelle)}</button>
<small>né(e) le ${echapper(usager.birthdate ?? '')}</small></form></li>`).join('\n');
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:",
    'cache-control': 'no-store',
  });
  res.end(`<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>FranceConnect — environnement de démonstration</title>
<style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
ul{list-style:none;padding:0}li{margin:.75rem 0}button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem;cursor:pointer}</style>
</head><body>
<h1>FranceConnect — environnement de démonstration</h1>
<p>Ce fournisseur d'identité simulé tourne sur votre machine : aucune donnée ne part vers
FranceConnect. Choisissez l'identité avec laquelle vous connecter.</p>
<ul>
${boutons}
</ul>
<form method="post" action="/interaction/${echapper(uid)}">
<input type="hidden" name="annuler" value="1"><button type="submit">Annuler</button></form>
</body></html>`);
}

const provider = new Provider(emetteur, {
  acrValues: ['eidas1'],
  claims: {
    acr: null,
    amr: null,
    auth_time: null,
    iss: null,
    sid: null,
    openid: ['sub'],
    identite_pivot: IDENTITE_PIVOT,
    profile: ['given_name', 'given_name_array', 'family_name', 'birthdate', 'gender', 'preferred_username'],
    birth: ['birthplace', 'birthcountry'],
    given_name: ['given_name', 'given_name_array'],
    family_name: ['family_name'],
    birthdate: ['birthdate'],
    gender: ['gender'],
    birthplace: ['birthplace'],
    birthcountry: ['birthcountry'],
    email: ['email'],
    preferred_username: ['preferred_username'],
  },
  clients: [{
    client_id: options['client-id'],
    client_secret: options['client-secret'],
    redirect_uris: [options['redirect-uri']],
    post_logout_redirect_uris: [options['post-logout-redirect-uri']],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'ES256',
    userinfo_signed_response_alg: 'ES256',
    subject_type: 'pairwise',
  }],
  clientAuthMethods: ['client_secret_post', 'private_key_jwt'],
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  features: {
    devInteractions: { enabled: false },
    pushedAuthorizationRequests: { enabled: false },
    jwtUserinfo: { enabled: true },
    claimsParameter: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // FranceConnect logs out without asking: the form submits itself.
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Déconnexion</title></head>
<body>${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}
<script>document.forms[0].submit()</script></body></html>`;
      },
    },
  },
  findAccount(ctx, sub, jeton) {
    const usager = usagers.get(sub);
    if (!usager) return undefined;
    // A userinfo issued for another account than the ID token, when the test asks.
    const accountId = jeton?.kind === 'AccessToken' && usager.sub_userinfo ? usager.sub_userinfo : sub;
    return {
      accountId,
      async claims() {
        const {
          acr, refuser, sub_userinfo: autre, ...revendications
        } = usager;
        return { ...revendications, sub: accountId };
      },
    };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  jwks: {
    keys: [
      cle('ec', { namedCurve: 'P-256' }, 'ES256'),
      cle('rsa', { modulusLength: 2048 }, 'RS256'),
    ],
  },
  pairwiseIdentifier(ctx, accountId, client) {
    return crypto.createHash('sha256')
      .update(`${client.sectorIdentifier}|${accountId}|isoloir`).digest('hex');
  },
  pkce: { required: () => false },
  responseTypes: ['code'],
  async renderError(ctx, out) {
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = Object.entries(out).map(([cleErreur, valeur]) => `${cleErreur}: ${valeur}`).join('\n');
  },
  routes: {
    authorization: '/authorize',
    end_session: '/session/end',
    jwks: '/jwks',
    revocation: '/token/revoke',
    token: '/token',
    userinfo: '/userinfo',
  },
  scopes: ['openid'],
  subjectTypes: ['pairwise'],
  // FranceConnect's lifetimes: code 30 s, tokens 60 s, session 30 min.
  ttl: {
    AccessToken: 60,
    AuthorizationCode: 30,
    Grant: 30 * 60,
    IdToken: 60,
    Interaction: 10 * 60,
    Session: 30 * 60,
  },
});

// The parameters FranceConnect accepts on /authorize (forbidNonWhitelisted in its DTO):
// any other one, PKCE's included, fails the request.
const PARAMETRES_ADMIS = new Set([
  'client_id', 'response_type', 'redirect_uri', 'scope', 'acr_values', 'state', 'nonce',
  'claims', 'prompt', 'idp_hint', 'ui_locales',
]);
const PARAMETRES_REQUIS = ['client_id', 'response_type', 'redirect_uri', 'scope', 'acr_values', 'state', 'nonce'];

function refuser(ctx, description) {
  ctx.status = 400;
  ctx.type = 'application/json';
  ctx.body = { error: 'invalid_request', error_description: description };
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/authorize') {
    if (ctx.method !== 'GET') {
      refuser(ctx, 'le pair de test n\'accepte que GET sur /authorize');
      return;
    }
    const inconnus = Object.keys(ctx.query).filter((nom) => !PARAMETRES_ADMIS.has(nom));
    if (inconnus.length) {
      refuser(ctx, `paramètres non admis : ${inconnus.join(', ')}`);
      return;
    }
    const manquants = PARAMETRES_REQUIS.filter((nom) => !ctx.query[nom]);
    if (manquants.length) {
      refuser(ctx, `paramètres manquants : ${manquants.join(', ')}`);
      return;
    }
    // FranceConnect v2's code wants a nonce of 22 characters at least, its FC+ documentation
    // 32 for both state and nonce: the peer applies the stricter rule.
    const courts = ['state', 'nonce'].filter((nom) => String(ctx.query[nom]).length < 32);
    if (courts.length) {
      refuser(ctx, `trop courts (32 caractères au moins) : ${courts.join(', ')}`);
      return;
    }
    if (ctx.query.acr_values !== 'eidas1') {
      refuser(ctx, 'acr_values doit valoir eidas1');
      return;
    }
  }
  await next();
});

function repondre(res, statut, corps) {
  res.writeHead(statut, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(corps));
}

async function lireJson(req) {
  const morceaux = [];
  for await (const morceau of req) morceaux.push(morceau);
  return JSON.parse(Buffer.concat(morceaux).toString('utf8') || '{}');
}

async function lireFormulaire(req) {
  const morceaux = [];
  for await (const morceau of req) morceaux.push(morceau);
  return new URLSearchParams(Buffer.concat(morceaux).toString('utf8'));
}

async function connexionDemo(req, res, uid) {
  if (req.method !== 'POST') {
    pageIdentites(res, uid);
    return;
  }
  const formulaire = await lireFormulaire(req);
  if (formulaire.has('annuler')) {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'L\'usager a annulé sa connexion.',
    }, { mergeWithLastSubmission: false });
    return;
  }
  const choisie = identites[Number.parseInt(formulaire.get('identite') ?? '', 10)];
  if (!choisie) {
    pageIdentites(res, uid);
    return;
  }
  usagers.set(choisie.usager.sub, choisie.usager);
  const login = { accountId: choisie.usager.sub, amr: ['pwd'], acr: 'eidas1' };
  await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  if (prompt.name === 'login' && identites) {
    await connexionDemo(req, res, details.uid);
    return;
  }
  if (prompt.name === 'login') {
    if (!prochainUsager) {
      repondre(res, 409, { erreur: 'aucun usager préparé : PUT /__test__/next-user' });
      return;
    }
    const usager = prochainUsager;
    prochainUsager = null;
    if (usager.refuser) {
      await provider.interactionFinished(req, res, {
        error: 'access_denied', error_description: 'L\'usager a annulé sa connexion.',
      }, { mergeWithLastSubmission: false });
      return;
    }
    usagers.set(usager.sub, usager);
    const login = { accountId: usager.sub, amr: ['pwd'] };
    if (usager.acr !== null) login.acr = usager.acr ?? 'eidas1';
    await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
    return;
  }
  if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  repondre(res, 400, { erreur: `invite non gérée : ${prompt.name}` });
}

const rappel = provider.callback();

const serveur = createServer(async (req, res) => {
  const { pathname } = new URL(req.url, origine);
  try {
    if (pathname === PREFIXE || pathname.startsWith(`${PREFIXE}/`)) {
      // As express mounts it: the provider finds the prefix again in originalUrl.
      req.originalUrl = req.url;
      req.url = req.url.slice(PREFIXE.length) || '/';
      rappel(req, res);
    } else if (pathname === '/__test__/next-user' && req.method === 'PUT') {
      const usager = await lireJson(req);
      if (typeof usager.sub !== 'string' || !usager.sub) {
        repondre(res, 400, { erreur: 'sub requis' });
        return;
      }
      prochainUsager = usager;
      repondre(res, 200, { ok: true });
    } else if (pathname === '/__test__/horloge' && req.method === 'PUT') {
      const { decalage_ms: decalage } = await lireJson(req);
      if (!Number.isInteger(decalage)) {
        repondre(res, 400, { erreur: 'decalage_ms entier requis' });
        return;
      }
      decalageMs = decalage;
      repondre(res, 200, { ok: true });
    } else if (pathname.startsWith('/interaction/')
      && (req.method === 'GET' || (identites && req.method === 'POST'))) {
      await interaction(req, res);
    } else {
      repondre(res, 404, { erreur: 'introuvable' });
    }
  } catch (erreur) {
    repondre(res, 500, { erreur: String(erreur?.message ?? erreur) });
  }
});

serveur.listen(port, '127.0.0.1', () => {
  const mode = identites ? ` identites=${identites.length}` : '';
  console.log(`pret ${emetteur} kid=${options.kid}${mode}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    serveur.close(() => process.exit(0));
    // Otherwise the connections clients keep alive delay the exit.
    serveur.closeAllConnections();
  });
}
