// axe-core on the pages anyone reaches without uploading: home, login, set-up, a broken invite, not found, the
// admin's contest list. The group and juror screens are checked in their own tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launchBrowser, phoneContext, desktopContext, axeCheck, shot, pageErrors } from './support/harness.mjs';

let app, browser;
before(async () => {
  app = await startApp();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

test('public pages have no serious accessibility violations on a phone', async () => {
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  await page.goto(app.setupUrl);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await axeCheck(page, 'setup');
  await shot(page, 'pages-setup');

  await page.goto(`${app.base}/`);
  await page.getByRole('link', { name: /admin|organis/i }).waitFor();
  await axeCheck(page, 'home');
  await shot(page, 'pages-home');

  await page.goto(`${app.base}/login`);
  await page.getByLabel(/e-?mail/i).waitFor();
  await axeCheck(page, 'login');
  await shot(page, 'pages-login');

  await page.goto(`${app.base}/i/not-a-real-token`);
  await page.getByRole('alert').first().waitFor();
  await axeCheck(page, 'broken invite');
  await shot(page, 'pages-invite-broken');

  await page.goto(`${app.base}/no/such/page`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await axeCheck(page, 'not found');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a juror invited before judging sees the brief (no panel yet) without accessibility violations', async () => {
  const token = await app.admin();
  const c = await app.createContest(token, { title: 'Not judging yet', jurors: ['Early juror'], open: true });
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  await app.openInvite(page, c.invites['Early juror']);
  await page.getByText('You are a juror in this video contest.').waitFor();
  await page.getByText('Judging starts after the upload deadline').waitFor();
  assert.equal(new URL(page.url()).pathname.startsWith('/jury/'), false, 'no panel before judging');
  await axeCheck(page, 'juror invite before judging');
  await shot(page, 'pages-juror-brief');
  // The panel's address itself explains that judging has not started.
  await page.goto(`${app.base}/jury/${c.id}`);
  await page.getByText('Judging has not started yet.').waitFor();
  await axeCheck(page, 'juror panel before judging');
  assert.deepEqual(errors, []);
  await ctx.close();
  // Without a session (another phone, an expired session) the panel says how to get back in.
  const stranger = await (await phoneContext(browser)).newPage();
  await stranger.goto(`${app.base}/jury/${c.id}`);
  await stranger.getByText('Open the invite link or scan the QR code').waitFor();
  await axeCheck(stranger, 'juror panel signed out');
  await stranger.context().close();
});

test('the admin contest list has no serious accessibility violations on a laptop', async () => {
  const token = await app.admin();
  await app.createContest(token, { title: 'Axe check', groups: ['Group 1'], jurors: ['Juror 1'] });
  const ctx = await desktopContext(browser);
  await app.loginAdmin(ctx);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  await page.goto(`${app.base}/admin`);
  await page.getByRole('link', { name: 'Axe check' }).waitFor();
  await axeCheck(page, 'admin contests');
  await page.getByRole('link', { name: 'Axe check' }).click();
  await page.getByText('Group 1').first().waitFor();
  await axeCheck(page, 'admin contest');
  assert.deepEqual(errors, []);
  await ctx.close();
});
