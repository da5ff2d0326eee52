// Render the math pymdownx.arithmatex marks (generic mode: \( \) inline, \[ \] display) with the
// KaTeX copied into the site, on every page load (Material's instant navigation included).
function renderMath() {
  if (typeof renderMathInElement !== "function") return;
  document.querySelectorAll(".arithmatex").forEach(function (el) {
    renderMathInElement(el, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  });
}
if (typeof document$ !== "undefined") { document$.subscribe(renderMath); }
else { document.addEventListener("DOMContentLoaded", renderMath); }
