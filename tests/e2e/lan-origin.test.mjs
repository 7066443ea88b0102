// Room mode on a plain-http LAN origin: the server's public URL is http://workshop.lan:PORT (as `clipjury serve --lan`
// makes it with the laptop's address) and chromium resolves that name to 127.0.0.1. Such an origin is not a secure
// context: no Wake Lock, no Web Share, no async clipboard. The group uploads (the page asks to keep the screen on
// and the organiser's board counts the upload in progress), the juror scores, the organiser copies an invite link and
// the results page offers its link to copy: every feature that needs a secure context degrades visibly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startApp, launchBrowser, hostResolverRule, phoneContext, axeCheck, shot, pageErrors, fixture, strings,
} from './support/harness.mjs';

const HOST = 'workshop.lan';
const en = strings('en');
const km = strings('km');
const CRITERIA = [/^Message/, /^Creativity/, /^Technical quality/, /^Impact on the audience/, /^Respect and consent/];

let app, browser, admin, contest;
before(async () => {
  app = await startApp({ publicHost: HOST });
  browser = await launchBrowser({ args: [hostResolverRule(HOST)] });
  admin = await app.admin();
  contest = await app.createContest(admin, {
    title: 'Workshop room',
    key_messages: ['Respect'],
    groups: ['Room group', 'Second group'],
    jurors: ['Room juror'],
    open: true,
  });
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

async function insecure(page) {
  return page.evaluate(() => ({
    secure: window.isSecureContext,
    wakeLock: 'wakeLock' in navigator,
    share: typeof navigator.share,
    clipboard: typeof navigator.clipboard,
  }));
}

async function signInAdmin(page) {
  await page.goto(`${app.publicBase}/login`);
  await page.getByLabel(en('auth.email')).fill('admin@example.org');
  await page.getByLabel(en('auth.password')).fill('correct horse battery staple');
  await page.getByRole('button', { name: en('login.submit') }).click();
  await page.waitForURL('**/admin');
}

test('every invite link uses the LAN address', () => {
  for (const url of Object.values(contest.invites)) assert.ok(url.startsWith(`http://${HOST}:`), url);
});

test('a group uploads on the LAN origin: not a secure context, a keep-screen-on hint, the board counts it', { timeout: 240_000 }, async () => {
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  // Hold the PATCH a while, so the upload screen and the organiser's board can be seen mid-upload.
  let release;
  const held = new Promise((r) => (release = r));
  await page.route('**/api/uploads/**', async (route) => {
    if (route.request().method() === 'PATCH') await held;
    await route.continue();
  });
  await app.openInvite(page, contest.invites['Room group']);
  assert.deepEqual(await insecure(page), { secure: false, wakeLock: false, share: 'undefined', clipboard: 'undefined' });
  await page.getByLabel(en('sub.title')).fill('Equal in the room');
  await page.getByLabel('Respect', { exact: true }).check();
  await page.getByLabel(en('sub.consent')).check();
  await page.getByRole('button', { name: en('sub.save') }).click();
  await page.getByRole('heading', { name: en('sub.yourEntry') }).waitFor();
  await page.getByLabel(en('video.choose'), { exact: true }).setInputFiles(fixture('compliant-640x360.mp4'));
  const hint = page.getByText(en('video.keepScreenOn'));
  await hint.waitFor();
  await hint.scrollIntoViewIfNeeded();
  await axeCheck(page, 'upload on a LAN origin');
  await shot(page, 'lan-group-uploading');

  const boardCtx = await phoneContext(browser);
  const board = await boardCtx.newPage();
  await signInAdmin(board);
  await board.goto(`${app.publicBase}/admin/contests/${contest.id}/live`);
  await board.getByText('Uploads in progress: 1').waitFor({ timeout: 20_000 });
  await board.getByText(/^Room group: \d+ %$/).waitFor();
  await axeCheck(board, 'live board with an upload in progress');
  await shot(board, 'lan-admin-upload-in-progress');

  release();
  await page.getByText(en('video.ready')).waitFor({ timeout: 120_000 });
  assert.equal(await hint.count(), 0, 'the hint goes with the upload');
  await shot(page, 'lan-group-ready');
  await board.getByText('Uploads in progress').waitFor({ state: 'detached', timeout: 20_000 });
  assert.deepEqual(errors, []);
  await boardCtx.close();
  await ctx.close();
});

test('the organiser sees the address phones use and copies an invite link without the clipboard API', async () => {
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  await signInAdmin(page);
  await page.getByText(`Phones open links at ${app.publicBase}`).waitFor();
  await page.goto(`${app.publicBase}/admin/contests/${contest.id}`);
  await page.getByText(`Phones open links at ${app.publicBase}`).waitFor();
  await shot(page, 'lan-admin-address');
  assert.equal(await page.getByText('Phones cannot open these links').count(), 0);
  const field = page.getByLabel(en('people.inviteFor', { name: 'Room group' }));
  await field.scrollIntoViewIfNeeded();
  assert.ok((await field.inputValue()).startsWith(`${app.publicBase}/i/`));
  await field.locator('xpath=following-sibling::button').click();
  // Without navigator.clipboard the link is selected and copied the old way, or the page says to copy it by hand.
  await page.getByText(new RegExp(`^(${en('common.copied')}|${en('common.copyFailed').replace(/[.]/g, '\\.')})$`)).waitFor();
  await shot(page, 'lan-admin-invite-copied');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a juror scores on the LAN origin, and the published results offer their LAN link to copy', { timeout: 240_000 }, async () => {
  await app.submitEntry(contest.id, contest.invites['Second group'], { title: 'Chores for all' });
  await app.api('POST', `/api/contests/${contest.id}/transitions`, admin, { to: 'judging' });
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  await app.openInvite(page, contest.invites['Room juror']);
  await page.waitForURL(`**/jury/${contest.id}`);
  assert.equal((await insecure(page)).secure, false);
  for (let n = 0; n < 2; n++) {
    await page.getByRole('link', { name: 'Next entry to score' }).first().tap();
    await page.getByRole('heading', { name: 'Your scores' }).waitFor();
    for (const [i, name] of CRITERIA.entries()) {
      await page.getByRole('group', { name }).getByRole('radio', { name: String(9 - n - (i % 2)), exact: true }).tap();
    }
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    if (n === 0) {
      await axeCheck(page, 'juror on a LAN origin');
      await shot(page, 'lan-juror-scored');
    }
    await page.getByRole('button', { name: 'Submit final scores' }).tap();
    await page.getByText('Your scores for this entry are final').waitFor();
    await page.getByRole('link', { name: 'All entries' }).first().tap();
    await page.getByText(`${n + 1} / 2 final`).waitFor();
  }

  await app.api('POST', `/api/contests/${contest.id}/transitions`, admin, { to: 'closed' });
  await app.api('POST', `/api/contests/${contest.id}/results/confirm`, admin, {});
  await app.api('POST', `/api/contests/${contest.id}/transitions`, admin, { to: 'published' });
  const results = await ctx.newPage();
  await results.goto(`${app.publicBase}/c/${contest.slug}/results`);
  const link = results.getByLabel(en('public.linkLabel'));
  await link.scrollIntoViewIfNeeded();
  assert.equal(await link.inputValue(), `${app.publicBase}/c/${contest.slug}/results`);
  assert.equal(await results.getByRole('button', { name: en('public.shareMore') }).count(), 0, 'no Web Share here');
  await results.getByRole('button', { name: en('common.copy') }).click();
  await results.getByText(new RegExp(`^(${en('common.copied')}|${en('common.copyFailed').replace(/[.]/g, '\\.')})$`)).waitFor();
  await axeCheck(results, 'results on a LAN origin');
  await shot(results, 'lan-results-share');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('started without room mode, the console warns that phones cannot open the links, in English and Khmer', async () => {
  const plain = await startApp();
  try {
    const token = await plain.admin();
    const c = await plain.createContest(token, { title: 'Forgot --lan', groups: ['G'] });
    assert.ok(c.invites.G.startsWith('http://127.0.0.1:'), c.invites.G);
    const ctx = await phoneContext(browser);
    await plain.loginAdmin(ctx);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    await page.goto(`${plain.base}/admin/contests/${c.id}`);
    const alert = page.getByRole('alert').filter({ hasText: en('room.loopbackTitle') });
    await alert.getByText('clipjury serve --lan').waitFor();
    await axeCheck(page, 'loopback warning');
    await shot(page, 'room-loopback-warning');
    await page.getByRole('button', { name: 'ខ្មែរ' }).click();
    await page.getByRole('alert').filter({ hasText: km('room.loopbackTitle') }).waitFor();
    await shot(page, 'room-loopback-warning-km');
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    await plain.stop();
  }
});
