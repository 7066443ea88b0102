// Walks through the app as an organiser, a group and a juror, taking phone-size screenshots.
// Needs a server started on a fresh database; pass the set-up link it printed:
//   node scripts/walkthrough.mjs 'http://127.0.0.1:8099/setup?token=…' [out-dir]
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const setupUrl = process.argv[2];
if (!setupUrl) throw new Error('usage: node scripts/walkthrough.mjs SETUP_URL [OUT_DIR]');
const base = new URL(setupUrl).origin;
const out = process.argv[3] ?? '../test-artifacts/web';
mkdirSync(out, { recursive: true });
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'en-GB', hasTouch: true, isMobile: true };
const ctx = await browser.newContext(phone);
const page = await ctx.newPage();
page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
const shot = (name, full = true) => page.screenshot({ path: `${out}/${name}.png`, fullPage: full });

await page.goto(setupUrl);
await page.getByLabel('E-mail').waitFor();
await shot('01-setup');
await page.getByLabel('E-mail').fill('admin@example.org');
await page.getByLabel('Password').fill('short');
await page.getByRole('button', { name: 'Create account' }).click();
await page.waitForTimeout(300);
await page.getByLabel('Password').fill('correct horse battery');
await page.getByRole('button', { name: 'Create account' }).click();
await page.waitForURL('**/admin');
await page.getByRole('heading', { name: 'Your contests' }).waitFor();
await shot('02-admin-empty');
await page.getByLabel('Contest title').fill('Use ICT for gender equality');
await page.getByRole('button', { name: 'Create contest' }).click();
await page.waitForURL('**/admin/contests/*');
await page.getByRole('heading', { name: 'Contest settings' }).waitFor();
const contestId = page.url().split('/').pop();
await page.getByLabel('Brief', { exact: true }).fill('Make a one-minute video, shot on a phone during the lunch break, that shows how young people can use ICT to promote gender equality.');
await page.getByLabel('Rules').fill('One minute at most.\nAsk everyone you film for consent.\nNo music you do not have the rights to.');
await page.getByLabel('New key message').fill('To treat and respect women equally');
await page.getByRole('button', { name: 'Add', exact: true }).click();
await page.getByLabel('New key message').fill('How to use ICT for gender equality?');
await page.getByLabel('New key message').press('Enter');
await page.getByLabel('Upload deadline').fill('2026-12-05T14:00');
await page.getByLabel('Judging deadline').fill('2026-12-05T17:00');
await page.getByRole('button', { name: 'Save changes' }).click();
await page.getByText('Changes saved.').waitFor();
for (const g of ['Group 1 – Phnom Penh', 'Group 2 – Siem Reap']) {
  await page.getByLabel('Group name', { exact: true }).fill(g);
  await page.getByRole('button', { name: 'Add a group' }).click();
  await page.getByRole('heading', { name: g }).waitFor();
}
for (const j of ['Sokha', 'Dara', 'Chenda']) {
  await page.getByLabel('Juror name', { exact: true }).fill(j);
  await page.getByRole('button', { name: 'Add a juror' }).click();
  await page.getByRole('heading', { name: j }).waitFor();
}
// duplicate name → translated error
await page.getByLabel('Juror name', { exact: true }).fill('Dara');
await page.getByRole('button', { name: 'Add a juror' }).click();
await page.waitForTimeout(300);
await page.getByRole('button', { name: 'Show QR' }).first().click();
await page.waitForTimeout(500);
await shot('03-contest-editor');
// row actions on the second group: rename, new link, revoke, then a juror removed
const row = page.locator('li.row', { hasText: 'Group 2 – Siem Reap' });
await row.getByRole('button', { name: 'More…' }).click();
await row.getByRole('button', { name: 'Rename' }).click();
await row.getByLabel(/New name for/).fill('Group 2 – Siem Reap city');
await row.getByRole('button', { name: 'Rename' }).click();
const row2 = page.locator('li.row', { hasText: 'Group 2 – Siem Reap city' });
await row2.getByRole('heading', { name: 'Group 2 – Siem Reap city' }).waitFor();
await row2.getByRole('button', { name: 'More…' }).click();
await row2.getByRole('button', { name: 'New link' }).click();
await row2.screenshot({ path: `${out}/03b-confirm-new-link.png` });
await row2.getByRole('button', { name: 'Yes, continue' }).click();
await page.waitForTimeout(300);
const chenda = page.locator('li.row', { hasText: 'Chenda' });
await chenda.getByRole('button', { name: 'More…' }).click();
await chenda.getByRole('button', { name: 'Revoke link' }).click();
await chenda.getByRole('button', { name: 'Yes, continue' }).click();
await chenda.getByText('No invite link').waitFor();
await chenda.screenshot({ path: `${out}/03c-revoked.png` });
await page.getByRole('button', { name: 'ខ្មែរ' }).click();
await shot('03d-contest-editor-km', false);
await page.getByRole('button', { name: 'English' }).click();
await page.getByRole('button', { name: 'Open for uploads' }).click();
await page.getByText('The contest is now').waitFor();
await page.getByRole('button', { name: /Move back/ }).click();
await shot('04-move-back', false);
await page.getByRole('button', { name: 'Cancel' }).click();
// QR sheet
await page.getByRole('link', { name: 'Printable QR sheet' }).click();
await page.locator('.qr-card').first().waitFor();
await page.waitForTimeout(500);
await shot('05-qr-sheet');
await page.emulateMedia({ media: 'print' });
await page.setViewportSize({ width: 718, height: 1047 }); // A4 minus 10 mm margins at 96 dpi
const overflowing = await page.evaluate(() =>
  [...document.querySelectorAll('.qr-card')].filter((c) => c.scrollHeight > c.clientHeight + 1).length,
);
if (overflowing > 0) console.log(`FAIL: ${overflowing} QR cards overflow their A4 slot`);
await page.pdf({ path: `${out}/qr-sheet.pdf`, format: 'A4', printBackground: true, preferCSSPageSize: true });
await page.emulateMedia({ media: 'screen' });
await page.setViewportSize(phone.viewport);
const parts = await page.evaluate(async (id) => (await fetch(`/api/contests/${id}/participants`)).json(), contestId);
const groupUrl = parts.find((p) => p.role === 'group').invite.url;
const jurorUrl = parts.find((p) => p.role === 'juror').invite.url;
// login errors
await page.goto(base + '/admin');
await page.getByRole('button', { name: 'Sign out' }).click();
await page.waitForURL('**/login');
await page.getByLabel('E-mail').fill('admin@example.org');
await page.getByLabel('Password').fill('wrong password!');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('alert').waitFor();
await shot('06-login-failed', false);

// fresh browser profile for the group
for (const [name, url] of [['group', groupUrl], ['juror', jurorUrl]]) {
  const c2 = await browser.newContext(phone);
  const p2 = await c2.newPage();
  p2.on('pageerror', (e) => console.log('pageerror:', e.message));
  await p2.goto(url);
  await p2.locator('h1').waitFor();
  await p2.waitForTimeout(300);
  await p2.screenshot({ path: `${out}/07-invite-${name}.png`, fullPage: true });
  await p2.getByRole('button', { name: 'ខ្មែរ' }).click();
  await p2.screenshot({ path: `${out}/08-invite-${name}-km.png`, fullPage: true });
  await p2.reload();
  await p2.locator('h1').waitFor();
  const lang = await p2.evaluate(() => document.documentElement.lang);
  if (lang !== 'km') console.log(`FAIL: the ${name}'s language choice was not remembered (${lang})`);
  await c2.close();
}
// bad invite
const c3 = await browser.newContext(phone);
const p3 = await c3.newPage();
await p3.goto(base + '/i/not-a-real-token');
await p3.getByRole('alert').waitFor();
await p3.screenshot({ path: `${out}/09-invite-invalid.png` });
await p3.goto(base + '/');
await p3.locator('h1').waitFor();
await p3.screenshot({ path: `${out}/10-home.png` });
await browser.close();
console.log(`done: screenshots in ${out}`);
