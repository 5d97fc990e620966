// Browser journeys over the real server, in Debian's Chromium through playwright-core (never a downloaded browser).
//   node tests/ui/journeys.mjs JOURNEY BASE_URL ARTEFACT_DIR [ARGS_JSON]
// Each journey asserts on what the page shows (texts come from the product's own catalogues, src/web/i18n) and saves
// screenshots into ARTEFACT_DIR. Exit 0 when every assertion held; otherwise the first failure is printed.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';

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
// RFC 6238 TOTP (SHA-1, 30 s, 6 digits) from the base32 secret the test's account was created with: what the
// signer's authenticator app shows.
// A code is accepted once, for signing-in and signing alike (RFC 6238 §5.2): for the next successful use, wait for
// the next time step. The last step used is kept in a file per secret, because a test runs several journeys (one
// process each) for the same signer one after the other.
const stepFile = (secret) => join(tmpdir(), 'yq-totp-step-' + createHash('sha256').update(secret).digest('hex').slice(0, 16));
function lastUsedStep(secret) {
  try { return Number(readFileSync(stepFile(secret), 'utf8')); } catch { return -1; }
}
async function freshTotp(secretBase32) {
  while (Math.floor(Date.now() / 1000 / 30) <= lastUsedStep(secretBase32)) await new Promise((r) => setTimeout(r, 500));
  const step = Math.floor(Date.now() / 1000 / 30);
  writeFileSync(stepFile(secretBase32), String(step));
  return totp(secretBase32, step);
}
// Staff codes are accepted once per staff member, and the test's set-up has just used the current one.
const staffSteps = new Map();
async function staffTotp(secretBase32) {
  const used = staffSteps.has(secretBase32) ? staffSteps.get(secretBase32) : Math.floor(Date.now() / 1000 / 30);
  while (Math.floor(Date.now() / 1000 / 30) <= used) await new Promise((r) => setTimeout(r, 500));
  staffSteps.set(secretBase32, Math.floor(Date.now() / 1000 / 30));
  return totp(secretBase32);
}
function totp(secretBase32, step = Math.floor(Date.now() / 1000 / 30)) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretBase32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

let shots = 0;
let current = null;  // the page last photographed, for a screenshot of a failure
// A mail the walk-through's mail server received (Maildir): decoded by Python's email package, waited for up to 60 s.
async function receivedMail(to, subjectHas) {
  const reader = `
import email, email.policy, json, os, sys
box = os.path.join(sys.argv[1], "new")
out = []
for name in (sorted(os.listdir(box)) if os.path.isdir(box) else []):
    with open(os.path.join(box, name), "rb") as f:
        m = email.message_from_binary_file(f, policy=email.policy.default)
    out.append({"to": str(m["X-RcptTo"]), "from": str(m["From"]), "to_header": str(m["To"]),
                "subject": str(m["Subject"]), "date": str(m["Date"]), "body": m.get_content()})
print(json.dumps(out))`;
  for (let i = 0; i < 120; ++i) {
    const mails = JSON.parse(execFileSync('/usr/bin/python3', ['-c', reader, args.maildir], { encoding: 'utf8' }));
    const found = mails.find((m) => m.to === to && m.subject.includes(subjectHas));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no mail to ${to} about ${subjectHas}`);
}
// The mail as a mail client shows it: its headers and its text.
function mailPage(m) {
  const esc = (t) => t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  return `<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8"><style>
    body { font-family: "Noto Sans CJK TC", "Droid Sans Fallback", sans-serif; margin: 2rem; max-width: 52rem; color: #1b1b1b; }
    dl { display: grid; grid-template-columns: 6rem 1fr; gap: .3rem 1rem; border-bottom: 1px solid #ccc; padding-bottom: 1rem; }
    dt { color: #555; } pre { white-space: pre-wrap; font-family: inherit; line-height: 1.6; }</style></head><body>
    <dl><dt>From</dt><dd>${esc(m.from)}</dd><dt>To</dt><dd>${esc(m.to_header)}</dd><dt>Date</dt><dd>${esc(m.date)}</dd>
    <dt>Subject</dt><dd><strong>${esc(m.subject)}</strong></dd></dl><pre>${esc(m.body)}</pre></body></html>`;
}

const shotType = args.jpeg ? 'jpeg' : 'png';  // the walkthrough's pictures for docs/ are JPEG (smaller)
async function shot(page, name) {
  current = page;
  const file = join(artefacts, `${String(++shots).padStart(2, '0')}-${name}.${shotType}`);
  await page.screenshot({ path: file, fullPage: true, ...(shotType === 'jpeg' ? { type: 'jpeg', quality: 80 } : {}) });
}
async function heading(page) { return (await page.locator('main h1').first().textContent()).trim(); }
// Staff sign-in with password and a fresh authenticator code, landing on the work queue.
async function staffSignIn(page, t, username, password, secret) {
  await page.goto(baseUrl + '/office/login');
  await page.getByLabel(t.portal.username).fill(username);
  await page.getByLabel(t.backoffice.password).fill(password);
  await page.getByLabel(t.portal.otp).fill(await staffTotp(secret));
  await page.getByRole('button', { name: t.backoffice.sign_in }).click();
  assert.equal(await heading(page), t.backoffice.queue);
}

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
    // a printable form: on paper only the form (no navigation), with boxes for signature and seal
    await page.getByRole('link', { name: en.forms.open }).first().click();
    // as Macau's official forms: zh-Hant and Português on one page, whatever the site's language (#16)
    assert.ok((await heading(page)).includes(zh.documents.agency_application_form));
    assert.ok((await heading(page)).includes(pt.documents.agency_application_form));
    assert.ok((await page.textContent('main')).includes(zh.forms.fields.agency_code));
    assert.ok((await page.textContent('main')).includes(pt.forms.fields.agency_code));
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.masthead').isVisible(), false);
    assert.equal(await page.locator('#print').isVisible(), false);
    assert.ok(await page.locator('.signatures .box').first().isVisible());
    await shot(page, 'form-print-en');
    await page.emulateMedia({ media: 'screen' });
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
    await page.locator('#username').fill('chan.taiman');  // what the clerk needs for an unlock (#16)
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
    assert.equal((await page.textContent('.signature .badge')).trim(), zh.verify.indications['TOTAL-PASSED']);
    assert.ok((await page.textContent('.signature')).includes(args.signer));
    const signerLine = await page.textContent('.signature .signer');  // the name as people read it, not a DN string
    assert.ok(signerLine.startsWith(args.signer) && !signerLine.includes('CN='), signerLine);
    await shot(page, 'valid-zh-Hant');
    await page.getByRole('link', { name: 'English' }).click();
    await page.setInputFiles('#file', args.tampered);
    await page.getByRole('button', { name: en.verify.submit }).click();
    assert.equal((await page.textContent('.verdict')).trim(), en.verify.not_all_passed);
    assert.equal((await page.textContent('.signature .badge')).trim(), en.verify.indications['TOTAL-FAILED']);
    assert.ok((await page.textContent('.signature')).includes('HASH_FAILURE'));
    assert.equal((await page.textContent('.signature .reason')).trim(), en.verify.sub_indications.HASH_FAILURE);
    await shot(page, 'tampered-en');
    // the verification guide: the real signature appearance drawn by pdf.js from the PDF the product made
    await page.getByRole('link', { name: en.verify.guide_link }).click();
    assert.equal(await heading(page), en.guide.title);
    await page.waitForSelector('canvas[data-pdf][data-rendered="true"]', { timeout: 20000 });
    const drawn = await page.$eval('canvas[data-pdf]', (c) => c.width > 100 && c.height > 30);
    assert.ok(drawn, 'the appearance was not drawn');
    await shot(page, 'verification-guide-en');
    if (args.report_html) {  // the standalone report `yunqian verify --format html` writes
      await page.goto('file://' + args.report_html);
      assert.equal((await page.textContent('.verdict')).trim(), zh.verify.all_passed);
      await shot(page, 'cli-report');
    }
    await context.close();
  },

  // The signer signs in with password + TOTP, changes the signing password, signs a PDF with a visible signature at
  // a chosen place, downloads it, and the verify page calls it valid; five wrong signing passwords lock the account.
  async portal() {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1200, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(baseUrl + '/portal');
    assert.equal(await heading(page), zh.portal.sign_in);  // not signed in: the sign-in page
    // a wrong password and a wrong code read the same
    await page.getByLabel(zh.portal.username).fill(args.username);
    await page.getByLabel(zh.portal.login_password).fill('not-the-password');
    await page.getByLabel(zh.portal.otp).fill(totp(args.otp_secret));
    await page.getByRole('button', { name: zh.portal.sign_in }).click();
    assert.equal((await page.textContent('#form-error')).trim(), zh.portal.errors.sign_in);
    await page.getByLabel(zh.portal.login_password).fill(args.login_password);
    await page.getByLabel(zh.portal.otp).fill('000000' === totp(args.otp_secret) ? '111111' : '000000');
    await page.getByRole('button', { name: zh.portal.sign_in }).click();
    assert.equal((await page.textContent('#form-error')).trim(), zh.portal.errors.sign_in);
    await shot(page, 'sign-in-refused');
    await page.getByLabel(zh.portal.login_password).fill(args.login_password);
    await page.getByLabel(zh.portal.otp).fill(await freshTotp(args.otp_secret));  // used up: signing needs the next one
    await page.getByRole('button', { name: zh.portal.sign_in }).click();
    assert.equal(await heading(page), zh.portal.title);
    assert.equal((await page.textContent('#account-status')).trim(), zh.portal.statuses.active);
    assert.ok((await page.textContent('main')).includes(zh.portal.certificate_statuses.valid));
    await shot(page, 'account');
    // change the signing password (old + new twice + code)
    await page.getByRole('link', { name: zh.portal.passwords }).first().click();
    await page.getByLabel(zh.portal.current_signing).fill(args.signing_password);
    await page.locator('#s-new').fill(args.new_signing_password);
    await page.locator('#s-again').fill(args.new_signing_password);
    await page.locator('#s-otp').fill(await freshTotp(args.otp_secret));
    await page.getByRole('button', { name: zh.portal.change_signing }).click();
    assert.equal((await page.textContent('#changed')).trim(), zh.portal.password_changed);
    // sign a PDF at B-T: page 2 of the preview (drawn by pdf.js in the browser), the signature placed by a click
    await page.getByRole('link', { name: zh.portal.sign }).first().click();
    await page.setInputFiles('#file', args.pdf);
    await page.locator('#page-canvas[data-rendered="1"]').waitFor();
    assert.equal((await page.textContent('#page-label')).trim(), '1 / 2');
    await page.getByRole('button', { name: zh.portal.next_page }).click();
    await page.locator('#page-canvas[data-rendered="2"]').waitFor();
    const canvas = await page.locator('#page-canvas').boundingBox();
    await page.locator('#page-canvas').click({ position: { x: canvas.width * 0.3, y: canvas.height * 0.25 } });
    assert.ok(await page.locator('#placed').isVisible());
    // the box shows the real appearance (#16): this signer's, drawn by pdf.js from the PDF the product made
    await page.locator('#appearance-canvas[data-rendered="true"]').waitFor({ timeout: 20000 });
    assert.ok(await page.locator('#appearance-canvas').isVisible());
    assert.ok(!(await page.locator('#signature-here').isVisible()));
    await shot(page, 'sign-preview-appearance');
    assert.ok(await page.locator('#outline input').first().isDisabled());  // the outline's choice is not sent
    const rect = (await page.inputValue('#rect')).split(',').map(Number);
    assert.equal(rect.length, 4);
    assert.equal(await page.inputValue('#page'), '2');
    // the click is the box's centre, in the page's points (origin bottom left: a click high up is a large y)
    const size = await page.evaluate(async () => {
      const doc = await window.pdfjsLib.getDocument({ data: new Uint8Array(await document.getElementById('file').files[0].arrayBuffer()), isEvalSupported: false }).promise;
      const v = (await doc.getPage(2)).getViewport({ scale: 1 });
      return [v.width, v.height];
    });
    assert.ok(Math.abs((rect[0] + rect[2]) / 2 - size[0] * 0.3) < 3, `x centre ${rect} on ${size}`);
    assert.ok(Math.abs((rect[1] + rect[3]) / 2 - size[1] * 0.75) < 3, `y centre ${rect} on ${size}`);
    console.log('RECT ' + JSON.stringify({ page: 2, rect }));
    await page.getByLabel('B-T', { exact: true }).check();
    await page.getByLabel(zh.portal.reason).fill('核准 Approved');
    await page.getByLabel(zh.portal.signing_password).fill(args.new_signing_password);
    await page.getByLabel(zh.portal.otp).fill(await freshTotp(args.otp_secret));
    await shot(page, 'sign-form');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: zh.portal.sign_and_download }).click(),
    ]);
    await download.saveAs(args.signed_out);
    assert.match(download.suggestedFilename(), /^signed-.*\.pdf$/);
    // the history lists it (level, reference), without the document
    await page.goto(baseUrl + '/portal/history');
    assert.equal(await page.locator('#history tbody tr').count(), 1);
    assert.ok((await page.textContent('#history')).includes('B-T'));
    await shot(page, 'history');
    // #18: the signing log shows the one use of the key, through the portal, with its proof to take away
    await page.goto(baseUrl + '/portal');
    await page.getByRole('link', { name: zh.portal.log }).click();
    assert.equal(await heading(page), zh.portal.log);
    assert.equal(await page.locator('#signing-log tbody tr').count(), 1);
    assert.ok((await page.textContent('#signing-log')).includes(zh.portal.log_clients.portal));
    const [proofDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: zh.portal.log_download }).click(),
    ]);
    const proof = JSON.parse(readFileSync(await proofDownload.path(), 'utf8'));
    assert.equal(proof.leaf_index, Number((await page.textContent('#signing-log tbody td')).trim()));
    assert.equal(JSON.parse(proof.leaf_data).digest, (await page.textContent('#signing-log tbody code')).trim());
    assert.ok(proof.sth.tree_size > proof.leaf_index, `head ${proof.sth.tree_size} covers leaf ${proof.leaf_index}`);
    await shot(page, 'signing-log');
    // the verify page calls the download valid
    await page.goto(baseUrl + '/verify');
    await page.setInputFiles('#file', args.signed_out);
    await page.getByRole('button', { name: zh.verify.submit }).click();
    assert.equal((await page.textContent('.verdict')).trim(), zh.verify.all_passed);
    await shot(page, 'signed-and-verified');
    // five wrong signing passwords in a row lock the account; the page says how to get it unlocked
    for (let i = 0; i < args.lockout; ++i) {
      await page.goto(baseUrl + '/portal/sign');
      await page.setInputFiles('#file', args.pdf);
      await page.getByLabel(zh.portal.signing_password).fill('wrong-password-' + i);
      await page.getByLabel(zh.portal.otp).fill(totp(args.otp_secret));
      await page.getByRole('button', { name: zh.portal.sign_and_download }).click();
      const error = (await page.textContent('#form-error')).trim();
      assert.ok(error === zh.portal.errors.wrong_secret.replace('{n}', String(args.lockout)) || error === zh.portal.errors.locked, error);
    }
    await page.goto(baseUrl + '/portal');
    assert.equal((await page.textContent('#account-status')).trim(), zh.portal.statuses.locked);
    assert.ok((await page.textContent('#locked')).includes(zh.portal.book_unlock));
    await shot(page, 'locked');
    await page.getByRole('link', { name: zh.portal.book_unlock }).click();
    assert.equal(await heading(page), zh.book.title);
    assert.ok(await page.getByLabel(zh.book.purposes.unlock).isChecked());
    await context.close();
  },

  // After the office unlocked the account: the portal shows it active again.
  async unlocked() {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(baseUrl + '/portal/login');
    await page.getByLabel(en.portal.username).fill(args.username);
    await page.getByLabel(en.portal.login_password).fill(args.login_password);
    await page.getByLabel(en.portal.otp).fill(await freshTotp(args.otp_secret));
    await page.getByRole('button', { name: en.portal.sign_in }).click();
    assert.equal((await page.textContent('#account-status')).trim(), en.portal.statuses.active);
    assert.equal(await page.locator('#locked').count(), 0);
    await shot(page, 'unlocked-en');
    await context.close();
  },

  // The office unlocks a locked account at the appointment: an officer records the booking, the two documents and
  // the original ID; an officer cannot approve (role, and four eyes); a supervisor does.
  async office() {
    const officer = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1200, height: 900 } });
    let page = await officer.newPage();
    await page.goto(baseUrl + '/office');
    assert.equal(await heading(page), zh.backoffice.sign_in);
    await page.getByLabel(zh.portal.username).fill(args.officer);
    await page.getByLabel(zh.backoffice.password).fill(args.officer_password);
    await page.getByLabel(zh.portal.otp).fill(await staffTotp(args.officer_secret));
    await page.getByRole('button', { name: zh.backoffice.sign_in }).click();
    assert.equal(await heading(page), zh.backoffice.queue);
    assert.ok((await page.textContent('#appointments')).includes(zh.book.purposes.unlock));
    await shot(page, 'queue');
    await page.getByRole('link', { name: zh.backoffice.unlock }).click();
    // the booking due now is listed with its username (#16): the clerk picks it instead of typing the code
    const due = page.locator('#appointment-pick label', { hasText: args.username });
    assert.equal(await due.count(), 1);
    await due.locator('input').check();
    await page.getByLabel(zh.portal.username).fill(args.username);
    await page.getByLabel(zh.backoffice.id_type).selectOption('macau_bir');
    await page.getByLabel(zh.backoffice.id_number).fill(args.id_number);
    await page.setInputFiles('#unlock_form', args.unlock_form);
    await page.setInputFiles('#id_copy', args.id_copy);
    await shot(page, 'unlock-form');
    await page.getByRole('button', { name: zh.backoffice.unlock_submit }).click();
    assert.equal((await page.textContent('#request-status')).trim(), zh.backoffice.request_statuses.checked);
    await shot(page, 'request-checked');
    assert.equal(await page.getByRole('button', { name: zh.backoffice.approve }).count(), 0);  // not an officer's step
    await officer.close();

    const supervisor = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1200, height: 900 } });
    page = await supervisor.newPage();
    await staffSignIn(page, zh, args.supervisor, args.supervisor_password, args.supervisor_secret);
    assert.ok((await page.textContent('#to-approve')).includes(args.username));
    await page.locator('#to-approve').getByRole('link', { name: zh.backoffice.open }).first().click();
    await page.getByRole('button', { name: zh.backoffice.approve }).click();
    assert.equal((await page.textContent('#request-status')).trim(), zh.backoffice.request_statuses.completed);
    await shot(page, 'approved');
    await supervisor.close();
  },

  // The registration office in the browser: an officer registers an agency (delegate representative under the head's
  // letter) and a user; a second officer approves both and prints the PIN letter. Prints the letter's one-time
  // passwords as `PIN {json}` for the test to continue with the signer's first sign-in.
  async register() {
    const officer = await browser.newContext({ locale: 'en-GB', viewport: { width: 1200, height: 900 } });
    let page = await officer.newPage();
    await staffSignIn(page, en, args.officer, args.officer_password, args.officer_secret);
    await page.getByRole('link', { name: en.backoffice.new_agency }).first().click();
    assert.equal(await heading(page), en.backoffice.new_agency);
    await page.getByLabel(en.backoffice.name_zh).fill('法務局');
    await page.getByLabel(en.backoffice.name_pt).fill('Direcção dos Serviços de Assuntos de Justiça');
    await page.getByLabel(en.backoffice.name_en).fill('Legal Affairs Bureau');
    await page.getByLabel(en.backoffice.agency_code).fill(args.code);
    await page.getByLabel(en.backoffice.address).fill('Rua do Campo, Macau');
    await page.locator('#head_name').fill('梁局長 Leong');
    await page.locator('#head_title').fill('局長 Director');
    await page.locator('#contact_name').fill('何聯絡 Ho');
    await page.locator('#contact_email').fill('ho@dsaj.gov.mo');
    await page.locator('#rep_name').fill(args.delegate);
    await page.locator('#rep_title').fill('副局長 Deputy Director');
    await page.locator('#rep_id_type').selectOption('macau_bir');
    await page.locator('#rep_id_number').fill('5123456(7)');
    await page.getByLabel(en.backoffice.scopes.revoke).check();
    await page.setInputFiles('#doc-agency_application_form', args.agency_form);
    await page.setInputFiles('#doc-representative_id_copy', args.representative_id);
    await page.setInputFiles('#doc-contact_id_copy', args.contact_id);
    await shot(page, 'agency-form-en');
    // the delegate's authorisation letter is left out: the form comes back with what was typed and says why
    await page.getByRole('button', { name: en.backoffice.register_submit }).click();
    assert.equal((await page.textContent('#form-error')).trim(), en.backoffice.errors.missing_documents);
    assert.equal((await page.textContent('#documents-error')).trim(), en.backoffice.errors.missing_documents);  // by the field
    assert.equal(await page.inputValue('#name_zh'), '法務局');
    assert.equal(await page.inputValue('#rep_name'), args.delegate);
    assert.equal(await page.inputValue('#rep_id_number'), '');  // the ID number is never sent back
    await shot(page, 'agency-form-missing-letter');
    await page.locator('#rep_id_number').fill('5123456(7)');
    await page.setInputFiles('#doc-agency_application_form', args.agency_form);
    await page.setInputFiles('#doc-representative_id_copy', args.representative_id);
    await page.setInputFiles('#doc-contact_id_copy', args.contact_id);
    await page.setInputFiles('#doc-authorisation_letter', args.letter);
    await page.getByRole('button', { name: en.backoffice.register_submit }).click();
    assert.equal(await heading(page), 'Legal Affairs Bureau');
    assert.equal((await page.textContent('#agency-status')).trim(), en.backoffice.agency_statuses.submitted);
    assert.ok((await page.textContent('#letters')).includes(en.backoffice.letter_statuses.pending));
    assert.equal(await page.locator('#documents li.missing').count(), 0);
    await page.getByRole('button', { name: en.backoffice.documents_checked }).click();
    assert.equal((await page.textContent('#agency-status')).trim(), en.backoffice.agency_statuses.documents_checked);
    assert.equal(await page.getByRole('button', { name: en.backoffice.approve_agency }).count(), 0);  // not an officer's step
    await shot(page, 'agency-checked-en');
    const agencyUrl = page.url();

    // the second officer: the agency and its letter wait in the queue
    const supervisor = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1200, height: 900 } });
    let second = await supervisor.newPage();
    await staffSignIn(second, zh, args.supervisor, args.supervisor_password, args.supervisor_secret);
    const waiting = await second.textContent('#to-approve');
    assert.ok(waiting.includes(zh.backoffice.agency) && waiting.includes(zh.backoffice.letter) && waiting.includes('法務局'));
    await shot(second, 'queue-zh-Hant');
    await second.goto(agencyUrl);
    await second.getByRole('button', { name: zh.backoffice.approve_agency }).click();
    assert.equal((await second.textContent('#agency-status')).trim(), zh.backoffice.agency_statuses.active);
    await second.getByRole('button', { name: zh.backoffice.confirm_letter }).click();
    assert.ok((await second.textContent('#letters')).includes(zh.backoffice.letter_statuses.valid));
    await shot(second, 'agency-active-zh-Hant');

    // the user at the counter
    await page.reload();
    await page.getByRole('link', { name: en.backoffice.new_application }).click();
    assert.equal(await heading(page), en.backoffice.new_application);
    await page.getByLabel(en.portal.username).fill(args.username);
    await page.getByLabel(en.backoffice.name_on_id).fill('何詠 Ho Weng');
    await page.getByLabel(en.backoffice.email).fill(args.username + '@dsaj.gov.mo');
    await page.getByLabel(en.backoffice.department).fill('Registry');
    await page.getByLabel(en.backoffice.job_title).fill('Technician');
    await page.locator('#representative_id').selectOption({ label: args.delegate + ' · 副局長 Deputy Director' });
    await page.setInputFiles('#doc-service_application_form', args.service_form);
    await page.setInputFiles('#doc-user_id_copy', args.user_id);
    await page.locator('#id_type').selectOption('macau_bir');
    await page.locator('#id_number').fill(args.id_number);
    await shot(page, 'application-form-en');
    await page.getByRole('button', { name: en.backoffice.file_application }).click();
    assert.equal((await page.textContent('#application-status')).trim(), en.backoffice.application_statuses.id_sighted);
    assert.equal(await page.getByRole('button', { name: en.backoffice.approve_application }).count(), 0);
    await shot(page, 'application-sighted-en');
    const applicationUrl = page.url();
    await officer.close();

    // the second officer approves and prints the PIN letter (shown this once)
    await second.goto(baseUrl + '/office');
    assert.ok((await second.textContent('#to-approve')).includes(args.username));
    await second.goto(applicationUrl);
    await second.getByRole('button', { name: zh.backoffice.approve_application }).click();
    assert.equal(await heading(second), zh.backoffice.pin_letter);
    const letter = {
      username: (await second.textContent('#pin-username')).trim(),
      login_password: (await second.textContent('#pin-login')).trim(),
    };
    assert.equal(letter.username, args.username);
    assert.ok(letter.login_password.length >= 12);
    assert.equal(await second.locator('#pin-signing').count(), 0);  // the letter carries no signing secret
    await shot(second, 'pin-letter-zh-Hant');
    await second.goto(applicationUrl);  // the passwords are not shown again
    assert.equal((await second.textContent('#application-status')).trim(), zh.backoffice.application_statuses.approved);
    assert.ok(!(await second.textContent('main')).includes(letter.login_password));
    await supervisor.close();
    console.log('PIN ' + JSON.stringify(letter));
  },

  // The done-when walk-through, only in the browser, against a server `./yq up` started on a fresh home (run by
  // `./yq walkthrough`): the administrator makes the staff sign-ins; a visitor books; an officer registers an agency and
  // a user and a supervisor approves; the signer enrols, signs by clicking on the preview, verifies; wrong passwords
  // lock the account, the office unlocks it at the appointment; the CA page and the audit log. Each person works in
  // their own language; the pictures go to docs/screenshots/walkthrough.
  async walkthrough() {
    const used = new Map();  // each authenticator's last time step: a code is used once
    async function code(secret) {
      while (Math.floor(Date.now() / 1000 / 30) <= (used.get(secret) ?? -1)) await new Promise((r) => setTimeout(r, 500));
      used.set(secret, Math.floor(Date.now() / 1000 / 30));
      return totp(secret);
    }
    const person = async (locale) => (await browser.newContext({ locale, viewport: { width: 1200, height: 900 }, acceptDownloads: true })).newPage();
    // The first sign-in: the one-time password alone, then the person's own authenticator (nobody else sees it), then
    // their own password.
    const firstStaffSignIn = async (page, t, username, password, chosen) => {
      await page.goto(baseUrl + '/office/login');
      await page.getByLabel(t.portal.username).fill(username);
      await page.getByLabel(t.backoffice.password).fill(password);
      await page.getByRole('button', { name: t.backoffice.sign_in }).click();
      assert.equal(await heading(page), t.portal.enrol);
      const secret = await page.getAttribute('#totp-secret', 'data-secret');
      await page.getByLabel(t.portal.otp).fill(await code(secret));
      await page.getByRole('button', { name: t.portal.enrol_confirm }).click();
      assert.equal(await heading(page), t.backoffice.change_password);
      await page.getByLabel(t.backoffice.current_password).fill(password);
      await page.locator('input[name=new_password]').fill(chosen);
      await page.locator('input[name=new_password_again]').fill(chosen);
      await page.locator('form button[type=submit]').first().click();
      assert.equal(await heading(page), t.backoffice.queue);
    };
    const newStaff = async (page, username, role) => {
      await page.goto(baseUrl + '/office/staff');
      await page.locator('#username').fill(username);
      await page.locator(`input[name=role_${role}]`).check();
      await page.getByRole('button', { name: en.backoffice.create_staff }).click();
      assert.equal(await page.locator('#staff-otpauth').count(), 0);  // the administrator never sees the authenticator
      const shown = (await page.textContent('#staff-password')).trim();
      if (role !== 'supervisor') return { password: shown };
      // #14: a supervisor's sign-in waits for a second administrator; this office has one, so the operator at the
      // server's console approves it and takes the password's second part
      assert.equal(await page.locator('#awaiting-approval').count(), 1);
      await shot(page, 'en-staff-awaiting-second-administrator');
      const approved = execFileSync(args.yunqian, ['--home', args.home, 'admin', 'approve-staff', '--user', username],
                                    { encoding: 'utf8' });
      const second = approved.match(/shown only now\):\n {2}(\S+)\n/)[1];
      return { password: shown + second };
    };

    // 1. the administrator from `./yq up` (English): first sign-in, then the two staff sign-ins
    const admin = await person('en-GB');
    await firstStaffSignIn(admin, en, 'admin', args.admin_password, 'admin-chosen-password-1');
    const olivia = await newStaff(admin, 'olivia', 'officer');
    await shot(admin, 'en-staff-sign-in-shown-once');
    const samuel = await newStaff(admin, 'samuel', 'supervisor');
    await admin.goto(baseUrl + '/office/staff');
    await shot(admin, 'en-staff');

    // 2. a visitor (Traditional Chinese by default): the site, how to register, a printable form, a booking
    const visitor = await person('zh-TW');
    await visitor.goto(baseUrl + '/');
    assert.equal(await heading(visitor), zh.home.title);
    await shot(visitor, 'zh-home');
    await visitor.getByRole('link', { name: zh.nav.register }).click();
    await shot(visitor, 'zh-register');
    await visitor.goto(baseUrl + '/forms/service_application_form');
    await shot(visitor, 'zh-service-application-form');
    await visitor.goto(baseUrl + '/register');
    await visitor.locator('a.form-guide[href="/forms/service_application_form/guide"]').click();
    assert.ok((await visitor.textContent('#callouts')).includes(zh.forms.callouts.service_application_form['1']));
    await shot(visitor, 'zh-service-application-guide');
    await visitor.goto(baseUrl + '/appointments/book');
    await visitor.getByLabel(zh.book.purposes.registration).check();
    await visitor.getByRole('button', { name: zh.book.show_times }).click();
    await visitor.locator('input[name=slot]:not([disabled])').first().check();
    await visitor.getByLabel(zh.book.name).fill('陳大文 Chan Tai Man');
    await visitor.getByLabel(zh.book.contact.split('（')[0], { exact: false }).fill('chan@dsaj.gov.mo');
    await visitor.locator('#agency').fill('法務局 Direcção dos Serviços de Assuntos de Justiça');  // to register (#16)
    await visitor.getByRole('button', { name: zh.book.submit }).click();
    assert.equal(await heading(visitor), zh.booked.title);
    await shot(visitor, 'zh-booked');
    for (const [label, t, name] of [['Português', pt, 'pt-home'], ['English', en, 'en-home']]) {
      await visitor.goto(baseUrl + '/');
      await visitor.getByRole('link', { name: label }).click();
      assert.equal(await heading(visitor), t.home.title);
      await shot(visitor, name);
    }

    // 3. the officer (Portuguese) registers the agency: a delegate under the head's letter
    const officer = await person('pt-PT');
    await firstStaffSignIn(officer, pt, 'olivia', olivia.password, 'olivia-chosen-password-1');
    await officer.getByRole('link', { name: pt.backoffice.new_agency }).first().click();
    await officer.getByLabel(pt.backoffice.name_zh).fill('法務局');
    await officer.getByLabel(pt.backoffice.name_pt).fill('Direcção dos Serviços de Assuntos de Justiça');
    await officer.getByLabel(pt.backoffice.name_en).fill('Legal Affairs Bureau');
    await officer.getByLabel(pt.backoffice.agency_code).fill('DSAJ');
    await officer.getByLabel(pt.backoffice.address).fill('Rua do Campo, n.º 162, Macau');
    await officer.locator('#head_name').fill('梁局長 Leong');
    await officer.locator('#head_title').fill('局長 Director');
    await officer.locator('#contact_name').fill('何聯絡 Ho');
    await officer.locator('#contact_email').fill('ho@dsaj.gov.mo');
    await officer.locator('#rep_name').fill('黃代表 Wong');
    await officer.locator('#rep_title').fill('副局長 Subdirector');
    await officer.locator('#rep_id_number').fill('5123456(7)');
    await officer.getByLabel(pt.backoffice.scopes.revoke).check();
    for (const doc of ['agency_application_form', 'representative_id_copy', 'contact_id_copy', 'authorisation_letter'])
      await officer.setInputFiles(`#doc-${doc}`, args.document);
    await shot(officer, 'pt-register-agency');
    await officer.getByRole('button', { name: pt.backoffice.register_submit }).click();
    await officer.getByRole('button', { name: pt.backoffice.documents_checked }).click();
    assert.equal((await officer.textContent('#agency-status')).trim(), pt.backoffice.agency_statuses.documents_checked);
    await shot(officer, 'pt-agency-checked');
    const agencyUrl = officer.url();

    // 4. the supervisor (Traditional Chinese) approves the agency and confirms the letter
    const supervisor = await person('zh-TW');
    await firstStaffSignIn(supervisor, zh, 'samuel', samuel.password, 'samuel-chosen-password-1');
    await shot(supervisor, 'zh-office-queue');
    await supervisor.goto(agencyUrl);
    await supervisor.getByRole('button', { name: zh.backoffice.approve_agency }).click();
    await supervisor.getByRole('button', { name: zh.backoffice.confirm_letter }).click();
    assert.ok((await supervisor.textContent('#letters')).includes(zh.backoffice.letter_statuses.valid));
    await shot(supervisor, 'zh-agency-active');

    // 5. the user at the counter: the officer files the application with the sign-off, documents and original ID
    await officer.goto(agencyUrl);
    await officer.getByRole('link', { name: pt.backoffice.new_application }).click();
    await officer.getByLabel(pt.portal.username).fill('chan.taiman');
    await officer.getByLabel(pt.backoffice.name_on_id).fill('陳大文 Chan Tai Man');
    await officer.getByLabel(pt.backoffice.email).fill('chan.taiman@dsaj.gov.mo');
    await officer.getByLabel(pt.backoffice.department).fill('Divisão de Registos');
    await officer.getByLabel(pt.backoffice.job_title).fill('Técnico superior');
    await officer.setInputFiles('#doc-service_application_form', args.document);
    await officer.setInputFiles('#doc-user_id_copy', args.document);
    await officer.locator('#id_number').fill('1234567(8)');
    await shot(officer, 'pt-user-application');
    await officer.getByRole('button', { name: pt.backoffice.file_application }).click();
    assert.equal((await officer.textContent('#application-status')).trim(), pt.backoffice.application_statuses.id_sighted);
    await shot(officer, 'pt-application-ready');
    const applicationUrl = officer.url();
    // the service application form printed filled from the case (#16), bilingual whatever the clerk's language
    await officer.locator('#case-form').click();
    assert.ok((await officer.textContent('main')).includes('chan.taiman@dsaj.gov.mo'));
    await shot(officer, 'pt-application-form-filled');
    await officer.goto(applicationUrl);

    // 6. the supervisor approves: the PIN letter
    await supervisor.goto(applicationUrl);
    await supervisor.getByRole('button', { name: zh.backoffice.approve_application }).click();
    const letter = { login: (await supervisor.textContent('#pin-login')).trim() };
    await shot(supervisor, 'zh-pin-letter');

    // 7. the signer (English): first sign-in, authenticator, own signing password, a signature placed on the preview
    const signer = await person('en-GB');
    await signer.goto(baseUrl + '/portal/login');
    await signer.getByLabel(en.portal.username).fill('chan.taiman');
    await signer.getByLabel(en.portal.login_password).fill(letter.login);
    await signer.getByRole('button', { name: en.portal.sign_in }).click();
    assert.equal(await heading(signer), en.portal.enrol);
    const signerSecret = await signer.getAttribute('#totp-secret', 'data-secret');
    await shot(signer, 'en-portal-enrol');
    await signer.getByLabel(en.portal.otp).fill(await code(signerSecret));
    await signer.getByRole('button', { name: en.portal.enrol_confirm }).click();
    assert.equal(await heading(signer), en.portal.passwords);  // the signing password (and with it the key) goes next
    await signer.locator('#s-new').fill('chan-own-signing-secret');
    await signer.locator('#s-again').fill('chan-own-signing-secret');
    await signer.locator('#s-otp').fill(await code(signerSecret));
    await signer.getByRole('button', { name: en.portal.choose_signing }).click();
    assert.equal((await signer.textContent('#key-created')).trim(), en.portal.key_created);
    await shot(signer, 'en-portal-account');
    await signer.getByRole('link', { name: en.portal.sign }).first().click();
    await signer.setInputFiles('#file', args.pdf);
    await signer.locator('#page-canvas[data-rendered="1"]').waitFor();
    const canvas = await signer.locator('#page-canvas').boundingBox();
    await signer.locator('#page-canvas').click({ position: { x: canvas.width * 0.68, y: canvas.height * 0.82 } });  // scrolls to it
    assert.ok(await signer.locator('#placed').isVisible());
    await signer.getByLabel(en.portal.reason).fill('核准 Approved');
    await signer.getByLabel(en.portal.location).fill('澳門 Macau');
    await signer.getByLabel(en.portal.signing_password).fill('chan-own-signing-secret');
    await signer.getByLabel(en.portal.otp).fill(await code(signerSecret));
    await signer.locator('#page-canvas').click({ position: { x: canvas.width * 0.68, y: canvas.height * 0.82 } });  // the reason shows
    await signer.locator('#appearance-canvas[data-rendered="true"]').waitFor({ timeout: 20000 });
    await shot(signer, 'en-portal-sign-preview');
    const [download] = await Promise.all([signer.waitForEvent('download'),
      signer.getByRole('button', { name: en.portal.sign_and_download }).click()]);
    await download.saveAs(args.signed_out);
    await signer.goto(baseUrl + '/verify');
    await signer.setInputFiles('#file', args.signed_out);
    await signer.getByRole('button', { name: en.verify.submit }).click();
    assert.equal((await signer.textContent('.verdict')).trim(), en.verify.all_passed);
    await shot(signer, 'en-verify-valid');
    await signer.getByRole('link', { name: 'Português' }).click();
    await signer.goto(baseUrl + '/portal/history');
    await shot(signer, 'pt-portal-history');
    // the signature's record, as its QR code opens it (#16), and the verification guide
    await signer.locator('a[href^="/verify?ref="]').first().click();
    assert.equal(await heading(signer), pt.record.title);
    await shot(signer, 'pt-signature-record');
    await signer.goto(baseUrl + '/verify/guide');
    assert.equal(await heading(signer), pt.guide.title);
    await signer.waitForSelector('canvas[data-pdf][data-rendered="true"]', { timeout: 20000 });
    await shot(signer, 'pt-verification-guide');
    // the signer's notice of that signing, as the mail server received it (#16), read with Python's email package
    if (args.maildir) {
      const mail = await receivedMail('chan.taiman@dsaj.gov.mo', '您的簽署密鑰已用於簽署');
      const reader = await person('zh-HK');
      await reader.setContent(mailPage(mail));
      await shot(reader, 'zh-notice-mail');
      await reader.close();
    }

    // 8. five wrong signing passwords lock the account; the portal says how to book the unlock
    await signer.getByRole('link', { name: '繁體中文' }).click();
    for (let i = 0; i < 5; ++i) {
      await signer.goto(baseUrl + '/portal/sign');
      await signer.setInputFiles('#file', args.pdf);
      await signer.getByLabel(zh.portal.signing_password).fill('wrong-password-' + i);
      await signer.getByLabel(zh.portal.otp).fill(totp(signerSecret));
      await signer.getByRole('button', { name: zh.portal.sign_and_download }).click();
    }
    await signer.goto(baseUrl + '/portal');
    assert.equal((await signer.textContent('#account-status')).trim(), zh.portal.statuses.locked);
    await shot(signer, 'zh-portal-locked');
    await signer.getByRole('link', { name: zh.portal.book_unlock }).click();
    await signer.getByRole('button', { name: zh.book.show_times }).click();
    await signer.locator('input[name=slot]:not([disabled])').first().check();
    await signer.getByLabel(zh.book.name).fill('陳大文 Chan Tai Man');
    await signer.getByLabel(zh.book.contact.split('（')[0], { exact: false }).fill('chan.taiman@dsaj.gov.mo');
    await signer.locator('#username').fill('chan.taiman');
    await signer.getByRole('button', { name: zh.book.submit }).click();
    const unlockCode = (await signer.textContent('#confirmation-code')).trim();

    // 9. at the appointment: the officer (English now) records it, the supervisor approves
    await officer.getByRole('link', { name: 'English' }).click();
    await officer.goto(baseUrl + '/office/appointments/week');
    await shot(officer, 'en-office-week');
    await officer.goto(baseUrl + '/office/unlock');
    // the clerk picks the booking due now (#16) — the code (unlockCode) is the way when the list does not show it
    const due = officer.locator('#appointment-pick label', { hasText: 'chan.taiman' });
    if (await due.count()) await due.first().locator('input').check();
    else await officer.getByLabel(en.book.code).fill(unlockCode);
    await officer.getByLabel(en.portal.username).fill('chan.taiman');
    await officer.getByLabel(en.backoffice.id_number).fill('1234567(8)');
    await officer.setInputFiles('#unlock_form', args.document);
    await officer.setInputFiles('#id_copy', args.document);
    await officer.getByRole('button', { name: en.backoffice.unlock_submit }).click();
    assert.equal((await officer.textContent('#request-status')).trim(), en.backoffice.request_statuses.checked);
    const unlockUrl = officer.url();
    await supervisor.goto(unlockUrl);
    await supervisor.getByRole('button', { name: zh.backoffice.approve }).click();
    assert.equal((await supervisor.textContent('#request-status')).trim(), zh.backoffice.request_statuses.completed);
    await shot(supervisor, 'zh-unlock-approved');
    await signer.goto(baseUrl + '/portal');
    assert.equal((await signer.textContent('#account-status')).trim(), zh.portal.statuses.active);
    await shot(signer, 'zh-portal-unlocked');

    // 10. the CA administrator's page (live OCSP and TSA checks) and the audit log
    await admin.goto(baseUrl + '/office/ca');
    assert.equal(await admin.locator('#services .badge.failed').count(), 0);
    await shot(admin, 'en-ca');
    await admin.goto(baseUrl + `/office/audit?object=account%3Achan.taiman`);
    await shot(admin, 'en-audit');
    // 11. at phone width: the signer's account and the signing page
    await signer.setViewportSize({ width: 390, height: 844 });
    await signer.goto(baseUrl + '/portal');
    await shot(signer, 'zh-phone-portal');
    await signer.goto(baseUrl + '/portal/sign');
    await signer.setInputFiles('#file', args.pdf);
    await signer.locator('#page-canvas[data-rendered="1"]').waitFor();
    await shot(signer, 'zh-phone-sign');
    console.log('walkthrough: every step held');
  },

  // An account the office opened: the first sign-in with the PIN letter's password only, the authenticator enrolled
  // from the QR page, the one-time signing password replaced, then a signature.
  async enrol() {
    const context = await browser.newContext({ locale: 'pt-PT', viewport: { width: 1200, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(baseUrl + '/portal/login');
    await page.getByLabel(pt.portal.username).fill(args.username);
    await page.getByLabel(pt.portal.login_password).fill(args.login_password);
    await page.getByRole('button', { name: pt.portal.sign_in }).click();
    assert.equal(await heading(page), pt.portal.enrol);
    await page.goto(baseUrl + '/portal/sign');  // nothing else until the authenticator is set up
    assert.equal(await heading(page), pt.portal.enrol);
    const secret = await page.getAttribute('#totp-secret', 'data-secret');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.ok((await page.getAttribute('img.qr', 'src')).startsWith('data:image/svg+xml;base64,'));
    await shot(page, 'enrol-pt');
    await page.getByLabel(pt.portal.otp).fill(totp(secret) === '123456' ? '654321' : '123456');  // a wrong code first
    await page.getByRole('button', { name: pt.portal.enrol_confirm }).click();
    assert.equal((await page.textContent('#form-error')).trim(), pt.portal.errors.enrol_code);
    assert.equal(await page.getAttribute('#totp-secret', 'data-secret'), secret);  // the same secret to try again
    await page.getByLabel(pt.portal.otp).fill(await freshTotp(secret));
    await page.getByRole('button', { name: pt.portal.enrol_confirm }).click();
    assert.equal(await heading(page), pt.portal.passwords);  // the signing password (and with it the key) goes next
    assert.equal(await page.getByLabel(pt.portal.current_signing).count(), 0);  // there is no one-time one to replace
    await shot(page, 'choose-signing-pt');
    await page.locator('#s-new').fill(args.new_signing_password);
    await page.locator('#s-again').fill(args.new_signing_password);
    await page.locator('#s-otp').fill(await freshTotp(secret));
    await page.getByRole('button', { name: pt.portal.choose_signing }).click();
    assert.equal((await page.textContent('#key-created')).trim(), pt.portal.key_created);
    await page.getByRole('link', { name: pt.portal.sign }).first().click();
    await page.setInputFiles('#file', args.pdf);
    // placed from the keyboard: Enter puts the box in the middle of the page, two steps down moves it 24 points
    await page.locator('#page-canvas[data-rendered="1"]').waitFor();
    await page.locator('#page-canvas').focus();
    await page.keyboard.press('Enter');
    const middle = (await page.inputValue('#rect')).split(',').map(Number);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const moved = (await page.inputValue('#rect')).split(',').map(Number);
    assert.equal(moved[0], middle[0]);
    assert.ok(Math.abs(middle[1] - moved[1] - 24) < 0.01, `${middle} → ${moved}`);
    await page.getByLabel(pt.portal.signing_password).fill(args.new_signing_password);
    await page.getByLabel(pt.portal.otp).fill(await freshTotp(secret));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: pt.portal.sign_and_download }).click(),
    ]);
    await download.saveAs(args.signed_out);
    await context.close();
  },
};

try {
  if (!journeys[journey]) throw new Error(`no journey "${journey}"`);
  await journeys[journey]();
  console.log(`journey ${journey}: passed (${shots} screenshots in ${artefacts})`);
} catch (e) {
  console.error(`journey ${journey}: FAILED\n${e.stack || e}`);
  if (current) {
    await current.screenshot({ path: join(artefacts, 'failure.png'), fullPage: true }).catch(() => {});
    console.error('page at failure: ' + current.url() + '\n' + ((await current.textContent('main').catch(() => '')) || '').trim().slice(0, 600));
  }
  process.exitCode = 1;
} finally {
  await browser.close();
}
