// A PDF shown as a figure: the first page of the PDF named by <canvas data-pdf="…"> drawn by pdf.js (Debian's
// libjs-pdf, /static/pdfjs/) at the canvas's width, sharp on high-density screens. Used for the verification guide's
// signature appearance. Without pdf.js (or JavaScript) the link beside the canvas opens the PDF itself.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const lib = window.pdfjsLib;
  if (!lib) return;
  lib.GlobalWorkerOptions.workerSrc = '/static/pdfjs/pdf.worker.js';
  for (const canvas of document.querySelectorAll('canvas[data-pdf]')) {
    lib.getDocument(canvas.dataset.pdf).promise
      .then((doc) => doc.getPage(1))
      .then((page) => {
        const unscaled = page.getViewport({ scale: 1 });
        const width = Math.min(canvas.parentElement.clientWidth || 520, Number(canvas.dataset.width || 520));
        const ratio = window.devicePixelRatio || 1;
        const viewport = page.getViewport({ scale: (width / unscaled.width) * ratio });
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
        canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
        return page.render({ canvasContext: canvas.getContext('2d'), viewport }).promise;
      })
      .then(() => { canvas.dataset.rendered = 'true'; })
      .catch(() => { canvas.hidden = true; });
  }
});
