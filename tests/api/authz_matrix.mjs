#!/usr/bin/env node
// authz_matrix.mjs - walks the WHOLE route table (`zhiliang routes --json`)
// and proves, for every route, that each kind of caller gets what the
// route's declared permission and org scope say: 401 (anonymous on a
// non-public route), 403 (permission missing, target outside the caller's
// subtree, missing CSRF token) or "allowed" (any status but 401/403: 200,
// 201, 204, 404, 409, 422 ...).  The expectation is computed here from the
// role matrix of docs/permissions.md, independently of the server.
//
// Usage (the server must run on a database made with `zhiliang init --demo`):
//   ZL_BASE_URL=http://127.0.0.1:8080 ZL_BIN=./zhiliang ZL_DB=sqlite:var/x.db \
//     node tests/api/authz_matrix.mjs
// Callers: anonymous; an officer of 郑州 (410100); an officer of 洛阳 (410300);
// an admin of 郑州; the province admin (410000); an officer of the provincial
// quality bureau (410000-D006: provincial level, not the root); an API token
// of 郑州 with org.read only.  Users are created with `zhiliang user add ... --password-stdin`.
// Targets of parameterised routes: one inside 郑州 (org 410102, a user and a
// token there) and one inside 洛阳 (410302); plus a code that does not exist.
// Output: "ok N - ..." / "not ok N - ..." lines, then "N passed, N failed".
// The server's rate limits must be off or high for this run (it logs in and
// sends a few thousand requests from one address).

import { execFileSync } from 'node:child_process';

const BASE = (process.env.ZL_BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const BIN = process.env.ZL_BIN || './zhiliang';
const DB = process.env.ZL_DB;
const PASSWORD = 'Matrix-Check-2014!q';
const RUN = Date.now().toString(36).slice(-5);
const loginUser = `mx${RUN}_zzo`;

// docs/permissions.md: roles -> permissions (every role also has public and authenticated).
const PLAN_ALL = ['plan.read', 'plan.write', 'plan.report', 'plan.confirm'];
const SPOTCHECK_ALL = ['catalogue.write', 'spotcheck.read', 'spotcheck.plan', 'spotcheck.approve'];
const INSPECTION = ['inspection.read', 'inspection.act'];
const RESULTS = ['results.publish', 'results.approve'];
const ROLE_PERMS = {
  admin: ['org.read', 'org.write', 'user.read', 'user.write', 'token.manage', 'audit.read',
    'stats.read', 'enterprise.read', 'enterprise.write', 'credit.write', ...PLAN_ALL,
    ...SPOTCHECK_ALL, ...INSPECTION, 'inspection.declare', 'stats.write', ...RESULTS],
  officer: ['org.read', 'user.read', 'stats.read', 'enterprise.read', 'enterprise.write',
    'credit.write', ...PLAN_ALL, ...SPOTCHECK_ALL, ...INSPECTION, 'stats.write', ...RESULTS],
  inspector: ['org.read', 'enterprise.read', 'plan.read', 'spotcheck.read', ...INSPECTION,
    'inspection.declare'],
  lab: ['org.read', 'enterprise.read', 'plan.read', 'spotcheck.read', ...INSPECTION],
  enterprise: ['org.read', ...INSPECTION],
  analyst: ['org.read', 'stats.read', 'enterprise.read', 'plan.read', 'spotcheck.read',
    'inspection.read'],
};
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let passed = 0;
let failed = 0;
let n = 0;
function ok(cond, name, why) {
  n++;
  if (cond) {
    passed++;
    console.log(`ok ${n} - ${name}`);
  } else {
    failed++;
    console.log(`not ok ${n} - ${name}${why ? `: ${why}` : ''}`);
  }
  return cond;
}
function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

async function request(method, path, { caller, body, csrf = true, headers = {} } = {}) {
  const h = { ...headers };
  if (caller?.cookie) {
    h.Cookie = `zl_session=${caller.cookie}`;
    if (csrf && STATE_CHANGING.has(method)) h['X-CSRF-Token'] = caller.csrf;
  }
  if (caller?.token) h.Authorization = `Bearer ${caller.token}`;
  let payload;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    h['Content-Type'] = 'application/json';
  }
  const res = await fetch(BASE + path, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text, headers: res.headers };
}

function cli(args, input) {
  return execFileSync(BIN, ['--db', DB, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

function addUser(name, org, role) {
  try {
    cli(['user', 'add', name, '--org', org, '--role', role, '--password-stdin'], `${PASSWORD}\n`);
    return true;
  } catch (e) {
    console.log(`# user add ${name} failed: ${(e.stderr || e.message).toString().trim()}`);
    return false;
  }
}

async function login(username, role, org, path) {
  const r = await request('POST', '/api/v1/session', { body: { username, password: PASSWORD } });
  const set = r.headers.getSetCookie ? r.headers.getSetCookie() : [r.headers.get('set-cookie') || ''];
  const m = set.map((c) => /(?:^|;\s*)zl_session=([0-9a-f]{64})/.exec(c)).find(Boolean);
  if (r.status !== 200 || !m || !r.json?.csrf_token) {
    console.log(`# login ${username}: status ${r.status} ${r.text.slice(0, 200)}`);
    return null;
  }
  return { name: username, kind: 'user', role, org, path, cookie: m[1], csrf: r.json.csrf_token,
    perms: new Set(['public', 'authenticated', ...ROLE_PERMS[role]]) };
}

// Is org path `p` in the subtree of `anc`?  Both like "/410000/410100/".
const within = (p, anc) => p.startsWith(anc);
// Org scope "province": the caller's government (the last six-digit segment of
// its path) is the root, so the province or a provincial department, never a city.
function provincial(path) {
  const segs = path.split('/').filter(Boolean);
  const govs = segs.filter((s) => /^[0-9]{6}$/.test(s));
  return govs.length > 0 && govs[govs.length - 1] === segs[0];
}

// The expected outcome: 401, 403 or 'allowed'.
function expected(route, caller, target) {
  if (route.permission === 'public') return 'allowed';
  if (!caller) return 401;
  if (!caller.perms.has(route.permission)) return 403;
  const kind = route.org_scope.split(':')[0];
  if (kind === 'province') return provincial(caller.path) ? 'allowed' : 403;
  if (kind === 'none' || kind === 'self') return 'allowed';
  if (!target) return 'allowed'; // query parameter absent: the caller's own organization
  if (target.missing) return caller.path.split('/').filter(Boolean).length === 1 ? 'allowed' : 403;
  return within(target.path, caller.path) ? 'allowed' : 403;
}

function outcome(status) {
  return status === 401 || status === 403 ? status : 'allowed';
}

// The request for `route` aimed at `target` (null: no target needed / query absent).
function build(route, target) {
  const [kind, name] = route.org_scope.split(':');
  let path = route.path;
  let body;
  const subst = { code: target?.code, username: target?.user, id: target?.token };
  path = path.replace(/\{([a-z_]+)\}/g, (_, p) => {
    if (kind === 'param' && p === name) return encodeURIComponent(target?.code ?? '410102');
    if (kind === 'user' && p === name) return encodeURIComponent(target?.user ?? 'nobody');
    if (kind === 'token' && p === name) return encodeURIComponent(target?.token ?? '0');
    return encodeURIComponent(subst[p] ?? 'x');
  });
  if (kind === 'query' && target) path += `${path.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(target.code)}`;
  if (STATE_CHANGING.has(route.method) && route.method !== 'DELETE') body = {};
  if (kind === 'body') body = { [name]: target?.code ?? '' };
  // The login route answers 401 to wrong credentials by design: give it good ones.
  if (route.method === 'POST' && route.path === '/api/v1/session')
    body = { username: loginUser, password: PASSWORD };
  return { path, body };
}

async function main() {
  if (!DB) {
    ok(false, 'ZL_DB names the server database');
    finish();
  }
  const routes = JSON.parse(execFileSync(BIN, ['routes', '--json'], { encoding: 'utf8' }));
  ok(Array.isArray(routes) && routes.length > 0, `route table has ${routes.length} routes`);
  if (routes.every((r) => r.permission === 'public')) {
    // Nothing needs a caller yet: every route must answer anonymously.
    for (const route of routes) {
      const { path, body } = build(route, null);
      const r = await request(route.method, path, { body });
      ok(outcome(r.status) === 'allowed', `${route.method} ${route.path} (public) as anonymous`, `got ${r.status}`);
    }
    finish();
  }

  // ---- callers --------------------------------------------------------------
  const P = { prov: '/410000/', zz: '/410000/410100/', ly: '/410000/410300/',
    zj: '/410000/410000-D006/' };
  const u = (s) => `mx${RUN}_${s}`;
  const made = [
    addUser(u('zzo'), '410100', 'officer'),
    addUser(u('lyo'), '410300', 'officer'),
    addUser(u('zza'), '410100', 'admin'),
    addUser(u('pra'), '410000', 'admin'),
    addUser(u('zjo'), '410000-D006', 'officer'),
    addUser(u('zzt'), '410102', 'inspector'), // targets
    addUser(u('lyt'), '410302', 'inspector'),
  ];
  if (!ok(made.every(Boolean), 'users created with `zhiliang user add --password-stdin`')) finish();
  const callers = {
    anonymous: null,
    'officer 郑州': await login(u('zzo'), 'officer', '410100', P.zz),
    'officer 洛阳': await login(u('lyo'), 'officer', '410300', P.ly),
    'admin 郑州': await login(u('zza'), 'admin', '410100', P.zz),
    'admin 河南省': await login(u('pra'), 'admin', '410000', P.prov),
    'officer 省质监局': await login(u('zjo'), 'officer', '410000-D006', P.zj),
  };
  for (const [label, c] of Object.entries(callers))
    if (label !== 'anonymous' && !ok(c, `login as ${label}`)) finish();

  // /me reports the same permissions as the matrix here.
  if (routes.some((r) => r.method === 'GET' && r.path === '/api/v1/me')) {
    for (const [label, c] of Object.entries(callers)) {
      if (!c) continue;
      const r = await request('GET', '/api/v1/me', { caller: c });
      const got = new Set(r.json?.permissions || []);
      const same = got.size === c.perms.size && [...c.perms].every((p) => got.has(p));
      ok(r.status === 200 && same, `GET /api/v1/me permissions of ${label}`, `${r.status} ${[...got]}`);
    }
  }

  // ---- targets: orgs, users, tokens in each city ----------------------------
  const targets = [
    { label: 'in 郑州', code: '410102', path: '/410000/410100/410102/', user: u('zzt') },
    { label: 'in 洛阳', code: '410302', path: '/410000/410300/410302/', user: u('lyt') },
  ];
  const pra = callers['admin 河南省'];
  if (routes.some((r) => r.method === 'POST' && r.path === '/api/v1/tokens')) {
    for (const t of targets) {
      const r = await request('POST', '/api/v1/tokens', {
        caller: pra, body: { name: `matrix ${t.code}`, org: t.code, permissions: ['org.read'] } });
      ok(r.status === 201 && r.json?.id && r.json?.token, `token created in ${t.code}`, `${r.status} ${r.text.slice(0, 160)}`);
      t.token = r.json?.id;
      t.secret = r.json?.token;
    }
    // An API token of 郑州 with org.read only is a caller too.
    const r = await request('POST', '/api/v1/tokens', {
      caller: pra, body: { name: 'matrix caller', org: '410100', permissions: ['org.read'] } });
    if (ok(r.status === 201 && r.json?.token, 'caller token created for 410100'))
      callers['token 郑州 org.read'] = { name: r.json.id, kind: 'token', org: '410100', path: P.zz,
        token: r.json.token, perms: new Set(['public', 'authenticated', 'org.read']) };
  }
  const missing = { label: 'missing', code: '999999', path: '', user: 'no.such.user', token: 'no-such-token', missing: true };

  // ---- the matrix ------------------------------------------------------------
  // Logout (DELETE on a "self" route) would end the caller's session: give it a fresh one.
  const fresh = async (c) => (c?.kind === 'user' ? login(c.name, c.role, c.org, c.path) : c);
  for (const route of routes) {
    const kind = route.org_scope.split(':')[0];
    const variants = kind === 'none' || kind === 'self' || kind === 'province' ? [null]
      : kind === 'query' ? [null, ...targets, missing] : [...targets, missing];
    for (const [label, c0] of Object.entries(callers)) {
      for (const target of variants) {
        if (kind === 'token' && target && !target.missing && !target.token) continue;
        const c = kind === 'self' && route.method === 'DELETE' ? await fresh(c0) : c0;
        const { path, body } = build(route, target);
        const want = expected(route, c, target);
        const r = await request(route.method, path, { caller: c, body });
        const got = outcome(r.status);
        ok(got === want, `${route.method} ${route.path} as ${label}${target ? ` ${target.label}` : ''} -> ${want}`,
          `got ${r.status} ${r.text.slice(0, 160)}`);
        // A refusal is a JSON error that never says whether the target exists.
        if (got !== 'allowed' && route.path.startsWith('/api/'))
          ok(r.json?.error?.code === (got === 401 ? 'unauthorized' : 'forbidden'),
            `  ${route.method} ${route.path} as ${label}: error body`, r.text.slice(0, 160));
      }
    }
  }

  // ---- CSRF: the cookie alone never changes state -------------------------------
  const za = callers['admin 郑州'];
  for (const route of routes) {
    if (!STATE_CHANGING.has(route.method) || route.permission === 'public') continue;
    const { path, body } = build(route, targets[0]);
    const none = await request(route.method, path, { caller: za, body, csrf: false });
    ok(none.status === 403 && /CSRF/.test(none.json?.error?.message || ''),
      `${route.method} ${route.path} with cookie but no X-CSRF-Token -> 403`, `got ${none.status}`);
    const wrong = await request(route.method, path, { caller: za, body, csrf: false,
      headers: { 'X-CSRF-Token': '0'.repeat(64) } });
    ok(wrong.status === 403, `${route.method} ${route.path} with a wrong X-CSRF-Token -> 403`, `got ${wrong.status}`);
  }

  // ---- credentials that do not count ----------------------------------------------
  const pub = routes.find((r) => r.method === 'GET' && r.permission === 'public' && r.path.startsWith('/api/'));
  const priv = routes.find((r) => r.method === 'GET' && r.permission !== 'public' && !r.path.includes('{'));
  const junk = { cookie: 'f'.repeat(64), csrf: '' };
  if (pub) {
    const r = await request('GET', pub.path, { caller: junk });
    ok(r.status === 200, `unknown session cookie on public ${pub.path} -> anonymous 200`, `got ${r.status}`);
    const g = await request('GET', pub.path, { headers: { Cookie: 'zl_session="garbage;,\\' } });
    ok(g.status === 200, `malformed Cookie header on public ${pub.path} -> 200`, `got ${g.status}`);
  }
  if (priv) {
    let r = await request('GET', priv.path, { caller: junk });
    ok(r.status === 401, `unknown session cookie on ${priv.path} -> 401`, `got ${r.status}`);
    r = await request('GET', priv.path, { caller: { token: `zlt_${'0'.repeat(64)}` } });
    ok(r.status === 401, `unknown API token on ${priv.path} -> 401`, `got ${r.status}`);
    r = await request('GET', priv.path, { headers: { Authorization: 'Bearer not-a-token' } });
    ok(r.status === 401, `malformed bearer token on ${priv.path} -> 401`, `got ${r.status}`);
  }
  finish();
}

main().catch((e) => {
  ok(false, 'matrix run', e.stack || String(e));
  finish();
});
