// Shows a question only while its show-if holds, the same rule the server
// applies; hidden questions' inputs are disabled so they are not sent.
// Without this script every question is shown and the server refuses an
// answer to one that should be hidden, naming it.
(function () {
  "use strict";
  var form = document.querySelector("form");
  if (!form) return;
  var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-q]"));
  function answers(id) {
    var out = [];
    var box = document.getElementById("q-" + id);
    if (!box || box.classList.contains("hidden")) return out;
    box.querySelectorAll("input, textarea").forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.value.trim() !== "") out.push(String(Number(el.value)) === el.value.trim() ? String(Number(el.value)) : el.value.trim());
    });
    return out;
  }
  function update() {
    questions.forEach(function (q) {
      var dep = q.getAttribute("data-show-q");
      if (!dep) return;
      var want = q.getAttribute("data-show-values").split(" ");
      var shown = answers(dep).some(function (v) { return want.indexOf(v) >= 0; });
      q.classList.toggle("hidden", !shown);
      q.querySelectorAll("input, textarea, select").forEach(function (el) { el.disabled = !shown; });
    });
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
