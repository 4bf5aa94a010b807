// Lan Tỏa: posting by hand. On a phone that can share files, one tap hands
// the post's text and images to the Facebook or Zalo app (Web Share API).
// Without it the page still has "copy" and "download".
"use strict";
(function () {
  // One tap copies the text (app.js) and downloads the images with it.
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-fetch-images]");
    if (b) {
      Array.prototype.forEach.call(b.closest("section").querySelectorAll("a[data-img]"), function (a) { a.click(); });
    }
  });
  // "Dán": the link copied in the Facebook or Zalo app, pasted in one tap.
  if (navigator.clipboard && navigator.clipboard.readText && window.isSecureContext) {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-paste]"), function (b) {
      var input = document.getElementById(b.getAttribute("data-paste"));
      b.hidden = false;
      b.addEventListener("click", function () {
        navigator.clipboard.readText().then(function (t) { input.value = t.trim(); input.focus(); }, function () {});
      });
    });
  }
  if (!navigator.share || !navigator.canShare) {
    return;
  }
  Array.prototype.forEach.call(document.querySelectorAll("button[data-share]"), function (b) {
    var card = b.closest("section");
    var text = card.querySelector("textarea.copy-text");
    b.hidden = false;
    b.addEventListener("click", function () {
      var links = Array.prototype.map.call(card.querySelectorAll("a[data-img]"), function (a) { return a; });
      Promise.all(links.map(function (a) {
        return fetch(a.href, { credentials: "same-origin" }).then(function (r) { return r.blob(); }).then(function (blob) {
          return new File([blob], a.getAttribute("download"), { type: blob.type || "image/jpeg" });
        });
      })).then(function (files) {
        var data = { title: b.getAttribute("data-title"), text: text.value };
        if (files.length && navigator.canShare({ files: files })) {
          data.files = files;
        }
        return navigator.share(data);
      }).catch(function (err) {
        if (err && err.name !== "AbortError") {
          b.textContent = b.getAttribute("data-failed");
        }
      });
    });
  });
})();
