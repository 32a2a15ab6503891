// Progressive enhancement: shows the Print buttons and makes them print the page.
// Without JavaScript the page says to use the browser's own Print command.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
