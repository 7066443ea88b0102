// Takes the README's screenshots (docs/screenshots/*.png; not group-uploading-phone.png, which shows no Khmer) as the
// browser tests see the app: a phone, the debug server on a fresh database, and Chromium shown no Khmer system font
// (support/khmer.mjs), so Khmer on them comes from the web app's own font. Not a test (`node --test` skips it):
// `make screenshots`, or
//   cd tests/e2e && CLIPJURY_BIN=$PWD/../../target/debug/clipjury node readme-screenshots.mjs
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, launchBrowser, phoneContext, ROOT } from './support/harness.mjs';
import { assertKhmerGlyphs } from './support/khmer.mjs';

const OUT = join(ROOT, 'docs/screenshots');
const GROUPS = [
  ['Group 1 – Phnom Penh', 'Equal at the keyboard'],
  ['Group 2 – Siem Reap', 'Her phone, her voice'],
  ['Group 3 – Battambang', 'Fix it together'],
];
const CONTEST = {
  title: 'Use ICT for gender equality',
  brief: 'Make a one-minute video, shot on a phone during the lunch break, that shows how young people can use ICT to promote gender equality.',
  rules: 'One minute at most.\nAsk everyone you film for consent.\nNo music you do not have the rights to.',
  key_messages: ['To treat and respect women equally', 'How to use ICT for gender equality?'],
  upload_deadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
};

async function save(page, name, options = {}) {
  await page.evaluate(() => document.fonts.ready);
  await assertKhmerGlyphs(page, name);
  await page.screenshot({ path: join(OUT, name), ...options });
  console.log(`docs/screenshots/${name}`);
}

mkdirSync(OUT, { recursive: true });
const app = await startApp();
const browser = await launchBrowser();
try {
  const admin = await app.admin();
  const c = await app.createContest(admin, { ...CONTEST, groups: GROUPS.map(([g]) => g), jurors: ['Sokha'] });

  const organiser = await phoneContext(browser);
  await app.loginAdmin(organiser);
  const editor = await organiser.newPage();
  await editor.goto(`${app.base}/admin/contests/${c.id}`);
  await editor.getByRole('heading', { name: 'Contest settings' }).waitFor();
  await save(editor, 'admin-contest-editor-phone.png', { fullPage: true, clip: { x: 0, y: 0, width: 390, height: 1000 } });
  await app.api('POST', `/api/contests/${c.id}/transitions`, admin, { to: 'open' });

  const invite = await (await phoneContext(browser)).newPage();
  await app.openInvite(invite, c.invites[GROUPS[0][0]]);
  await invite.getByRole('heading', { name: 'About your video' }).waitFor();
  await save(invite, 'invite-group-phone.png', { fullPage: true, clip: { x: 0, y: 0, width: 390, height: 1400 } });
  await invite.getByRole('button', { name: 'ខ្មែរ' }).click();
  await invite.locator('html[lang="km"]').waitFor();
  // The brief, the limits and the start of the form: the whole page is twice as tall as the README's row.
  await save(invite, 'invite-group-phone-km.png', { fullPage: true, clip: { x: 0, y: 0, width: 390, height: 1400 } });

  for (const [group, title] of GROUPS) {
    await app.submitEntry(c.id, c.invites[group], { title, key_message: CONTEST.key_messages[0] });
  }
  const ready = await (await phoneContext(browser)).newPage();
  await app.openInvite(ready, c.invites[GROUPS[0][0]]);
  await ready.getByText('Your video is ready').waitFor();
  await ready.locator('video').waitFor();
  await save(ready, 'group-ready-phone.png', { fullPage: true });

  await app.api('POST', `/api/contests/${c.id}/transitions`, admin, { to: 'judging' });
  const juror = await (await phoneContext(browser)).newPage();
  await app.openInvite(juror, c.invites.Sokha);
  await juror.waitForURL(`**/jury/${c.id}`);
  await juror.getByRole('link', { name: 'Next entry to score' }).first().tap();
  await juror.getByRole('heading', { name: 'Your scores' }).waitFor();
  await juror.getByRole('button', { name: /^Play the video/ }).tap();
  await juror.locator('video').waitFor();
  await juror.getByRole('group', { name: /^Message/ }).getByRole('radio', { name: '8', exact: true }).tap();
  await juror.getByText('✓ Saved').waitFor();
  await juror.evaluate(() => window.scrollTo(0, 0));
  await save(juror, 'juror-panel-phone.png');
} finally {
  await browser.close();
  await app.stop();
}
