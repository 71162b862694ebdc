// Intake desk: the searchable enterprise picker, the live duplicate check, Ctrl+Enter to submit.
(function () {
  "use strict";
  var form = document.querySelector("form.cw-intake");
  if (!form) { return; }
  var t = JSON.parse(document.getElementById("intake-i18n").textContent);
  var input = document.getElementById("id_enterprise");
  var list = document.getElementById("enterprise-options");
  var picked = document.getElementById("enterprise-picked");
  var panel = document.getElementById("dup-panel");
  var dupList = document.getElementById("dup-list");

  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  // Enterprise: options read "名称（代码）"; the server takes the code in the brackets.
  if (input && list) {
    input.setAttribute("list", "enterprise-options");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.addEventListener("input", debounce(function () {
      var q = input.value.replace(/[（(][^()（）]*[）)]\s*$/, "").trim();
      fetch(form.dataset.enterpriseUrl + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          list.innerHTML = "";
          data.results.forEach(function (e) {
            list.appendChild(el("option", {value: e.name + "（" + e.code + "）"}));
          });
          var exact = data.results.filter(function (e) {
            return input.value === e.name + "（" + e.code + "）" || input.value === e.code;
          });
          picked.textContent = exact.length ? t.picked + exact[0].name : (data.results.length ? "" : t.none);
          checkDuplicates();
        });
    }, 200));
  }

  // Possible duplicates, shown before saving.
  function value(name) {
    var field = form.elements[name];
    return field ? field.value : "";
  }
  function radio(val, id, label) {
    var wrap = el("div", {"class": "cw-choice"});
    wrap.appendChild(el("input", {type: "radio", name: "duplicate", value: val, id: id}));
    wrap.appendChild(el("label", {"for": id}, label));
    return wrap;
  }
  var checkDuplicates = debounce(function () {
    var params = new URLSearchParams({
      id_number: value("id_number"), phone: value("phone"), name: value("name"),
      enterprise: value("enterprise"), text: value("summary") + value("request")
    });
    fetch(form.dataset.dupUrl + "?" + params.toString(), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var chosen = form.querySelector("input[name=duplicate]:checked");
        chosen = chosen ? chosen.value : "";
        dupList.innerHTML = "";
        if (!data.results.length) { panel.classList.add("cw-hidden"); return; }
        dupList.appendChild(radio("new", "dup-new", t["new"]));
        data.results.forEach(function (c, i) {
          var row = el("div", {"class": "cw-dup-row"});
          row.appendChild(el("a", {href: c.url, target: "_blank", rel: "noopener"}, c.number));
          row.appendChild(document.createTextNode(" " + [c.worker, c.phone || "—", c.enterprise, c.category, c.status, c.received].join(" · ")));
          row.appendChild(radio("repeat:" + c.number, "dup-r-" + i, t.repeat + "（" + c.number + "）"));
          if (c.open) { row.appendChild(radio("merge:" + c.number, "dup-m-" + i, t.merge + "（" + c.number + "）")); }
          dupList.appendChild(row);
        });
        var again = chosen && form.querySelector("input[name=duplicate][value='" + chosen + "']");
        if (again) { again.checked = true; }
        panel.classList.remove("cw-hidden");
      });
  }, 300);
  ["id_number", "phone", "name", "summary", "request"].forEach(function (name) {
    var field = form.elements[name];
    if (field) { field.addEventListener("change", checkDuplicates); }
  });
  if (input) { input.addEventListener("change", checkDuplicates); }

  form.addEventListener("submit", function (event) {
    var radios = form.querySelectorAll("input[name=duplicate]");
    if (radios.length && !form.querySelector("input[name=duplicate]:checked")) {
      event.preventDefault();
      panel.classList.remove("cw-hidden");
      var note = document.getElementById("dup-choose") || el("p", {id: "dup-choose", "class": "cw-error", role: "alert"}, t.choose);
      panel.insertBefore(note, dupList);
      radios[0].focus();
    }
  });
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  var firstError = form.querySelector(".cw-field--error input, .cw-field--error select, .cw-field--error textarea");
  if (firstError) { firstError.focus(); } else if (!form.querySelector("#form-errors")) { form.elements.name.focus(); }
})();
