// Searchable pickers: an input with data-picker="<url>" offers up to 20 matches from that
// JSON endpoint ({results: [{value, label}]}) in a datalist as one types. Delegated from the
// document, so it works on pages Turbo swaps in.
(function () {
  "use strict";
  var timers = new WeakMap();

  function listFor(input) {
    var id = input.getAttribute("list");
    var list = id && document.getElementById(id);
    if (!list) {
      id = "cw-pick-" + (input.name || "field") + "-" + Math.random().toString(36).slice(2, 8);
      list = document.createElement("datalist");
      list.id = id;
      input.insertAdjacentElement("afterend", list);
      input.setAttribute("list", id);
    }
    return list;
  }

  function search(input) {
    var url = input.dataset.picker;
    var sep = url.indexOf("?") < 0 ? "?" : "&";
    fetch(url + sep + "q=" + encodeURIComponent(input.value.trim()), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {results: []}; })
      .then(function (data) {
        var list = listFor(input);
        list.textContent = "";
        data.results.forEach(function (row) {
          var option = document.createElement("option");
          option.value = row.value;
          option.label = row.label || "";
          list.appendChild(option);
        });
      });
  }

  function schedule(event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-picker]")) { return; }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { search(input); }, 200));
  }

  document.addEventListener("input", schedule);
  document.addEventListener("focusin", schedule);
})();
