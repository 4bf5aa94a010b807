// Lan Tỏa item editor: keeps the preview in step with the form while typing,
// and shows the fields of the chosen kind and schedule. The server renders
// the same preview, so the page works without this file.
"use strict";
(function () {
  var form = document.querySelector("form[data-kind]");
  if (!form) {
    return;
  }
  var wpm = Number(form.getAttribute("data-wpm")) || 130;
  function show(name, value) {
    var el = form.querySelector('[data-pv="' + name + '"]');
    if (el) {
      el.textContent = value.trim() || el.getAttribute("data-empty") || "";
    }
  }
  function reading(body) {
    var text = body.trim();
    var words = text ? text.split(/\s+/).length : 0;
    var sec = Math.ceil(words * 60 / wpm);
    var tpl = form.getAttribute(sec < 60 ? "data-sec" : "data-min-sec");
    show("words", String(words));
    show("read", tpl.replace("{m}", String(Math.floor(sec / 60))).replace("{s}", String(sec % 60)));
  }
  form.addEventListener("input", function (e) {
    var name = e.target.name;
    if (name === "title" || name === "link" || name === "place") {
      show(name, e.target.value);
    } else if (name === "body") {
      show("body", e.target.value);
      reading(e.target.value);
    }
  });
  form.addEventListener("change", function (e) {
    var name = e.target.name;
    if ((name === "kind" || name === "mode") && e.target.checked) {
      form.setAttribute("data-" + name, e.target.value);
    }
  });
})();
