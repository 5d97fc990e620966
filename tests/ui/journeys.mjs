// Browser journeys over the real server, in Debian's Chromium through playwright-core (never a downloaded browser).
//   node tests/ui/journeys.mjs JOURNEY BASE_URL ARTEFACT_DIR [ARGS_JSON]
// Each journey asserts on what the page shows (texts come from the product's own catalogues, src/web/i18n) and saves
// screenshots into ARTEFACT_DIR. Exit 0 when every assertion held; otherwise the first failure is printed.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const catalogue = (lang) => JSON.parse(readFileSync(join(here, '../../src/web/i18n', `${lang}.json`), 'utf8'));
const zh = catalogue('zh-Hant'), pt = catalogue('pt'), en = catalogue('en');

const [journey, baseUrl, artefacts, argsJson] = process.argv.slice(2);
const args = argsJson ? JSON.parse(argsJson) : {};
mkdirSync(artefacts, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run'],
});
let shots = 0;
async function shot(page, name) {
  await page.screenshot({ path: join(artefacts, `${String(++shots).padStart(2, '0')}-${name}.png`), fullPage: true });
}
async function heading(page) { return (await page.locator('main h1').first().textContent()).trim(); }

const journeys = {
  // zh-Hant by default; the switch changes every string and persists across pages; phone width works too.
  async languages() {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(baseUrl + '/');
    assert.equal(await heading(page), zh.home.title);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hant');
    await shot(page, 'home-zh-Hant');
    await page.getByRole('link', { name: 'Português' }).click();
    assert.equal(await heading(page), pt.home.title);
    await shot(page, 'home-pt');
    await page.getByRole('link', { name: pt.nav.register }).click();
    assert.equal(await heading(page), pt.register.title);  // the choice persists
    assert.ok((await page.textContent('main')).includes(pt.documents.authorisation_letter));
    await shot(page, 'register-pt');
    await page.getByRole('link', { name: 'English' }).click();
    assert.equal(await heading(page), en.register.title);  // back on the same page, in English
    await shot(page, 'register-en');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(baseUrl + '/');
    assert.equal(await heading(page), en.home.title);
    await shot(page, 'home-en-phone');
    await context.close();
  },

  // Book an unlock appointment inside office hours, keep the code, look it up, cancel it.
  async book() {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(baseUrl + '/appointments/book');
    assert.equal(await heading(page), zh.book.title);
    await page.getByLabel(zh.book.purposes.unlock).check();
    // the first day ahead with free times (weekends and evenings have none)
    let found = false;
    for (let d = 1; d <= 10 && !found; ++d) {
      const day = new Date(Date.now() + d * 86400000 + 8 * 3600000).toISOString().slice(0, 10);  // Macau date
      await page.fill('#date', day);
      await page.getByRole('button', { name: zh.book.show_times }).click();
      found = await page.locator('input[name=slot]:not([disabled])').count() > 0;
      if (!found) assert.ok((await page.textContent('main')).includes(zh.book.no_times));
    }
    assert.ok(found, 'no free time in the next ten days');
    await shot(page, 'times');
    await page.locator('input[name=slot]:not([disabled])').first().check();
    await page.getByLabel(zh.book.name).fill('陳大文 Chan Tai Man');
    await page.getByLabel(zh.book.contact.split('（')[0], { exact: false }).fill('chan@example.mo');
    await page.getByRole('button', { name: zh.book.submit }).click();
    assert.equal(await heading(page), zh.booked.title);
    const code = (await page.textContent('#confirmation-code')).trim();
    assert.match(code, /^[A-Z0-9-]{6,}$/);
    assert.equal((await page.textContent('#appointment-status')).trim(), zh.booked.statuses.booked);
    await shot(page, 'booked');
    // look it up with the code, then cancel
    await page.goto(baseUrl + '/appointments/book');
    await page.getByLabel(zh.book.code).fill(code);
    await page.getByRole('button', { name: zh.book.find }).click();
    assert.equal((await page.textContent('#appointment-status')).trim(), zh.booked.statuses.booked);
    assert.equal(await page.locator('#confirmation-code').count(), 0);  // the code is shown only once
    await page.getByRole('button', { name: zh.booked.cancel }).click();
    assert.equal((await page.textContent('#appointment-status')).trim(), zh.booked.statuses.cancelled);
    assert.ok((await page.textContent('main')).includes(zh.booked.cancelled));
    await shot(page, 'cancelled');
    // a form without its token is refused with the message people can act on
    const forged = await context.request.post(baseUrl + '/appointments/cancel', { form: { code, csrf: 'x'.repeat(64) } });
    assert.equal(forged.status(), 403);
    await context.close();
  },

  // The verify page: a valid file and a tampered one, in zh-Hant and English.
  async verify() {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(baseUrl + '/verify');
    assert.equal(await heading(page), zh.verify.title);
    await page.setInputFiles('#file', args.valid);
    await page.getByRole('button', { name: zh.verify.submit }).click();
    assert.equal((await page.textContent('.verdict')).trim(), zh.verify.all_passed);
    assert.equal((await page.textContent('.signature .badge')).trim(), zh.verify.indications.PASSED);
    assert.ok((await page.textContent('.signature')).includes(args.signer));
    await shot(page, 'valid-zh-Hant');
    await page.getByRole('link', { name: 'English' }).click();
    await page.setInputFiles('#file', args.tampered);
    await page.getByRole('button', { name: en.verify.submit }).click();
    assert.equal((await page.textContent('.verdict')).trim(), en.verify.not_all_passed);
    assert.equal((await page.textContent('.signature .badge')).trim(), en.verify.indications.FAILED);
    assert.ok((await page.textContent('.signature')).includes('HASH_FAILURE'));
    await shot(page, 'tampered-en');
    if (args.report_html) {  // the standalone report `yunqian verify --format html` writes
      await page.goto('file://' + args.report_html);
      assert.equal((await page.textContent('.verdict')).trim(), zh.verify.all_passed);
      await shot(page, 'cli-report');
    }
    await context.close();
  },
};

try {
  if (!journeys[journey]) throw new Error(`no journey "${journey}"`);
  await journeys[journey]();
  console.log(`journey ${journey}: passed (${shots} screenshots in ${artefacts})`);
} catch (e) {
  console.error(`journey ${journey}: FAILED\n${e.stack || e}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
