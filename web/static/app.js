// Lan Tỏa: a few progressive touches. Every page works without this file.
"use strict";
document.addEventListener("change", function (e) {
  var el = e.target;
  if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
    el.form.submit();
  }
});
document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest("button[data-copy]");
  var input = b && document.getElementById(b.getAttribute("data-copy"));
  if (!input) {
    return;
  }
  input.select();
  var done = function () { b.textContent = b.getAttribute("data-done"); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, function () {});
  } else if (document.execCommand("copy")) {
    done();
  }
});
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) {
    e.preventDefault();
  }
});
