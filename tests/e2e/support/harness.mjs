// Browser-test harness: the real debug binary, the built web app, Debian's chromium.
//
// Usage (in a `node --test` file under tests/e2e/):
//
//   import { test, before, after } from 'node:test';
//   import { startApp, launchBrowser, phoneContext, desktopContext, axeCheck, shot, fixture } from './support/harness.mjs';
//
//   let app, browser;
//   before(async () => { app = await startApp(); browser = await launchBrowser(); });
//   after(async () => { await browser?.close(); await app?.stop(); });
//
//   test('…', async () => {
//     const admin = await app.admin();                       // bearer token of the first admin (set up once)
//     const c = await app.createContest(admin, { title: 'T', groups: ['G1'], jurors: ['J1'], open: true });
//     await app.submitEntry(c.id, c.invites['G1'], { title: 'Clip' }); // form + upload by API, waits until ready
//     const ctx = await phoneContext(browser);               // or desktopContext(browser, { locale: 'km-KH' })
//     const page = await ctx.newPage();
//     await app.openInvite(page, c.invites['G1']);  // shows who the link is for, presses "join"
//     await axeCheck(page, 'group form');                    // fails on serious/critical axe violations
//     await shot(page, 'group-form');                        // test-artifacts/e2e/group-form.png
//     await page.getByLabel('Choose video').setInputFiles(fixture('compliant-640x360.mp4'));
//   });
//
// Also: strings('km')(key, params) reads the app's dictionaries, pageErrors(page) collects uncaught errors,
// app.loginAdmin(context), app.redeem(inviteUrl), app.api(method, path, token, body), app.until(check).
//
// Needs CLIPJURY_BIN (default target/debug/clipjury), web/dist built, /usr/bin/chromium (or CHROMIUM); builds nothing.
// The server runs with in-process media workers, so uploaded clips are really processed. Its logs: E2E_SERVER_LOG=warn
// (default error).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import net from 'node:net';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { assertKhmerGlyphs, latinOnlyFontconfig } from './khmer.mjs';

export const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = process.env.CLIPJURY_BIN ?? join(ROOT, 'target/debug/clipjury');
const WEB_DIR = process.env.CLIPJURY_WEB_DIR ?? join(ROOT, 'web/dist');
const FIXTURES = join(ROOT, 'target/fixtures');
export const ARTIFACTS = join(ROOT, 'test-artifacts/e2e');

export const ADMIN_EMAIL = 'admin@example.org';
export const ADMIN_PASSWORD = 'correct horse battery staple';

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

/** Path of a generated test clip; runs tests/fixtures/make-clips.sh once when the clips are missing. */
export function fixture(name) {
  const path = join(FIXTURES, name);
  if (!existsSync(path)) {
    const made = spawnSync(join(ROOT, 'tests/fixtures/make-clips.sh'), [FIXTURES], { stdio: 'inherit' });
    if (made.status !== 0) throw new Error('tests/fixtures/make-clips.sh failed');
  }
  if (!existsSync(path)) throw new Error(`no fixture ${name} in ${FIXTURES}`);
  return path;
}

async function request(base, method, path, token, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return json;
}

// The test's own settings (CLIPJURY_BIN, CLIPJURY_WEB_DIR) are not server settings: the server refuses unknown keys.
function serverEnv() {
  const env = { ...process.env };
  delete env.CLIPJURY_BIN;
  delete env.CLIPJURY_WEB_DIR;
  return env;
}

/**
 * Starts `clipjury serve` on a free port with a fresh SQLite database and media folder, serving web/dist, with
 * in-process workers. Resolves once /readyz answers and the set-up link was printed.
 * `env` adds environment variables (e.g. `{ CLIPJURY_WORKER__CONCURRENCY: '2' }`). `publicHost` (e.g. 'workshop.lan')
 * makes the public URL `http://HOST:PORT`, as room mode does with the LAN address (the server still listens on
 * 127.0.0.1; map the name with `launchBrowser({ args: [hostResolverRule(HOST)] })`).
 */
export async function startApp({ env = {}, publicHost = null } = {}) {
  if (!existsSync(BIN)) throw new Error(`no clipjury binary at ${BIN}: run cargo build or set CLIPJURY_BIN`);
  if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error(`no web app in ${WEB_DIR}: run npm run build in web/`);
  const dir = mkdtempSync(join(tmpdir(), 'clipjury-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const args = ['serve', '--database-url', `sqlite://${join(dir, 'db.sqlite')}?mode=rwc`, '--media-dir', join(dir, 'media'),
    '--listen', `127.0.0.1:${port}`, '--web-dir', WEB_DIR, '--log-level', process.env.E2E_SERVER_LOG ?? 'error'];
  if (publicHost) args.push('--public-url', `http://${publicHost}:${port}`);
  const child = spawn(BIN, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...serverEnv(), CLIPJURY_WORKER__IN_PROCESS: 'true', CLIPJURY_WORKER__POLL_MILLIS: '100', ...env },
  });
  let out = '';
  let setupUrl = null;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    out += chunk;
    setupUrl ??= /(https?:\/\/\S+\/setup\?token=\S+)/.exec(out)?.[1] ?? null;
  });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`clipjury exited with ${child.exitCode}: ${out}`);
    if (i > 300) throw new Error('clipjury did not become ready in 30 s');
    const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ready && setupUrl) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  let adminToken = null;
  const app = {
    base,
    /** Where people open the app: `http://publicHost:port`, or `base`. */
    publicBase: publicHost ? `http://${publicHost}:${port}` : base,
    /** The one-time set-up link the server printed (used up once `admin()` ran). */
    setupUrl,
    /** Temp folder holding the database and media. */
    dir,
    /** JSON API call with an optional bearer token; throws on a non-2xx answer. */
    api: (method, path, token, body) => request(base, method, path, token, body),
    /** Creates the first admin through the set-up link (once) and returns a bearer token. */
    async admin() {
      if (!adminToken) {
        const token = new URL(setupUrl).searchParams.get('token');
        await request(base, 'POST', '/api/auth/setup', null, { token, email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
        adminToken = (await request(base, 'POST', '/api/auth/login', null, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).token;
      }
      return adminToken;
    },
    /** Signs a browser context in as the admin (session cookie), setting the admin up first when needed. */
    async loginAdmin(context) {
      await app.admin();
      const res = await context.request.post(`${base}/api/auth/login`, {
        data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
        headers: { origin: base },
      });
      assert.equal(res.status(), 200, `admin login: ${await res.text()}`);
    },
    /**
     * Creates a contest with `groups` and `jurors` (names) and returns `{ id, slug, contest, participants, invites }`
     * where `invites[name]` is the invite URL. `fields` go to PATCH (brief, key_messages, default_locale, …);
     * `rubric` replaces the default rubric; `open: true` moves it to open.
     */
    async createContest(token, { title = 'Use ICT for gender equality', groups = [], jurors = [], open = false, rubric, ...fields } = {}) {
      const created = await request(base, 'POST', '/api/contests', token, { title });
      const id = created.id;
      if (Object.keys(fields).length) await request(base, 'PATCH', `/api/contests/${id}`, token, fields);
      if (rubric) await request(base, 'PUT', `/api/contests/${id}/rubric`, token, rubric);
      for (const name of groups) await request(base, 'POST', `/api/contests/${id}/participants`, token, { role: 'group', name });
      for (const name of jurors) await request(base, 'POST', `/api/contests/${id}/participants`, token, { role: 'juror', name });
      if (open) await request(base, 'POST', `/api/contests/${id}/transitions`, token, { to: 'open' });
      const participants = await request(base, 'GET', `/api/contests/${id}/participants`, token);
      const invites = Object.fromEntries(participants.map((p) => [p.name, p.invite?.url]));
      const contest = await request(base, 'GET', `/api/contests/${id}`, token);
      return { id, slug: contest.slug, contest, participants, invites };
    },
    /**
     * Opens an invite link in `page` as a person does: the page shows who the link is for and they press "join"
     * (someone coming back with their own link goes straight on, with no button).
     */
    async openInvite(page, inviteUrl) {
      await page.goto(inviteUrl);
      await page.waitForFunction(() => !document.querySelector('.invite-opening'));
      const join = page.locator('button.join');
      if (await join.count()) await join.click();
      await page.waitForFunction(() => !document.querySelector('button.join') && !document.querySelector('.invite-opening'));
    },
    /** Redeems an invite URL outside the browser and returns the participant's bearer token. */
    async redeem(inviteUrl) {
      const token = new URL(inviteUrl).pathname.split('/').pop();
      const res = await fetch(`${base}/api/invites/redeem`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      assert.equal(res.status, 200, `redeem: ${await res.text()}`);
      return /clipjury_session=([^;]+)/.exec(res.headers.get('set-cookie'))[1];
    },
    /**
     * A group's whole entry without the browser: redeem, save the form, upload `file` (multipart), wait until the
     * video is ready. Returns the submission. The contest must be open.
     */
    async submitEntry(contestId, inviteUrl, { title, key_message = 'Respect', file = fixture('compliant-640x360.mp4') }) {
      const token = await app.redeem(inviteUrl);
      await request(base, 'PUT', `/api/contests/${contestId}/submission`, token, { title, key_message, consent_confirmed: true });
      const form = new FormData();
      form.append('video', new Blob([readFileSync(file)], { type: 'video/mp4' }), basename(file));
      const res = await fetch(`${base}/api/contests/${contestId}/submission/video`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      assert.equal(res.status, 200, `upload: ${await res.text()}`);
      return app.until(async () => {
        const sub = await request(base, 'GET', `/api/contests/${contestId}/submission`, token);
        assert.notEqual(sub.status, 'failed', `processing failed: ${JSON.stringify(sub.latest_video)}`);
        return sub.status === 'ready' && sub.current_video ? sub : null;
      }, { timeout: 120_000, what: `${title} to be ready` });
    },
    /** Waits until `check()` returns a truthy value (polling), or fails after `timeout` ms. */
    async until(check, { timeout = 60_000, every = 250, what = 'condition' } = {}) {
      const end = Date.now() + timeout;
      for (;;) {
        const v = await check();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, every));
      }
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return app;
}

/**
 * Headless Debian chromium (CHROMIUM overrides the path); `args` adds command-line switches. It sees only Latin system
 * fonts (support/khmer.mjs), so Khmer draws only with the web app's own font, as on a machine without a Khmer font.
 */
export function launchBrowser({ args = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    env: { ...process.env, FONTCONFIG_FILE: latinOnlyFontconfig() },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required', ...args],
  });
}

/** The chromium switch that resolves `host` to 127.0.0.1, e.g. a LAN name: a plain-http origin that is not secure. */
export function hostResolverRule(host) {
  return `--host-resolver-rules=MAP ${host} 127.0.0.1`;
}

export const PHONE_UA =
  'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

/** A phone: 390x844, touch, isMobile, a mobile user agent. `options` override (e.g. `{ locale: 'km-KH' }`). */
export function phoneContext(browser, options = {}) {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    hasTouch: true,
    isMobile: true,
    userAgent: PHONE_UA,
    locale: 'en-GB',
    ...options,
  });
}

/** A laptop: 1280x800, mouse and keyboard. */
export function desktopContext(browser, options = {}) {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', ...options });
}

/**
 * The web app's strings for `locale` ('en' or 'km') read from web/src/lib/i18n/LOCALE.ts and the lazily loaded
 * screens' own dictionaries (web/src/lib/i18n/*\/LOCALE.ts), with `{name}` placeholders filled from `params`:
 * `const km = strings('km'); page.getByText(km('video.ready'))`.
 */
export function strings(locale) {
  const dir = join(ROOT, 'web/src/lib/i18n');
  const files = [join(dir, `${locale}.ts`), ...readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, `${locale}.ts`)))
    .map((d) => join(dir, d.name, `${locale}.ts`))];
  const source = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  const dict = {};
  for (const m of source.matchAll(/^\s*'([^']+)':\s*'((?:\\.|[^'\\])*)',?\s*$/gm)) dict[m[1]] = m[2].replace(/\\(.)/g, '$1');
  return (key, params = {}) => {
    if (!(key in dict)) throw new Error(`no string ${key} in ${locale}.ts`);
    return dict[key].replace(/\{(\w+)\}/g, (all, name) => (name in params ? String(params[name]) : all));
  };
}

/** Collects uncaught page errors; assert `errors.length === 0` at the end of a test. */
export function pageErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/**
 * Runs axe-core on the page and fails on any serious or critical violation (listing rule, impact and nodes), or on
 * Khmer letters drawn as boxes (support/khmer.mjs).
 */
export async function axeCheck(page, name) {
  await assertKhmerGlyphs(page, name);
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map((v) => `  ${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}`).join('\n')}`)
    .join('\n');
  assert.equal(bad.length, 0, `axe on "${name}" (${page.url()}):\n${report}`);
  return result;
}

/**
 * Saves a screenshot of what the viewport shows to test-artifacts/e2e/NAME.png (`{ fullPage: true }` for all), then
 * fails if Khmer on the page draws as boxes.
 */
export async function shot(page, name, options = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, ...options });
  await assertKhmerGlyphs(page, name);
  return path;
}
