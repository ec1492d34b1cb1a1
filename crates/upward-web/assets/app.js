// upward serve: the one script. Every page works without it; it only adds what a browser
// cannot do from HTML alone: copying a draft to the clipboard.
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  event.preventDefault();
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent).then(() => {
    const status = document.getElementById(button.dataset.copy + "-status");
    if (status) status.textContent = "Copied.";
  });
});
document.querySelectorAll("button[data-copy]").forEach((b) => { b.hidden = false; });
