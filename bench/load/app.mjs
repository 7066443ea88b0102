// The servers of bench/load.mjs and the API calls that prepare them: a release `clipjury serve` (SQLite file or a
// fresh PostgreSQL database, in-process media workers, as by default) and the actix-web hello-world baseline
// (examples/hello.rs), and contests brought to `judging` and `published` through the API as people would.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = process.env.CLIPJURY_BIN ?? join(ROOT, 'target/release/clipjury');
export const HELLO_BIN = process.env.HELLO_BIN ?? join(ROOT, 'target/release/examples/hello');
const { freePort } = await import('../../tests/interop/support/server.mjs');
const PASSWORD = 'bench password 1234';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Calls the API; throws on any status but 2xx. Returns the parsed body. */
export async function api(base, method, path, token, body) {
  const send = () => fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // A GET is retried once when a kept-alive connection was closed by the server just as it was reused.
  const res = await send().catch((e) => (method === 'GET' ? send() : Promise.reject(e)));
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function until(check, what, timeoutMs = 300_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

function stopper(child) {
  return async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    }
  };
}

async function waitUp(url, child, log) {
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}\n${log ? readFileSync(log, 'utf8') : ''}`);
    try { return (await fetch(url)).ok; } catch { return false; }
  }, url, 60_000);
}

/** The hello-world baseline on a free port. */
export async function startHello() {
  const port = await freePort();
  const child = spawn(HELLO_BIN, [`127.0.0.1:${port}`], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  await waitUp(`${base}/`, child);
  return { base, pid: child.pid, stop: stopper(child) };
}

/**
 * A fresh `clipjury serve` in `work`: on SQLite, or on a new database of the PostgreSQL server at `pgUrl`. The web
 * folder holds only an index.html, so the public results page (`/c/{slug}/results`, with its link-preview tags) is
 * served without building the web app. Returns the base URL, the pid and an admin token.
 */
export async function startClipjury(work, pgUrl) {
  const dir = mkdtempSync(join(work, 'server-'));
  mkdirSync(join(dir, 'web'));
  writeFileSync(join(dir, 'web/index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>clipjury</title></head><body><div id="app"></div></body></html>\n');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let database = `sqlite://${join(dir, 'clipjury.db')}`;
  if (pgUrl) {
    const name = `clipjury_load_${Date.now()}`;
    const made = spawnSync('psql', [`${pgUrl}/postgres`, '-qc', `CREATE DATABASE ${name}`]);
    if (made.status !== 0) throw new Error(String(made.stderr));
    database = `${pgUrl}/${name}`;
  }
  const env = {
    ...process.env, DATABASE_URL: database, CLIPJURY_MEDIA__DIR: join(dir, 'media'), CLIPJURY_WORKER__TEMP_DIR: dir,
    CLIPJURY_SERVER__LISTEN: `127.0.0.1:${port}`, CLIPJURY_SERVER__WEB_DIR: join(dir, 'web'),
    CLIPJURY_AUTH__JWT_SECRET: 'bench-load-secret-0123456789abcdef0123456789',
  };
  const admin = spawnSync(BIN, ['admin', 'create', '--email', 'admin@example.org'], { input: `${PASSWORD}\n`, env });
  if (admin.status !== 0) throw new Error(String(admin.stderr));
  const log = join(dir, 'server.log');
  const child = spawn('sh', ['-c', `exec "$0" serve 2>>"$1"`, BIN, log], { env, stdio: 'ignore' });
  await waitUp(`${base}/readyz`, child, log);
  const token = (await api(base, 'POST', '/api/auth/login', null, { email: 'admin@example.org', password: PASSWORD })).token;
  return { base, pid: child.pid, token, log, stop: stopper(child) };
}

/** Redeems an invite; returns the participant's session token (used as a Bearer token). */
async function redeem(base, invite) {
  const res = await fetch(`${base}/api/invites/redeem`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: invite.token }),
  });
  if (!res.ok) throw new Error(`redeem: ${res.status} ${await res.text()}`);
  return /clipjury_session=([^;]+)/.exec(res.headers.get('set-cookie'))[1];
}

/** Uploads `file` as the group's video in one multipart request (the fallback for small files and scripts). */
export async function uploadMultipart(base, contestId, group, file) {
  const form = new FormData();
  form.append('video', new Blob([readFileSync(file)], { type: 'video/mp4' }), basename(file));
  const res = await fetch(`${base}/api/contests/${contestId}/submission/video`, {
    method: 'POST', headers: { authorization: `Bearer ${group}` }, body: form,
  });
  if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`);
}

/** Waits until every submission of the contest has a ready video; a failed one throws. */
export async function allReady(srv, contestId, count) {
  return until(async () => {
    const subs = await api(srv.base, 'GET', `/api/contests/${contestId}/submissions`, srv.token);
    const failed = subs.filter((s) => s.status === 'failed');
    if (failed.length) throw new Error(`processing failed: ${JSON.stringify(failed)}`);
    return subs.length === count && subs.every((s) => s.status === 'ready') ? subs : null;
  }, `${count} ready videos`);
}

/**
 * An open contest with `groups` groups (form saved) and `jurors` jurors, all redeemed. Returns
 * `{ id, slug, groups: [token], jurors: [token] }`.
 */
export async function openContest(srv, title, groups, jurors) {
  const { base, token } = srv;
  const contest = await api(base, 'POST', '/api/contests', token, { title });
  await api(base, 'POST', `/api/contests/${contest.id}/transitions`, token, { to: 'open' });
  const add = async (role, name) => redeem(base, (await api(base, 'POST', `/api/contests/${contest.id}/participants`, token, { role, name })).invite);
  const c = { id: contest.id, slug: contest.slug, groups: [], jurors: [] };
  for (let i = 0; i < groups; i++) {
    const g = await add('group', `Group ${i + 1}`);
    await api(base, 'PUT', `/api/contests/${contest.id}/submission`, g, {
      title: `Video ${i + 1}`, key_message: 'To treat and respect women equally', purpose: 'Change habits',
      audience: 'Teenagers', consent_confirmed: true,
    });
    c.groups.push(g);
  }
  for (let i = 0; i < jurors; i++) c.jurors.push(await add('juror', `Juror ${i + 1}`));
  return c;
}

/** An open contest whose groups each upload `clip` (one at a time) and wait until ready, then moved to judging. */
export async function judgingContest(srv, title, groups, jurors, clip) {
  const c = await openContest(srv, title, groups, jurors);
  for (const g of c.groups) await uploadMultipart(srv.base, c.id, g, clip);
  await allReady(srv, c.id, groups);
  await api(srv.base, 'POST', `/api/contests/${c.id}/transitions`, srv.token, { to: 'judging' });
  const list = await api(srv.base, 'GET', `/api/contests/${c.id}/entries`, c.jurors[0]);
  c.entries = list.entries.map((e) => e.entry_id);
  return c;
}

export const CRITERIA = ['message', 'creativity', 'technical_quality', 'impact', 'respect_consent'];

/** A juror's own card for an entry, as the server has it. */
export async function card(base, contestId, entryId, juror) {
  return (await api(base, 'GET', `/api/contests/${contestId}/entries/${entryId}`, juror)).my_score;
}

/**
 * Every juror saves marks that set the entries apart (entry k's marks add up to 50 − k, so no tie touches the top
 * 3) and submits; then the contest is closed, its results confirmed and published.
 */
export async function publish(srv, c) {
  const { base, token } = srv;
  for (const juror of c.jurors) {
    for (const [k, entry] of c.entries.entries()) {
      const marks = CRITERIA.map((_, n) => 10 - Math.floor(k / 5) - (n < k % 5 ? 1 : 0));
      const path = `/api/contests/${c.id}/entries/${entry}/score`;
      const { version } = await card(base, c.id, entry, juror);
      await api(base, 'PUT', path, juror, { scores: Object.fromEntries(CRITERIA.map((k2, n) => [k2, marks[n]])), version });
      await api(base, 'POST', `${path}/submit`, juror);
    }
  }
  await api(base, 'POST', `/api/contests/${c.id}/transitions`, token, { to: 'closed' });
  await api(base, 'POST', `/api/contests/${c.id}/results/confirm`, token, {});
  await api(base, 'POST', `/api/contests/${c.id}/transitions`, token, { to: 'published' });
}
