// Khmer as a person sees it, on a machine without a Khmer font (support/khmer.mjs hides the system's from Chromium):
// real letters from the web app's own font and not boxes — and the check does see boxes when that font is taken away;
// English pages draw the language switch without fetching the Khmer font; the screening view and the public results
// on a 1280×720 projector; and no Khmer line sticking out of its box on a 360 px phone. (Every other test's screens
// get the glyph check too: axeCheck and shot run it.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startApp, launchBrowser, phoneContext, desktopContext, axeCheck, shot, pageErrors, strings, ARTIFACTS,
} from './support/harness.mjs';
import { khmerGlyphProblems, khmerOverflows } from './support/khmer.mjs';

const km = strings('km');
// Long runs without spaces, as Khmer is written: the browser must find the word breaks itself.
const CONTEST = {
  title: 'ការប្រកួតវីដេអូខ្លីដើម្បីលើកកម្ពស់សមភាពយេនឌ័រតាមរយៈបច្ចេកវិទ្យាព័ត៌មាន',
  default_locale: 'km',
  brief: 'ថតវីដេអូមួយនាទីដោយទូរសព្ទអំពីរបៀបដែលយុវជនអាចប្រើប្រាស់បច្ចេកវិទ្យាព័ត៌មាននិងទំនាក់ទំនងដើម្បីលើកកម្ពស់សមភាពយេនឌ័រនៅក្នុងសហគមន៍របស់ពួកគេ។',
  rules: 'វីដេអូមិនលើសពីមួយនាទី។\nសុំការយល់ព្រមពីមនុស្សគ្រប់គ្នាដែលអ្នកថតមុនពេលថតជានិច្ច។',
  key_messages: ['គោរពនិងប្រព្រឹត្តចំពោះស្ត្រីដោយស្មើភាពគ្រប់ពេលវេលានិងគ្រប់ទីកន្លែង', 'របៀបប្រើប្រាស់បច្ចេកវិទ្យាដើម្បីសមភាពយេនឌ័រ'],
};
const GROUPS = ['ក្រុមយុវជនភ្នំពេញដែលស្រឡាញ់បច្ចេកវិទ្យា', 'ក្រុមសៀមរាប'];
const TITLES = ['ស្មើគ្នានៅមុខក្ដារចុចនិងកាមេរ៉ាទូរសព្ទដៃ', 'ចែករំលែកការងារផ្ទះ'];
const JUROR = 'សុខា';
const CRITERIA = ['message', 'creativity', 'technical_quality', 'impact', 'respect_consent'];
const FONT = /\/assets\/noto-sans-khmer-(400|700|label-700)-[\w-]+\.woff2$/;

let app, browser, admin, contest;
let stage = 'open';
before(async () => {
  app = await startApp();
  browser = await launchBrowser();
  admin = await app.admin();
  contest = await app.createContest(admin, { ...CONTEST, groups: GROUPS, jurors: [JUROR], open: true });
  for (const [i, g] of GROUPS.entries()) {
    await app.submitEntry(contest.id, contest.invites[g], { title: TITLES[i], key_message: CONTEST.key_messages[i] });
  }
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

/** Moves the shared contest on to `to` ('judging' or 'published'), the juror scoring on the way. */
async function advance(to) {
  const order = ['open', 'judging', 'published'];
  if (order.indexOf(stage) >= order.indexOf(to)) return;
  const move = (state) => app.api('POST', `/api/contests/${contest.id}/transitions`, admin, { to: state });
  if (stage === 'open') await move('judging');
  stage = 'judging';
  if (to === 'judging') return;
  const juror = await app.redeem(contest.invites[JUROR]);
  const { entries } = await app.api('GET', `/api/contests/${contest.id}/entries`, juror);
  for (const [i, e] of entries.entries()) {
    const path = `/api/contests/${contest.id}/entries/${e.entry_id}/score`;
    const scores = Object.fromEntries(CRITERIA.map((k) => [k, 9 - i]));
    await app.api('PUT', path, juror, { version: 0, scores, feedback: 'រឿងល្អណាស់ ហើយនិយាយបានច្បាស់។', private_comment: '' });
    await app.api('POST', `${path}/submit`, juror);
  }
  await move('closed');
  await app.api('POST', `/api/contests/${contest.id}/results/confirm`, admin, {});
  await move('published');
  stage = 'published';
}

/** The Khmer font files a page fetched (by weight: '400', '700', 'label-700'), answered 200. */
function fontsFetched(page) {
  const fetched = new Set();
  page.on('response', (r) => {
    const m = FONT.exec(new URL(r.url()).pathname);
    if (m && r.status() === 200) fetched.add(m[1]);
  });
  return fetched;
}

test('Khmer is drawn with the web font where the system has none; without it the check sees boxes', async () => {
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  const fetched = fontsFetched(page);
  await app.openInvite(page, contest.invites[GROUPS[0]]);
  await page.getByRole('heading', { name: km('sub.yourEntry') }).waitFor();
  await page.getByText(km('video.ready')).waitFor();
  await page.evaluate(() => document.fonts.ready);
  // (Before the glyph check, whose document.fonts.load() fetches every face a font stack could use.)
  assert.deepEqual([...fetched].sort(), ['400', '700', 'label-700'], 'regular, bold and the switch label');
  assert.deepEqual(await khmerGlyphProblems(page), []);
  await shot(page, 'khmer-glyphs-group-entry', { fullPage: true });

  // The same page with the Khmer family taken out of every font stack: what a machine without a Khmer font showed
  // before. Both looks must see the boxes, or they could not fail.
  await injectStyle(page, '*, *::before, *::after { font-family: var(--fonts-latin) !important; }');
  const tofu = await khmerGlyphProblems(page);
  await page.screenshot({ path: join(ARTIFACTS, 'khmer-glyphs-without-the-font.png') }); // shot() would fail here
  assert.ok(tofu.some((p) => p.includes('which has no Khmer')), `the rendered fonts show the boxes:\n${tofu.join('\n')}`);
  assert.ok(tofu.some((p) => p.includes('missing-glyph box')), `the canvas shows the boxes:\n${tofu.join('\n')}`);
  assert.ok(tofu.some((p) => p.includes('<h1>')) && tofu.some((p) => p.includes('<button>')), tofu.join('\n'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('an English page draws the switch label "ខ្មែរ" without fetching the Khmer font', async () => {
  const c = await app.createContest(admin, { title: 'Use ICT for gender equality', groups: ['Group 1'], open: true });
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  const fetched = fontsFetched(page);
  await app.openInvite(page, c.invites['Group 1']);
  await page.getByRole('heading', { name: 'About your video' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.evaluate(() => document.fonts.ready);
  assert.deepEqual([...fetched], ['label-700'], 'only the 1.6 KB label face');
  assert.deepEqual(await khmerGlyphProblems(page), []);
  await shot(page, 'khmer-switch-on-english-page', { clip: { x: 0, y: 0, width: 390, height: 60 } });

  // Switching to Khmer fetches the text faces.
  await page.getByRole('button', { name: 'ខ្មែរ' }).click();
  await page.getByRole('heading', { name: km('sub.formTitle') }).waitFor();
  await app.until(() => fetched.has('400') && fetched.has('700'), { what: 'the Khmer faces after switching' });
  await axeCheck(page, 'group form after switching to Khmer');

  // Without its face the label is boxes too.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'About your video' }).waitFor();
  await injectStyle(page, '.lang button { font-family: var(--fonts-latin) !important; }');
  const tofu = await khmerGlyphProblems(page);
  assert.ok(tofu.some((p) => p.includes('<button> "ខ្មែរ"')), tofu.join('\n'));
  await ctx.close();
});

test('no Khmer line sticks out of its box on a 360 px phone', async () => {
  const phone = { viewport: { width: 360, height: 740 } };
  const check = async (page, name) => {
    assert.deepEqual(await khmerOverflows(page), [], `${name} at 360 px`);
    await shot(page, `khmer-360-${name}`, { fullPage: true });
  };
  const group = await (await phoneContext(browser, phone)).newPage();
  await app.openInvite(group, contest.invites[GROUPS[0]]);
  await group.getByText(km('video.ready')).waitFor();
  await check(group, 'group-entry');
  // The check itself: forbid the line breaks and it must see the overflow.
  await injectStyle(group, 'main * { white-space: nowrap !important; }');
  assert.notDeepEqual(await khmerOverflows(group), [], 'nowrap Khmer must be reported');

  await advance('judging');
  const juror = await (await phoneContext(browser, phone)).newPage();
  await app.openInvite(juror, contest.invites[JUROR]);
  await juror.waitForURL(`**/jury/${contest.id}`);
  await juror.getByRole('link', { name: km('jury.next') }).waitFor();
  await check(juror, 'juror-entries');
  await juror.getByRole('link', { name: km('jury.next') }).click();
  await juror.getByRole('heading', { name: km('jury.yourScores') }).waitFor();
  await check(juror, 'juror-entry');

  const adminCtx = await phoneContext(browser, phone);
  await app.loginAdmin(adminCtx);
  const organiser = await adminCtx.newPage();
  await organiser.goto(`${app.base}/admin/contests/${contest.id}`);
  await organiser.getByRole('button', { name: 'ខ្មែរ' }).click();
  await organiser.getByRole('heading', { level: 1, name: CONTEST.title }).waitFor();
  await check(organiser, 'admin-contest');

  await advance('published');
  await organiser.goto(`${app.base}/admin/contests/${contest.id}/results`);
  await organiser.getByRole('heading', { name: 'ចំណាត់ថ្នាក់', exact: true }).waitFor();
  await check(organiser, 'admin-results');
  await group.reload();
  await group.getByText(km('groupResults.place', { place: 1 })).waitFor();
  await check(group, 'group-results');
  await group.goto(`${app.base}/c/${contest.slug}/results`);
  await group.getByRole('heading', { level: 1, name: CONTEST.title }).waitFor();
  await check(group, 'public-results');
});

test('the screening view and the public results draw Khmer on a 1280×720 projector', async () => {
  await advance('published');
  const ctx = await desktopContext(browser, { viewport: { width: 1280, height: 720 }, locale: 'km-KH' });
  await app.loginAdmin(ctx);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  await page.goto(`${app.base}/admin/contests/${contest.id}/screening`);
  await page.getByRole('button', { name: km('screening.start') }).click();
  const stageBox = page.getByRole('dialog');
  await stageBox.getByRole('heading', { name: TITLES[0] }).waitFor();
  assert.match(await stageBox.innerText(), new RegExp(km('screening.entry', { n: 1 })));
  await axeCheck(page, 'screening title card (km, 1280×720)');
  await shot(page, 'khmer-screening-title-card-1280');
  assert.deepEqual(await khmerOverflows(page), []);
  await page.keyboard.press('Escape');

  await page.goto(`${app.base}/c/${contest.slug}/results`);
  await page.getByRole('heading', { level: 1, name: CONTEST.title }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'km');
  await axeCheck(page, 'public results (km, 1280×720)');
  await shot(page, 'khmer-public-results-1280');
  assert.deepEqual(await khmerOverflows(page), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

/**
 * Adds a style sheet the way a test may under the app's Content-Security-Policy (no inline <style>): a
 * constructed sheet, which the policy does not govern.
 */
async function injectStyle(page, css) {
  await page.evaluate((text) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }, css);
}
