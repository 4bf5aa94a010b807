// Lan Tỏa item editor: keeps the preview in step with the form while typing,
// shows the fields of the chosen kind and schedule, and clears a field's
// error once it is edited. The server renders the same preview, so the page
// works without this file.
"use strict";
(function () {
  var form = document.querySelector("form[data-kind]");
  if (!form) {
    return;
  }
  var wpm = Number(form.getAttribute("data-wpm")) || 130;
  function attr(name) { return form.getAttribute("data-" + name) || ""; }
  function show(name, value) {
    var el = form.querySelector('[data-pv="' + name + '"]');
    if (el) {
      el.textContent = value.trim() || el.getAttribute("data-empty") || "";
    }
  }
  function fill(tpl, values) {
    return tpl.replace(/\{(\w+)\}/g, function (m, k) { return values[k] === undefined ? m : values[k]; });
  }
  function values(sel) {
    return Array.prototype.map.call(form.querySelectorAll(sel), function (el) { return el.value; }).filter(Boolean);
  }
  function dmy(d) {
    var p = d.split("-");
    return p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : "";
  }
  function reading(body) {
    var text = body.trim();
    var words = text ? text.split(/\s+/).length : 0;
    var sec = Math.ceil(words * 60 / wpm);
    show("words", String(words));
    show("read", fill(attr(sec < 60 ? "sec" : "min-sec"), { m: Math.floor(sec / 60), s: sec % 60 }));
  }
  function schedule() {
    var f = form.elements, once = "", repeat = "";
    if (f.at_date.value && f.at_time.value) {
      var day = (new Date(f.at_date.value + "T00:00:00Z").getUTCDay() + 6) % 7;
      once = fill(attr("at-tpl"), { wd: attr("wd").split("|")[day], date: dmy(f.at_date.value), time: f.at_time.value });
    }
    var times = values("input[name=times]").sort().filter(function (t, i, all) { return all.indexOf(t) === i; });
    var days = values("input[name=weekdays]:checked").map(function (n) { return attr("ws").split("|")[n - 1]; });
    if (times.length && f.from.value && f.to.value) {
      repeat = fill(attr(days.length && days.length < 7 ? "weekly" : "daily"),
        { times: times.join(", "), days: days.join(", "), from: dmy(f.from.value), to: dmy(f.to.value) });
    }
    Array.prototype.forEach.call(form.querySelectorAll(".pv .m-once"), function (el) { el.textContent = once; });
    Array.prototype.forEach.call(form.querySelectorAll(".pv .m-repeat"), function (el) { el.textContent = repeat; });
  }
  function edited(e) {
    var el = e.target;
    if (el.getAttribute("aria-invalid") === "true") {
      el.removeAttribute("aria-invalid");
      var next = el.nextElementSibling;
      if (next && next.classList.contains("field-error")) {
        next.hidden = true;
      }
    }
  }
  form.addEventListener("input", function (e) {
    var name = e.target.name;
    edited(e);
    if (name === "title" || name === "link" || name === "place") {
      show(name, e.target.value);
    } else if (name === "body") {
      show("body", e.target.value);
      reading(e.target.value);
    } else if (/^(at_date|at_time|times|from|to)$/.test(name)) {
      schedule();
    }
  });
  form.addEventListener("change", function (e) {
    var name = e.target.name;
    if ((name === "kind" || name === "mode") && e.target.checked) {
      form.setAttribute("data-" + name, e.target.value);
    }
    if (/^(at_date|at_time|times|from|to|weekdays)$/.test(name)) {
      schedule();
    }
  });
})();
