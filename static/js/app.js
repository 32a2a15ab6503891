// Progressive enhancement only: every core flow works without this file.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  // A status region present when the page loads is not announced by screen readers,
  // so take focus to what just happened ("Booked", "Cancelled", an error), as a
  // page load would otherwise leave people at the top none the wiser. A page that
  // asks for focus itself (autofocus) keeps it.
  const messages = document.getElementById("messages");
  if (messages && !document.querySelector("[autofocus]")) messages.focus();
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
