// Tell Bootstrap Italia where its fonts are, without an inline script (CSP).
window.__PUBLIC_PATH__ = document.currentScript.dataset.fonts;
