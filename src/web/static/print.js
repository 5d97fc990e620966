// The print button of the printable forms (no inline script: the CSP allows scripts from /static only).
document.addEventListener('DOMContentLoaded', () => {
  const button = document.getElementById('print');
  if (button) button.addEventListener('click', () => window.print());
});
