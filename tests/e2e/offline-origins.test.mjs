// The workshop room may have no internet: nothing the web app loads may come from another origin (fonts, scripts,
// styles, images, API calls). Every request to another origin is blocked and recorded, and the test fails on any,
// after walking every kind of page in both languages: home, sign-in, the admin console, the QR sheet, the live
// board, screening, results and audit, a group's upload page, the juror panel and the public results page.
// (Not the API's reference page /api/docs: utoipa-scalar loads its viewer from a CDN; it is for developers.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launchBrowser, phoneContext, desktopContext, pageErrors } from './support/harness.mjs';

let app, browser;
before(async () => {
  app = await startApp();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

/** Blocks every request of `context` to another origin than the app's and returns the list of attempts. */
async function sameOriginOnly(context) {
  const attempts = [];
  const origin = new URL(app.base).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    attempts.push(url);
    return route.abort('blockedbyclient');
  });
  return attempts;
}

/** Opens `path` (an invite: and joins), waits until the network is quiet, then shows it in Khmer too. */
async function visit(page, path, ready) {
  if (path.startsWith('/i/')) await app.openInvite(page, `${app.base}${path}`);
  else await page.goto(`${app.base}${path}`);
  if (ready) await page.getByText(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  const khmer = page.getByRole('button', { name: 'ខ្មែរ' });
  if (await khmer.count()) {
    await khmer.first().click();
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: 'English' }).first().click();
  }
}

test('no page of the web app requests anything from another origin', { timeout: 300_000 }, async () => {
  const admin = await app.admin();
  const c = await app.createContest(admin, {
    title: 'Offline room',
    key_messages: ['Respect'],
    groups: ['First group', 'Second group'],
    jurors: ['Juror'],
    open: true,
  });
  await app.submitEntry(c.id, c.invites['First group'], { title: 'Equal at home' });

  const phone = await phoneContext(browser);
  const phoneAttempts = await sameOriginOnly(phone);
  const group = await phone.newPage();
  const errors = pageErrors(group);
  // The blocker sees what a page tries to load from elsewhere (aborted before any lookup): this test can fail. The
  // app's Content-Security-Policy would stop the attempt before the blocker sees it, so this one probe runs in a
  // context that ignores the policy.
  const loose = await phoneContext(browser, { bypassCSP: true });
  const looseAttempts = await sameOriginOnly(loose);
  const probe = await loose.newPage();
  await probe.goto(`${app.base}/`);
  await probe.evaluate(() => new Promise((done) => {
    const img = new Image();
    img.onerror = done;
    img.src = 'http://fonts.example.invalid/khmer.woff2';
  }));
  assert.deepEqual(looseAttempts, ['http://fonts.example.invalid/khmer.woff2']);
  await loose.close();
  await visit(group, new URL(c.invites['Second group']).pathname, 'Title of your video');
  await app.submitEntry(c.id, c.invites['Second group'], { title: 'Chores for all' });
  await group.reload();
  await group.getByText('Your video is ready').waitFor();
  await group.waitForLoadState('networkidle');

  await app.api('POST', `/api/contests/${c.id}/transitions`, admin, { to: 'judging' });
  const juror = await phone.newPage();
  await app.openInvite(juror, c.invites.Juror);
  await juror.waitForURL(`**/jury/${c.id}`);
  await juror.getByRole('link', { name: 'Next entry to score' }).first().tap();
  await juror.getByRole('heading', { name: 'Your scores' }).waitFor();
  await juror.getByRole('button', { name: /^Play the video/ }).tap();
  await juror.waitForFunction(() => document.querySelector('video')?.readyState >= 1);
  await juror.waitForLoadState('networkidle');

  const token = await app.redeem(c.invites.Juror);
  const { entries } = await app.api('GET', `/api/contests/${c.id}/entries`, token);
  for (const [n, e] of entries.entries()) {
    const scores = Object.fromEntries(['message', 'creativity', 'technical_quality', 'impact', 'respect_consent'].map((k) => [k, 8 - n]));
    await app.api('PUT', `/api/contests/${c.id}/entries/${e.entry_id}/score`, token, { version: 0, scores, feedback: 'Good', private_comment: '' });
    await app.api('POST', `/api/contests/${c.id}/entries/${e.entry_id}/score/submit`, token);
  }
  await app.api('POST', `/api/contests/${c.id}/transitions`, admin, { to: 'closed' });
  await app.api('POST', `/api/contests/${c.id}/results/confirm`, admin, {});
  await app.api('POST', `/api/contests/${c.id}/transitions`, admin, { to: 'published' });
  const visitor = await phone.newPage();
  await visit(visitor, `/c/${c.slug}/results`, 'Equal at home');
  await visit(visitor, '/');
  await visit(visitor, '/no-such-page');

  const laptop = await desktopContext(browser);
  const laptopAttempts = await sameOriginOnly(laptop);
  const page = await laptop.newPage();
  errors.push(...pageErrors(page));
  await visit(page, '/login', 'Organiser sign-in');
  await app.loginAdmin(laptop);
  for (const path of ['/admin', `/admin/contests/${c.id}`, `/admin/contests/${c.id}/qr-sheet`, `/admin/contests/${c.id}/live`,
    `/admin/contests/${c.id}/results`, `/admin/contests/${c.id}/audit`, `/admin/contests/${c.id}/screening`]) {
    await visit(page, path);
  }

  assert.deepEqual([...phoneAttempts, ...laptopAttempts], [], 'requests to other origins');
  assert.deepEqual(errors, []);
  await phone.close();
  await laptop.close();
});
