// Live eligibility panel: when the area changes, or after any in-page change, fetch the
// panel fragment again. Without JavaScript the panel is rendered with the page and
// updated on every save, so nothing depends on this script.
(function () {
  "use strict";
  var panel = document.getElementById("eligibility-panel");
  if (!panel) { return; }
  var url = panel.dataset.url;
  function refresh(area) {
    var target = url + (area ? "?area=" + encodeURIComponent(area) : "");
    fetch(target, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      // A redirect is the login page of an ended session, not a panel: keep the one shown.
      .then(function (response) {
        return response.ok && !response.redirected ? response.text() : null;
      })
      .then(function (html) { if (html !== null) { panel.innerHTML = html; } });
  }
  var area = document.getElementById("id_area");
  if (area) {
    area.addEventListener("change", function () {
      refresh(area.value);
    });
  }
  document.addEventListener("ptp:network-changed", function () { refresh(""); });
})();
