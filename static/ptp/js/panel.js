// Live eligibility panel: when the area changes, or after any in-page change, fetch the
// panel fragment again. Without JavaScript the panel is rendered with the page and
// updated on every save, so nothing depends on this script.
// Only the verdict line ([data-summary]) is read out, copied into #eligibility-summary:
// the panel's dozen rules would be queued by a screen reader at each key of the select.
(function () {
  "use strict";
  var panel = document.getElementById("eligibility-panel");
  if (!panel) { return; }
  var summary = document.getElementById("eligibility-summary");
  var url = panel.dataset.url;
  var latest = 0;
  function refresh(area) {
    var target = url + (area ? "?area=" + encodeURIComponent(area) : "");
    var request = ++latest;
    panel.setAttribute("aria-busy", "true");
    fetch(target, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      // A redirect is the login page of an ended session, not a panel: keep the one shown.
      .then(function (response) {
        return response.ok && !response.redirected ? response.text() : null;
      })
      .catch(function () { return null; })
      .then(function (html) {
        // An answer overtaken by a later change (arrow keys go fast) is not shown.
        if (request !== latest) { return; }
        if (html !== null) {
          panel.innerHTML = html;
          var verdict = panel.querySelector("[data-summary]");
          if (summary && verdict) {
            summary.textContent = verdict.textContent.replace(/\s+/g, " ").trim();
          }
        }
        panel.removeAttribute("aria-busy");
      });
  }
  var area = document.getElementById("id_area");
  if (area) {
    area.addEventListener("change", function () {
      refresh(area.value);
    });
  }
  document.addEventListener("ptp:network-changed", function () { refresh(""); });
})();
