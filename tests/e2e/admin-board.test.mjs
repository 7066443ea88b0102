// The admin's live board with the states the whole-story test does not reach: a group whose video failed (the
// reason is shown in the organiser's language) and a group that sent nothing yet; and the results page before
// anybody scored (no ranking yet, said plainly).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startApp, launchBrowser, phoneContext, axeCheck, shot, fixture, pageErrors } from './support/harness.mjs';

let app, browser;
before(async () => {
  app = await startApp();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

test('the live board shows a failed video with its reason and a group that sent nothing', { timeout: 180_000 }, async () => {
  const admin = await app.admin();
  const c = await app.createContest(admin, {
    title: 'Board check',
    key_messages: ['Respect'],
    groups: ['Broken file group', 'Quiet group'],
    jurors: ['Juror 1'],
    open: true,
  });
  const group = await app.redeem(c.invites['Broken file group']);
  await app.api('PUT', `/api/contests/${c.id}/submission`, group, { title: 'Cut short', key_message: 'Respect', consent_confirmed: true });
  const form = new FormData();
  form.append('video', new Blob([readFileSync(fixture('truncated.mp4'))], { type: 'video/mp4' }), 'truncated.mp4');
  const sent = await fetch(`${app.base}/api/contests/${c.id}/submission/video`, {
    method: 'POST',
    headers: { authorization: `Bearer ${group}` },
    body: form,
  });
  assert.equal(sent.status, 200, await sent.text());

  const ctx = await phoneContext(browser);
  await app.loginAdmin(ctx);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  await page.goto(`${app.base}/admin/contests/${c.id}/live`);
  // Found by its heading's id, so that it is still found after switching to Khmer.
  const board = page.locator('section[aria-labelledby="uploads-heading"]');
  await board.getByRole('heading', { name: 'Uploads and processing' }).waitFor();
  const broken = board.locator('li', { hasText: 'Broken file group' });
  await broken.getByText('Failed', { exact: true }).waitFor({ timeout: 120_000 });
  await broken.getByText('This file could not be read').waitFor();
  await board.locator('li', { hasText: 'Quiet group' }).getByText('Nothing sent yet').waitFor();
  await page.getByText('No entries or jurors to show yet.').waitFor();
  await axeCheck(page, 'live board with a failure');
  await shot(page, 'admin-live-failed', { fullPage: true });

  await page.getByRole('button', { name: 'ខ្មែរ' }).click();
  await broken.getByText('បរាជ័យ', { exact: true }).waitFor();
  await board.locator('li', { hasText: 'Quiet group' }).getByText('មិនទាន់ផ្ញើអ្វីទេ', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();

  // Results before any ready entry: the page says why there is no ranking and still offers the CSV files.
  await page.getByRole('link', { name: 'Results' }).click();
  await page.getByText('No ranking yet').waitFor();
  await page.getByRole('link', { name: 'Download scores (CSV)' }).waitFor();
  await axeCheck(page, 'results without a ranking');
  assert.deepEqual(errors, []);
  await ctx.close();
});
