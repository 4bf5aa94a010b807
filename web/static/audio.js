// Lan Tỏa script audio (item page): records from the microphone, uploads a
// recording or a file (the API normalises it), plays it back, asks for text
// to speech and waits, and sets the recording's length against the reading
// time as the text is typed. Without it the page shows the player.
"use strict";
(function () {
  var P = document.querySelector("section[data-au-api]");
  if (!P) {
    return;
  }
  var api = P.getAttribute("data-au-api"), tts = P.getAttribute("data-au-tts");
  var form = document.querySelector("form[data-kind]");
  function el(n) { return P.querySelector('[data-au="' + n + '"]'); }
  function t(n) { return P.getAttribute("data-t-" + n) || ""; }
  function num(x, n) { return Number(x.getAttribute("data-" + n)) || 0; }
  var player = el("player"), tools = el("tools");
  var F = form || P, est = num(P, "est"), rec = num(player, "seconds"), wpm = num(F, "wpm") || 130;
  function say(s) { el("status").textContent = s; }
  function spoken(sec) {
    return F.getAttribute(sec < 60 ? "data-sec" : "data-min-sec").replace("{m}", Math.floor(sec / 60)).replace("{s}", sec % 60);
  }
  // More than half of the reading time apart (item_audio.go lengthsDiffer).
  function compare() {
    el("warn").hidden = !(rec && est > 0 && Math.abs(rec - est) > est / 2);
  }
  function show(a) {
    rec = a ? a.duration_seconds : 0;
    player.hidden = el("has").hidden = el("remove").hidden = !a;
    el("none").hidden = !!a;
    // Same origin as the page, its commune kept (as the API's address).
    if (a) {
      player.src = a.url.replace(/^[a-z]+:\/\/[^/]+/i, "") + (api.split("?")[1] ? "?" + api.split("?")[1] : "");
    } else {
      player.removeAttribute("src");
    }
    el("length").textContent = a ? spoken(Math.round(rec)) : "";
    ["stale", "source"].forEach(function (n) { if (el(n)) { el(n).hidden = true; } });
    compare();
  }
  // The form on the page takes up the item's new version.
  function took(a) {
    if (form && a.item_version) {
      form.elements.version.value = a.item_version;
    }
    return a;
  }
  function send(method, url, body, headers) {
    return fetch(url, { method: method, body: body, headers: headers || {}, credentials: "same-origin" }).then(function (r) {
      if (r.ok) {
        return r.status === 204 ? {} : r.json();
      }
      return r.json().then(function (b) { throw new Error(b.error.message); }, function () { throw new Error(r.status); });
    });
  }
  function busy(on) {
    tools.querySelectorAll("button, input").forEach(function (b) { b.disabled = on; });
  }
  function failed(e) { say(t("failed") + " " + e.message); }
  function upload(blob, name, source) {
    var body = new FormData();
    if (source) {
      body.append("source", source);
    }
    body.append("file", blob, name);
    busy(true);
    say(t("sending"));
    return send("POST", api, body).then(took).then(function (a) {
      show(a);
      say(t("saved") + (P.hasAttribute("data-was-approved") ? " " + t("back") : ""));
    }, failed).then(function () { busy(false); });
  }

  var recorder, chunks, started, ticker;
  function record() {
    if (!navigator.mediaDevices || !window.MediaRecorder) {
      return say(t("mic"));
    }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      // The first format the browser records that the server takes.
      var type = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4"].filter(function (m) {
        return MediaRecorder.isTypeSupported(m);
      })[0];
      recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
      chunks = [];
      recorder.ondataavailable = function (e) { chunks.push(e.data); };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (tr) { tr.stop(); });
        clearInterval(ticker);
        el("stop").hidden = !(el("record").hidden = false);
        var mt = recorder.mimeType || "audio/webm";
        upload(new Blob(chunks, { type: mt }), "recording." + (/mp4/.test(mt) ? "m4a" : /ogg/.test(mt) ? "ogg" : "webm"), "recording");
      };
      recorder.start(1000);
      started = Date.now();
      el("record").hidden = !(el("stop").hidden = false);
      say("");
      ticker = setInterval(function () {
        var s = Math.round((Date.now() - started) / 1000);
        el("clock").textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
        if (s >= 1200) { // the server takes 20 minutes at most
          stop();
        }
      }, 500);
    }, function () { say(t("mic")); });
  }
  function stop() {
    if (recorder && recorder.state !== "inactive") {
      recorder.stop();
    }
  }
  // Text to speech: asked for, then asked after every few seconds.
  function poll() {
    send("GET", api).then(function (st) {
      var j = st.tts;
      if (j && j.state !== "done" && j.state !== "failed") {
        return setTimeout(poll, 3000);
      }
      took(st);
      if (j && j.state === "failed") {
        say(t("synth-failed") + " " + (j.error || ""));
      } else {
        show(st.audio);
        say(t("saved"));
      }
      busy(false);
    }, function () { setTimeout(poll, 10000); });
  }
  function synth() {
    busy(true);
    say(t("synth-wait"));
    send("POST", tts, "{}", { "Content-Type": "application/json" }).then(function () { setTimeout(poll, 2000); },
      function (e) { say(t("synth-failed") + " " + e.message); busy(false); });
  }
  function remove() {
    if (window.confirm(t("confirm-remove"))) {
      busy(true);
      send("DELETE", api).then(function () { return send("GET", api); }).then(took).then(function () {
        show(null);
        say(t("removed"));
      }, failed).then(function () { busy(false); });
    }
  }
  if (tools) {
    tools.hidden = false;
    el("record").onclick = record;
    el("stop").onclick = stop;
    el("remove").onclick = remove;
    if (el("synth")) {
      el("synth").onclick = synth;
    }
    el("file").onchange = function (e) {
      var f = e.target.files[0];
      if (f) {
        upload(f, f.name, "").then(function () { e.target.value = ""; });
      }
    };
    if (P.hasAttribute("data-pending")) { // a synthesis asked for earlier still runs
      busy(true);
      poll();
    }
  }
  // The reading time follows the text as typed, and the warning with it.
  if (form) {
    form.elements.body.addEventListener("input", function (e) {
      var s = e.target.value.trim();
      est = Math.round((s ? s.split(/\s+/).length : 0) * 60 / wpm);
      el("estimate").textContent = spoken(est);
      compare();
    });
  }
})();
