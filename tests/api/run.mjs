#!/usr/bin/env node
// run.mjs - the API test runner: sends each tests/api/*.case request to a
// running server and checks the expected status, headers and body.
//
// Usage: ZL_BASE_URL=http://127.0.0.1:8080 node tests/api/run.mjs [CASE...]
//   With ZL_BIN=./zhiliang it also checks that docs/api.md equals
//   `zhiliang routes --markdown` (the generated docs must not drift).
// Output: one TAP-like line per case ("ok N - name" / "not ok N - name: why"),
// then exactly one final line "N passed, N failed"; exit 1 if any failed.
//
// Requests go over a raw TCP socket (node:net), not fetch(): fetch resolves
// "/../" and "%2e%2e" in URLs before sending and refuses to set headers such
// as Content-Length, so path-traversal and size-limit cases could not be
// expressed with it.  No npm dependencies.
//
// Case file format (see tests/api/README.md):
//   # name of the case (first comment line), more comments
//   METHOD /target?query
//   Header: Name: value            (any number)
//   Body-File: fixtures/x.csv      (the body is this file, relative to tests/api, sent
//                                   byte for byte; instead of a body in the case)
//   Retry: N                       (while the expectations fail, send again up to N
//                                   more times, 100 ms apart: for background work)
//   Login: admin                   (send the session cookie of the account
//                                   $ZL_ADMIN_USER/$ZL_ADMIN_PASSWORD, logged in
//                                   once per run, plus X-CSRF-Token on POST/PUT/
//                                   PATCH/DELETE; the case fails when those
//                                   variables are not set)
//   <blank line>
//   optional request body (up to the expect line; final newline dropped)
//   --- expect
//   status: 200                    (or several allowed: "status: 200 400 404")
//   header: Name: exact value
//   header-contains: Name: substring
//   header-absent: Name
//   header-matches: Name: regex    (JavaScript RegExp, unanchored unless ^...$)
//   json: {"a":1}                  (subset match; arrays element-wise)
//   body-contains: text
//   body-not-contains: text
//   body-starts-with-hex: efbbbf   (the body's first bytes; spaces ignored)
//   keep-alive: yes                (the same request twice on one connection)
//   capture: NAME json a.b.c       (remember a value for later cases: a JSON member
//   capture: NAME cookie zl_session  by dotted path, a Set-Cookie value, or a
//   capture: NAME header Name        response header)
// A gzip-encoded response body is decompressed before body checks.
//
// Sequences of requests (sign in, then use the session):
//   - {{NAME}} anywhere in the request or the expect lines is replaced by a
//     value captured by an earlier case ({{env:VAR}}: an environment
//     variable); cases run in file-name order, so a sequence is a group of
//     files with a common prefix and numbers (id-04-login, id-05-me, ...).
//     Running one such case alone fails with "unknown variable".
//   - "Peer: 127.0.0.N" in the request head sends from that loopback
//     address, so login cases do not share the per-address rate limit and
//     lock-out counters with each other or with the rest of the suite.
//   - "Login: NAME" also works for the accounts that tests/api/setup.txt
//     creates with a password on stdin, and for the demo accounts demo.*
//     that `init --demo` creates with the administrator's password.
// Set-up: with ZL_BIN and ZL_DB set, every line of tests/api/setup.txt is run
// first as `$ZL_BIN --db $ZL_DB ARGS...` (words split on spaces; "<<< TEXT"
// at the end is the standard input), e.g. to create the accounts the cases
// use; a failure other than "already exists/taken" fails the run.

import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const base = new URL(process.env.ZL_BASE_URL || 'http://127.0.0.1:8080');
const host = base.hostname.replace(/^\[|\]$/g, '');
const port = Number(base.port || 80);

function parseCase(text, file) {
  const lines = text.split('\n');
  const c = { file, name: basename(file, '.case'), headers: [], body: '', expect: [] };
  let i = 0;
  let named = false;
  for (; i < lines.length && (lines[i].startsWith('#') || lines[i].trim() === ''); i++) {
    if (!named && lines[i].startsWith('#')) {
      c.name = lines[i].replace(/^#\s*/, '').trim();
      named = true;
    }
  }
  const m = /^([A-Z]+) (\S+)$/.exec(lines[i] || '');
  if (!m) throw new Error(`${file}: expected "METHOD /target" at line ${i + 1}`);
  c.method = m[1];
  c.target = m[2];
  for (i++; i < lines.length && lines[i] !== '' && !lines[i].startsWith('--- expect'); i++) {
    const l = /^Login:\s*(\S+)\s*$/i.exec(lines[i]);
    if (l) {
      c.login = l[1];
      continue;
    }
    const rt = /^Retry:\s*(\d+)\s*$/i.exec(lines[i]);
    if (rt) {
      c.retry = Number(rt[1]);
      continue;
    }
    const bf = /^Body-File:\s*(\S+)\s*$/i.exec(lines[i]);
    if (bf) {
      c.bodyFile = bf[1];
      continue;
    }
    const pe = /^Peer:\s*(\S+)\s*$/i.exec(lines[i]);
    if (pe) {
      c.peer = pe[1];
      continue;
    }
    const h = /^Header:\s*([^:]+):\s?(.*)$/i.exec(lines[i]);
    if (!h) throw new Error(`${file}: bad request line ${i + 1}: ${lines[i]}`);
    c.headers.push([h[1].trim(), h[2]]);
  }
  const bodyLines = [];
  if (lines[i] === '') i++;
  for (; i < lines.length && !lines[i].startsWith('--- expect'); i++) bodyLines.push(lines[i]);
  if (i >= lines.length) throw new Error(`${file}: no "--- expect" line`);
  c.body = bodyLines.join('\n').replace(/\n$/, '');
  for (i++; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.startsWith('#')) continue;
    const e = /^([a-z-]+):\s?(.*)$/.exec(line);
    if (!e) throw new Error(`${file}: bad expect line ${i + 1}: ${line}`);
    c.expect.push([e[1], e[2]]);
  }
  return c;
}

function buildRequest(c, keepAlive) {
  // Body-File: the body is that file's bytes, as they are (binary, GBK...).
  const body = c.bodyFile ? readFileSync(join(here, c.bodyFile)) : Buffer.from(c.body, 'utf8');
  const names = c.headers.map(([n]) => n.toLowerCase());
  let head = `${c.method} ${c.target} HTTP/1.1\r\nHost: ${base.host}\r\n`;
  if (!names.includes('connection')) head += keepAlive ? '' : 'Connection: close\r\n';
  for (const [n, v] of c.headers) head += `${n}: ${v}\r\n`;
  if (body.length && !names.includes('content-length') && !names.includes('transfer-encoding'))
    head += `Content-Length: ${body.length}\r\n`;
  return Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), body]);
}

// Parse one response from buf; returns {resp, rest} or null when incomplete.
// With `eof`, a body without length runs to the end.
function parseResponse(buf, isHead, eof) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const headLines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const sl = /^HTTP\/1\.[01] (\d{3})/.exec(headLines[0]);
  if (!sl) throw new Error(`bad status line: ${headLines[0]}`);
  const status = Number(sl[1]);
  const headers = new Map();
  for (const l of headLines.slice(1)) {
    const k = l.indexOf(':');
    if (k > 0) {
      const n = l.slice(0, k).trim().toLowerCase();
      const v = l.slice(k + 1).trim();
      headers.set(n, headers.has(n) ? `${headers.get(n)}, ${v}` : v);
    }
  }
  let rest = buf.subarray(end + 4);
  // A 100 Continue precedes the real response.
  if (status === 100) return parseResponse(rest, isHead, eof);
  let body;
  if (isHead || status === 204 || status === 304) {
    body = Buffer.alloc(0);
  } else if ((headers.get('transfer-encoding') || '').toLowerCase().includes('chunked')) {
    const parts = [];
    let p = 0;
    for (;;) {
      const le = rest.indexOf('\r\n', p);
      if (le < 0) return null;
      const size = parseInt(rest.subarray(p, le).toString('latin1'), 16);
      if (Number.isNaN(size)) throw new Error('bad chunk size');
      if (size === 0) {
        const te = rest.indexOf('\r\n\r\n', le - 2 >= 0 ? le - 2 : 0);
        if (te < 0) return null;
        rest = rest.subarray(te + 4);
        break;
      }
      if (rest.length < le + 2 + size + 2) return null;
      parts.push(rest.subarray(le + 2, le + 2 + size));
      p = le + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  } else if (headers.has('content-length')) {
    const n = Number(headers.get('content-length'));
    if (rest.length < n) return null;
    body = rest.subarray(0, n);
    rest = rest.subarray(n);
  } else {
    if (!eof) return null;
    body = rest;
    rest = Buffer.alloc(0);
  }
  return { resp: { status, headers, body }, rest };
}

// Send the request `times` times on one connection; resolve with the responses
// and whether the server kept the connection open between them.
function exchange(c, times) {
  return new Promise((resolve, reject) => {
    const keepAlive = times > 1;
    const req = buildRequest(c, keepAlive);
    const sock = connect(c.peer ? { host, port, localAddress: c.peer } : { host, port });
    const out = [];
    let buf = Buffer.alloc(0);
    let closed = false;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('timeout after 10 s'));
    }, 10000);
    const finish = (err) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve({ responses: out, closedEarly: closed && out.length < times });
    };
    const pump = (eof) => {
      try {
        for (;;) {
          const r = parseResponse(buf, c.method === 'HEAD', eof);
          if (!r) break;
          out.push(r.resp);
          buf = r.rest;
          if (out.length === times) return finish();
          sock.write(req);
          if (eof) break;
        }
      } catch (e) {
        return finish(e);
      }
      if (eof) finish(out.length ? null : new Error('connection closed without a response'));
    };
    sock.on('connect', () => sock.write(req));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      pump(false);
    });
    sock.on('end', () => {
      closed = true;
      pump(true);
    });
    sock.on('error', (e) => {
      if (out.length || buf.length) {
        closed = true;
        pump(true);
      } else finish(e);
    });
  });
}

// Every member of `want` is present in `got` and equal; arrays element-wise.
function subset(want, got, path = '$') {
  if (want === null || typeof want !== 'object') {
    return Object.is(want, got) ? null : `${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got)) return `${path}: expected an array`;
    if (got.length < want.length) return `${path}: expected at least ${want.length} elements, got ${got.length}`;
    for (let i = 0; i < want.length; i++) {
      const r = subset(want[i], got[i], `${path}[${i}]`);
      if (r) return r;
    }
    return null;
  }
  if (got === null || typeof got !== 'object' || Array.isArray(got)) return `${path}: expected an object`;
  for (const k of Object.keys(want)) {
    if (!(k in got)) return `${path}.${k}: missing`;
    const r = subset(want[k], got[k], `${path}.${k}`);
    if (r) return r;
  }
  return null;
}

function check(c, resp, extra) {
  let body = resp.body;
  if ((resp.headers.get('content-encoding') || '') === 'gzip') {
    try {
      body = gunzipSync(body);
    } catch (e) {
      return `gzip body does not decompress: ${e.message}`;
    }
  }
  const text = body.toString('utf8');
  for (const [kind, arg] of c.expect) {
    if (kind === 'status') {
      const allowed = arg.split(/\s+/).map(Number);
      if (!allowed.includes(resp.status)) return `status ${resp.status}, expected ${arg}`;
    } else if (kind === 'header' || kind === 'header-contains') {
      const k = arg.indexOf(':');
      const name = arg.slice(0, k).trim().toLowerCase();
      const want = arg.slice(k + 1).trim();
      const got = resp.headers.get(name);
      if (got === undefined) return `header ${name} missing`;
      if (kind === 'header' && got !== want) return `header ${name} is "${got}", expected "${want}"`;
      if (kind === 'header-contains' && !got.includes(want)) return `header ${name} is "${got}", expected it to contain "${want}"`;
    } else if (kind === 'header-matches') {
      const k = arg.indexOf(':');
      const name = arg.slice(0, k).trim().toLowerCase();
      const re = new RegExp(arg.slice(k + 1).trim());
      const got = resp.headers.get(name);
      if (got === undefined) return `header ${name} missing`;
      if (!re.test(got)) return `header ${name} is "${got}", expected it to match ${re}`;
    } else if (kind === 'header-absent') {
      if (resp.headers.has(arg.trim().toLowerCase())) return `header ${arg.trim()} present`;
    } else if (kind === 'json') {
      let got;
      try {
        got = JSON.parse(text);
      } catch (e) {
        return `body is not JSON: ${text.slice(0, 80)}`;
      }
      const r = subset(JSON.parse(arg), got);
      if (r) return r;
    } else if (kind === 'body-contains') {
      if (!text.includes(arg)) return `body does not contain "${arg}"`;
    } else if (kind === 'body-not-contains') {
      if (text.includes(arg)) return `body contains "${arg}"`;
    } else if (kind === 'body-starts-with-hex') {
      const want = Buffer.from(arg.replace(/\s+/g, ''), 'hex');
      if (!want.length) return `bad hex "${arg}"`;
      if (body.length < want.length || !body.subarray(0, want.length).equals(want))
        return `body starts with ${body.subarray(0, want.length).toString('hex') || '(nothing)'}, expected ${want.toString('hex')}`;
    } else if (kind === 'capture') {
      // handled by runCase
    } else if (kind === 'keep-alive') {
      if (extra.closedEarly) return 'server closed the connection after the first response';
    } else {
      return `unknown expectation "${kind}"`;
    }
  }
  return null;
}

// Values captured by earlier cases, for {{NAME}}.
const vars = new Map();

function substitute(text) {
  return text.replace(/\{\{([A-Za-z0-9_:]+)\}\}/g, (all, name) => {
    if (name.startsWith('env:')) {
      const v = process.env[name.slice(4)];
      if (v === undefined) throw new Error(`unknown variable ${all} (environment)`);
      return v;
    }
    if (!vars.has(name)) throw new Error(`unknown variable ${all} (captured by an earlier case?)`);
    return vars.get(name);
  });
}

// "NAME json a.b" | "NAME cookie NAME" | "NAME header Name" -> vars; returns why not.
function capture(spec, resp) {
  const m = /^(\w+)\s+(json|cookie|header)\s+(\S+)$/.exec(spec.trim());
  if (!m) return `bad capture "${spec}"`;
  const [, name, kind, what] = m;
  let v;
  if (kind === 'json') {
    try {
      v = what.split('.').reduce((o, k) => (o == null ? undefined : o[k]), JSON.parse(resp.body.toString('utf8')));
    } catch (e) {
      return `capture ${name}: body is not JSON`;
    }
  } else if (kind === 'cookie') {
    const c = new RegExp(`(?:^|[;,]\\s*)${what}=([^;,\\s]*)`).exec(resp.headers.get('set-cookie') || '');
    v = c ? c[1] : undefined;
  } else {
    v = resp.headers.get(what.toLowerCase());
  }
  if (v === undefined || v === null || typeof v === 'object') return `capture ${name}: no ${kind} ${what}`;
  vars.set(name, String(v));
  return null;
}

// tests/api/setup.txt: CLI commands run before the cases; remembers the
// passwords given on stdin to `user add NAME` for "Login: NAME".
const setupPasswords = new Map();
function setup() {
  const file = join(here, 'setup.txt');
  if (!process.env.ZL_BIN || !process.env.ZL_DB) return null;
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return null;
  }
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const k = line.indexOf(' <<< ');
    const argv = (k >= 0 ? line.slice(0, k) : line).split(/\s+/);
    const input = k >= 0 ? line.slice(k + 5) + '\n' : '';
    if (argv[0] === 'user' && argv[1] === 'add' && k >= 0) setupPasswords.set(argv[2], line.slice(k + 5));
    try {
      execFileSync(process.env.ZL_BIN, ['--db', process.env.ZL_DB, ...argv], { input, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      const err = String(e.stderr || e.message);
      if (!/taken|already exists/.test(err)) return { name: `setup: ${line}`, why: err.split('\n')[0] };
    }
  }
  return null;
}

// One login per account and run: {cookie, csrf}.
const sessions = new Map();
async function session(who) {
  // The demo accounts of `init --demo` (demo.*) share the administrator's password.
  const demo = who.startsWith('demo.');
  if (who !== 'admin' && !demo && !setupPasswords.has(who))
    throw new Error(`Login: only "admin", demo.* and the accounts of setup.txt are known, not "${who}"`);
  if (sessions.has(who)) return sessions.get(who);
  const username = who === 'admin' ? process.env.ZL_ADMIN_USER : who;
  const password = who === 'admin' || demo ? process.env.ZL_ADMIN_PASSWORD : setupPasswords.get(who);
  if (!username || !password) throw new Error('Login: admin needs ZL_ADMIN_USER and ZL_ADMIN_PASSWORD');
  // Over the raw socket from 127.0.0.3, so these sign-ins do not use up the
  // login rate limit of 127.0.0.1 that other cases may test.
  const { responses } = await exchange(
    {
      method: 'POST',
      target: '/api/v1/session',
      headers: [['Content-Type', 'application/json']],
      body: JSON.stringify({ username, password }),
      peer: '127.0.0.3',
    },
    1,
  );
  const r = responses[0];
  const body = r.body.toString('utf8');
  const m = /(?:^|[;,]\s*)zl_session=([^;,\s]+)/.exec(r.headers.get('set-cookie') || '');
  if (r.status !== 200 || !m) throw new Error(`Login: ${username} got ${r.status} ${body.slice(0, 120)}`);
  const s = { cookie: m[1], csrf: JSON.parse(body).csrf_token || '' };
  sessions.set(who, s);
  return s;
}

async function runCase(file) {
  const c = parseCase(substitute(readFileSync(file, 'utf8')), file);
  if (c.login) {
    const s = await session(c.login);
    c.headers.push(['Cookie', `zl_session=${s.cookie}`]);
    if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(c.method)) c.headers.push(['X-CSRF-Token', s.csrf]);
  }
  const times = c.expect.some(([k, v]) => k === 'keep-alive' && v.trim() === 'yes') ? 2 : 1;
  let { responses, closedEarly } = await exchange(c, times);
  // Retry: N - send again (100 ms apart, N more times) while the expectations fail.
  for (let left = c.retry || 0; left > 0 && responses.some((r) => check(c, r, { closedEarly })); left--) {
    await new Promise((res) => setTimeout(res, 100));
    ({ responses, closedEarly } = await exchange(c, times));
  }
  for (const [k, v] of c.expect) {
    if (k !== 'capture') continue;
    const why = capture(v, responses[0]);
    if (why) return { name: c.name, why };
  }
  for (const r of responses) {
    const why = check(c, r, { closedEarly });
    if (why) return { name: c.name, why };
  }
  if (responses.length < times) return { name: c.name, why: 'server closed the connection after the first response' };
  return { name: c.name, why: null };
}

function docsCase() {
  const name = 'docs/api.md equals `zhiliang routes --markdown`';
  try {
    const generated = execFileSync(process.env.ZL_BIN, ['routes', '--markdown'], { encoding: 'utf8' });
    const onDisk = readFileSync(join(here, '..', '..', 'docs', 'api.md'), 'utf8');
    return { name, why: generated === onDisk ? null : 'they differ: run `make docs`' };
  } catch (e) {
    return { name, why: e.message.split('\n')[0] };
  }
}

const args = process.argv.slice(2);
const files = args.length ? args : readdirSync(here).filter((f) => f.endsWith('.case')).sort().map((f) => join(here, f));
let passed = 0;
let failed = 0;
let n = 0;
const report = ({ name, why }) => {
  n++;
  if (why) {
    failed++;
    console.log(`not ok ${n} - ${name}: ${why}`);
  } else {
    passed++;
    console.log(`ok ${n} - ${name}`);
  }
};
{
  const failed = setup();
  if (failed) report(failed);
}
for (const f of files) {
  try {
    report(await runCase(f));
  } catch (e) {
    report({ name: basename(f, '.case'), why: e.message });
  }
}
if (process.env.ZL_BIN && !args.length) report(docsCase());
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
