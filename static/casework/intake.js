// Searchable enterprise picker: fills the <datalist> from the JSON endpoint as the officer types.
(function () {
  var script = document.currentScript;
  var url = script.getAttribute("data-url");
  var input = document.getElementById("id_enterprise");
  var list = document.getElementById("enterprise-options");
  if (!input || !list) { return; }
  input.setAttribute("list", "enterprise-options");
  input.setAttribute("autocomplete", "off");
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(url + "?q=" + encodeURIComponent(input.value), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          list.innerHTML = "";
          data.results.forEach(function (e) {
            var option = document.createElement("option");
            option.value = e.code;
            option.textContent = e.name;
            list.appendChild(option);
          });
        });
    }, 200);
  });
})();
