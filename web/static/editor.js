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

  // Photos: each one is uploaded as soon as it is chosen (the form then
  // carries only its id), and a leaflet's preview is drawn by the server
  // from the photo and the text as typed. Without this, the files go with
  // the form.
  var preview = attr("preview");
  var timer = 0;
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
    }).then(function () { el.disabled = false; });
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
