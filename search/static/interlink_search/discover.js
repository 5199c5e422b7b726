// Suggestions as you type: fills the search box's <datalist> from the suggestion
// endpoint. Progressive enhancement only: without it the form works the same.
(function () {
  "use strict";
  var input = document.getElementById("discover-q");
  var list = document.getElementById("discover-suggestions");
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var lastPrefix = "";
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var prefix = input.value.trim();
      if (prefix.length < 2 || prefix === lastPrefix) { return; }
      lastPrefix = prefix;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(prefix), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          list.textContent = "";
          data.suggestions.forEach(function (title) {
            var option = document.createElement("option");
            option.value = title;
            list.appendChild(option);
          });
        })
        .catch(function () { /* suggestions are optional */ });
    }, 200);
  });
}());
