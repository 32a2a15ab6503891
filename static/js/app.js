// Progressive enhancement only: every core flow works without this file.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
});
