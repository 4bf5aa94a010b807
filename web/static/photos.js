// Lan Tỏa item editor, photos: each one is uploaded as soon as it is
// chosen (the form then carries only its id), and a leaflet's preview is
// drawn by the server from the photo and the text as typed. Loaded with
// editor.js on the pages whose item may carry photos (a new item, a post, a
// leaflet); without it the files go with the form.
"use strict";
(function () {
  var form = document.querySelector("form[data-kind]");
  if (!form) {
    return;
  }
  function attr(name) { return form.getAttribute("data-" + name) || ""; }
  var preview = attr("preview");
  var timer = 0;
  // A save pressed while a photo is still uploading waits for it (waiting:
  // its button): a disabled file input goes with neither its file nor the
  // photo's id.
  var pending = 0, waiting = null;
  function leafletPreview() {
    var img = form.querySelector('[data-pv="leaflet"]');
    var photo = form.elements.photo_id && form.elements.photo_id.value;
    if (!preview || !photo) {
      return;
    }
    if (!img) {
      img = document.createElement("img");
      img.className = "pv-leaflet k k-leaflet";
      img.setAttribute("data-pv", "leaflet");
      img.width = 540;
      img.height = 675;
      var art = form.querySelector(".pv");
      art.insertBefore(img, art.querySelector(".pv-title"));
      art.classList.add("has-image");
    }
    var f = form.elements, q = new URLSearchParams();
    q.set("photo", photo);
    q.set("title", f.title.value);
    q.set("body", f.body.value);
    q.set("hotline", f.hotline ? f.hotline.value : "");
    var t = form.querySelector("input[name=template]:checked");
    q.set("template", t ? t.value : "");
    img.src = preview + (preview.indexOf("?") < 0 ? "?" : "&") + q.toString();
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(leafletPreview, 600);
  }
  function upload(file) {
    var body = new FormData();
    body.append("file", file);
    return fetch("/api/v1/media", { method: "POST", body: body, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) {
        throw new Error(String(r.status));
      }
      return r.json();
    });
  }
  form.addEventListener("change", function (e) {
    var el = e.target;
    if (el.type !== "file" || !el.files || !el.files.length) {
      if (form.getAttribute("data-kind") === "leaflet" && (el.name === "template")) {
        leafletPreview();
      }
      return;
    }
    var files = Array.prototype.slice.call(el.files);
    el.disabled = true;
    pending++;
    status(attr("uploading"));
    Promise.all(files.map(upload)).then(function (ups) {
      ups.forEach(function (u) {
        if (el.name === "photo") {
          form.elements.photo_id.value = u.id;
          var note = form.querySelector("[data-photo-note]");
          if (!note) {
            note = document.createElement("p");
            note.className = "muted";
            note.setAttribute("data-photo-note", "");
            el.parentNode.insertBefore(note, form.elements.photo_id.nextSibling);
          }
          note.textContent = attr("photo-kept");
        } else {
          var box = form.querySelector(".photo-picks");
          if (!box) {
            box = document.createElement("div");
            box.className = "photo-picks";
            el.parentNode.insertBefore(box, el);
          }
          var lab = document.createElement("label"), cb = document.createElement("input"), im = document.createElement("img");
          lab.className = "photo-pick";
          cb.type = "checkbox";
          cb.name = "media_ids";
          cb.value = u.id;
          cb.checked = true;
          im.src = "/media/" + encodeURIComponent(u.id) + "/post";
          im.width = im.height = 96;
          im.alt = "";
          lab.appendChild(cb);
          lab.appendChild(im);
          box.appendChild(lab);
        }
      });
      el.value = "";
      leafletPreview();
      postPhotos();
    }).catch(function () {
      // The files stay chosen and go with the form; the server says what is wrong.
    }).then(function () {
      el.disabled = false;
      if (--pending === 0) {
        status("");
        if (waiting) { // saved while uploading: saved now, with the photo
          var b = waiting;
          waiting = null;
          form.requestSubmit(b);
        }
      }
    });
  });
  function status(text, lock) {
    var p = form.querySelector("[data-upload-status]");
    if (!p) {
      p = document.createElement("p");
      p.className = "note";
      p.setAttribute("data-upload-status", "");
      p.setAttribute("role", "status");
      form.querySelector(".actions").before(p);
    }
    p.textContent = text;
    p.hidden = !text;
    form.querySelectorAll(".actions button").forEach(function (b) { b.disabled = !!lock; });
  }
  form.addEventListener("submit", function (e) {
    if (pending) {
      e.preventDefault();
      waiting = e.submitter || form.querySelector(".actions button");
      status(attr("uploading-save"), true);
    }
  });
  // The preview shows the photos kept, as the post will carry them.
  function postPhotos() {
    var grid = form.querySelector('[data-pv="photos"]');
    if (!grid) {
      return;
    }
    var kept = form.querySelectorAll("input[name=media_ids]:checked");
    grid.textContent = "";
    grid.className = "pv-photos k k-post n" + kept.length;
    Array.prototype.forEach.call(kept, function (cb) {
      var im = document.createElement("img");
      im.src = cb.parentNode.querySelector("img").src;
      im.alt = "";
      grid.appendChild(im);
    });
  }
  form.addEventListener("change", function (e) {
    if (e.target.name === "media_ids") {
      postPhotos();
    }
  });
  form.addEventListener("input", function (e) {
    if (form.getAttribute("data-kind") === "leaflet" && /^(title|body|hotline)$/.test(e.target.name)) {
      later();
    }
  });
})();
