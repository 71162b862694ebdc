// The bell's dropdown: a click on the bell loads the latest unread notifications (an HTML
// fragment from /notifications/dropdown/) under it; "标为已读" and "全部标为已读" post in the
// background and reload it; "查看" marks its line read and opens the case (a normal post).
// Without this script the bell is a link to the notification list. Delegated from the
// document, so it works on pages Turbo swaps in.
(function () {
  "use strict";

  function bell() { return document.querySelector(".cw-bell[data-dropdown]"); }
  function panel() { return document.getElementById("cw-bell-panel"); }

  function setCount(root) {
    var b = bell();
    if (!b || !root) { return; }
    var n = parseInt(root.getAttribute("data-unread") || "0", 10);
    var badge = b.querySelector(".cw-bell__count");
    if (n > 0) {
      if (!badge) {
        badge = document.createElement("span");
        badge.className = "cw-bell__count";
        b.appendChild(badge);
      }
      badge.textContent = String(n);
    } else if (badge) {
      badge.remove();
    }
    b.setAttribute("aria-label", root.getAttribute("data-bell-label") || b.getAttribute("aria-label"));
  }

  function load() {
    var b = bell(), p = panel();
    if (!b || !p) { return Promise.resolve(); }
    return fetch(b.getAttribute("data-dropdown"), {credentials: "same-origin", headers: {Accept: "text/html"}})
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        if (!html) { return; }
        // The fragment is our own template's output (escaped by Django).
        p.innerHTML = html;
        setCount(p.querySelector(".cw-bell-list"));
      });
  }

  function open() {
    var b = bell(), p = panel();
    p.hidden = false;
    b.setAttribute("aria-expanded", "true");
    return load();
  }

  function close() {
    var b = bell(), p = panel();
    if (!p || p.hidden) { return; }
    p.hidden = true;
    if (b) { b.setAttribute("aria-expanded", "false"); }
  }

  document.addEventListener("click", function (event) {
    var b = event.target.closest && event.target.closest(".cw-bell[data-dropdown]");
    if (b) {
      event.preventDefault();
      if (panel().hidden) { open(); } else { close(); }
      return;
    }
    var p = panel();
    if (p && !p.hidden && !p.contains(event.target)) { close(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { close(); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var p = panel();
    if (!p || !p.contains(form) || !form.hasAttribute("data-read")) { return; }
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-open")) { return; }  // 查看: a normal post, then the case
    event.preventDefault();
    var data = new FormData(form);
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: {Accept: "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") || ""}
    }).then(function () { return load(); });
  });
})();
