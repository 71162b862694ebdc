// Fills the enterprise list as the worker types (the form works without it: the server
// matches the name typed). No third-party code.
(function () {
  var input = document.getElementById("id_enterprise");
  var list = document.getElementById("enterprises");
  if (!input || !list || !window.fetch) return;
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(function () {
      fetch(list.getAttribute("data-url") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          list.textContent = "";
          data.results.forEach(function (name) {
            var option = document.createElement("option");
            option.value = name;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 250);
  });
})();
