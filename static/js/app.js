// Progressive enhancement only: every core flow works without this file.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
});

// When htmx replaces the free times of a day, take keyboard and screen reader users
// to the new count, as a page load would take them to the top.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.target.id !== "free-times") return;
  const total = document.getElementById("free-times-total");
  if (total) {
    total.setAttribute("tabindex", "-1");
    total.focus();
  }
});
