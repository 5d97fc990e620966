// The signing page's preview: the chosen PDF's page drawn in the browser by pdf.js (Debian's libjs-pdf, served from
// /static/pdfjs/; the file is not sent anywhere before the person signs), and a click on the page places the visible
// signature there. The box is 240 × 90 points, in the page's user space (ISO 32000-1 §8.3.2.3: origin bottom left);
// the form sends it as `rect` = "x1,y1,x2,y2" with the page number. The keyboard does the same (Enter, arrows). Without
// pdf.js (or without JavaScript) the nine places on the page outline still work. The placed box shows the real
// appearance (#16): /portal/appearance.pdf, this signer's, with the reason and location as typed, drawn by pdf.js.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const lib = window.pdfjsLib;
  const file = document.getElementById('file');
  const preview = document.getElementById('preview');
  if (!lib || !file || !preview) return;
  lib.GlobalWorkerOptions.workerSrc = '/static/pdfjs/pdf.worker.js';

  const BOX_WIDTH = 240, BOX_HEIGHT = 90;
  const canvas = document.getElementById('page-canvas');
  const box = document.getElementById('signature-box');
  const pageInput = document.getElementById('page');
  const rectInput = document.getElementById('rect');
  const label = document.getElementById('page-label');
  const placed = document.getElementById('placed');
  const outline = document.getElementById('outline');
  let doc = null, viewport = null, pageNumber = 1, rendering = null;

  function clearPlacement() {
    centre = null;
    rectInput.value = '';
    box.hidden = true;
    placed.hidden = true;
    outline.disabled = false;
  }

  async function show(n) {
    pageNumber = Math.min(Math.max(n, 1), doc.numPages);
    pageInput.value = String(pageNumber);
    label.textContent = `${pageNumber} / ${doc.numPages}`;
    const page = await doc.getPage(pageNumber);
    const unscaled = page.getViewport({ scale: 1 });
    const width = Math.min(preview.clientWidth || 520, 560);
    viewport = page.getViewport({ scale: width / unscaled.width });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    if (rendering) rendering.cancel();
    rendering = page.render({ canvasContext: canvas.getContext('2d'), viewport });
    try { await rendering.promise; } catch (e) { if (e && e.name !== 'RenderingCancelledException') throw e; }
    rendering = null;
    clearPlacement();
    canvas.dataset.rendered = String(pageNumber);
  }

  // The box with its centre at (px, py) in page points, kept inside the page; shown over the canvas and put in the form.
  let centre = null;
  function place(px, py) {
    const bounds = canvas.getBoundingClientRect();
    const [vx1, vy1, vx2, vy2] = viewport.viewBox;
    const x1 = Math.min(Math.max(px - BOX_WIDTH / 2, vx1), vx2 - BOX_WIDTH);
    const y1 = Math.min(Math.max(py - BOX_HEIGHT / 2, vy1), vy2 - BOX_HEIGHT);
    const rect = [x1, y1, x1 + BOX_WIDTH, y1 + BOX_HEIGHT].map((v) => Math.round(v * 100) / 100);
    rectInput.value = rect.join(',');
    const [left, top] = viewport.convertToViewportPoint(rect[0], rect[3]);
    const [right, bottom] = viewport.convertToViewportPoint(rect[2], rect[1]);
    const scale = bounds.width / canvas.width;
    box.style.left = `${Math.min(left, right) * scale}px`;
    box.style.top = `${Math.min(top, bottom) * scale}px`;
    box.style.width = `${Math.abs(right - left) * scale}px`;
    box.style.height = `${Math.abs(bottom - top) * scale}px`;
    box.hidden = false;
    showAppearance();
    placed.hidden = false;
    outline.disabled = true;  // the click decides; the outline's choice is not sent
    centre = [(rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2];
  }

  // The real appearance in the placed box: fetched again when the reason or the location changes.
  const appearance = document.getElementById('appearance-canvas');
  const here = document.getElementById('signature-here');
  let appearanceDoc = null, appearanceFor = null;
  async function showAppearance() {
    if (!appearance || box.hidden) return;
    const reason = document.getElementById('reason'), location = document.getElementById('location');
    const query = `reason=${encodeURIComponent(reason ? reason.value : '')}&location=${encodeURIComponent(location ? location.value : '')}`;
    try {
      if (appearanceFor !== query) {
        appearanceDoc = await lib.getDocument({ url: `/portal/appearance.pdf?${query}`, isEvalSupported: false }).promise;
        appearanceFor = query;
      }
      const page = await appearanceDoc.getPage(1);
      const ratio = window.devicePixelRatio || 1;
      const width = box.clientWidth || 240;
      const view = page.getViewport({ scale: (width / page.getViewport({ scale: 1 }).width) * ratio });
      appearance.width = Math.floor(view.width);
      appearance.height = Math.floor(view.height);
      await page.render({ canvasContext: appearance.getContext('2d'), viewport: view }).promise;
      appearance.hidden = false;
      here.hidden = true;
      appearance.dataset.rendered = 'true';
    } catch (e) {
      appearance.hidden = true;  // the outline text stays
      here.hidden = false;
    }
  }
  for (const id of ['reason', 'location']) {
    const input = document.getElementById(id);
    if (input) input.addEventListener('change', showAppearance);
  }

  // A click is the box's centre.
  canvas.addEventListener('click', (event) => {
    if (!viewport) return;
    const bounds = canvas.getBoundingClientRect();
    const x = (event.clientX - bounds.left) * (canvas.width / bounds.width);
    const y = (event.clientY - bounds.top) * (canvas.height / bounds.height);
    const [px, py] = viewport.convertToPdfPoint(x, y);
    place(px, py);
  });
  // From the keyboard: Enter or Space puts the box in the middle of the page, the arrow keys move it by 12 points
  // (36 with Shift).
  canvas.addEventListener('keydown', (event) => {
    if (!viewport) return;
    const [vx1, vy1, vx2, vy2] = viewport.viewBox;
    const step = event.shiftKey ? 36 : 12;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (event.key === 'Enter' || event.key === ' ') {
      place((vx1 + vx2) / 2, (vy1 + vy2) / 2);
    } else if (moves[event.key]) {
      const [cx, cy] = centre || [(vx1 + vx2) / 2, (vy1 + vy2) / 2];
      place(cx + moves[event.key][0], cy + moves[event.key][1]);
    } else {
      return;
    }
    event.preventDefault();
  });

  document.getElementById('prev-page').addEventListener('click', () => doc && show(pageNumber - 1));
  document.getElementById('next-page').addEventListener('click', () => doc && show(pageNumber + 1));
  document.getElementById('clear-placement').addEventListener('click', clearPlacement);
  pageInput.addEventListener('change', () => doc && show(parseInt(pageInput.value, 10) || 1));

  file.addEventListener('change', async () => {
    clearPlacement();
    preview.hidden = true;
    doc = null;
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    try {
      const data = new Uint8Array(await chosen.arrayBuffer());
      doc = await lib.getDocument({ data, isEvalSupported: false }).promise;  // no eval: the CSP forbids it
      preview.hidden = false;
      await show(parseInt(pageInput.value, 10) || 1);
    } catch (e) {
      preview.hidden = true;  // the server will say what is wrong with the file; the outline still works
    }
  });
});
