// Lan Tỏa script audio: records the script from the phone's microphone
// (MediaRecorder), uploads a recording or a file to the API, which
// normalises it for the loudspeakers, plays back what the loudspeakers will
// play, asks for text to speech and waits for it, and compares the
// recording's length with the reading-time estimate as the text is typed.
// Loaded by the item page only; without it the page shows the player.
"use strict";
(function () {
  var panel = document.querySelector("section[data-au-api]");
  if (!panel) {
    return;
  }
  var api = panel.getAttribute("data-au-api");
  var ttsURL = panel.getAttribute("data-au-tts");
  var form = document.querySelector("form[data-kind]");
  function el(name) { return panel.querySelector('[data-au="' + name + '"]'); }
  function t(name) { return panel.getAttribute("data-t-" + name) || ""; }
  var player = el("player"), status = el("status"), tools = el("tools");
  var est = Number(panel.getAttribute("data-est")) || 0;
  var rec = Number(player.getAttribute("data-seconds")) || 0; // the sound's length, 0: none
  var wpm = Number(panel.getAttribute("data-wpm")) || 130;

  function clock(sec) {
    sec = Math.round(sec);
    var s = sec % 60;
    return Math.floor(sec / 60) + ":" + (s < 10 ? "0" : "") + s;
  }
  function spoken(sec) {
    var tpl = panel.getAttribute(sec < 60 ? "data-sec" : "data-min-sec");
    return tpl.replace("{m}", Math.floor(sec / 60)).replace("{s}", sec % 60);
  }
  function say(text) { status.textContent = text; }
  // The warning: the recording and the reading time differ by more than
  // half of the reading time (web/item_audio.go lengthsDiffer).
  function compare() {
    var warn = el("warn");
    if (warn) {
      warn.hidden = !(rec && est > 0 && Math.abs(rec - est) > est / 2);
    }
  }
  function show(sound) {
    rec = sound ? sound.duration_seconds : 0;
    player.hidden = !sound;
    if (sound) {
      player.src = sound.url.replace(/^[a-z]+:\/\/[^/]+/i, "");
    } else {
      player.removeAttribute("src");
    }
    el("has").hidden = !sound;
    el("none").hidden = !!sound;
    el("length").textContent = sound ? spoken(Math.round(sound.duration_seconds)) : "";
    el("remove").hidden = !sound;
    ["stale", "source"].forEach(function (n) {
      var x = el(n);
      if (x) {
        x.hidden = true;
      }
    });
    compare();
  }
  // The item's version moves with its sound: the form open on the page
  // takes it up, so that saving the text does not look like a stale edit.
  function took(answer) {
    if (form && form.elements.version && answer.item_version) {
      form.elements.version.value = answer.item_version;
    }
    return answer;
  }
  function problem(r) {
    return r.json().then(function (b) {
      throw new Error((b && b.error && b.error.message) || String(r.status));
    }, function () { throw new Error(String(r.status)); });
  }
  function send(method, url, body, headers) {
    return fetch(url, { method: method, body: body, headers: headers || {}, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) {
        return problem(r);
      }
      return r.status === 204 ? {} : r.json();
    });
  }
  function busy(on) {
    Array.prototype.forEach.call(tools.querySelectorAll("button, input"), function (b) { b.disabled = on; });
  }
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
      say(t("saved") + (a.item_status === "draft" && panel.hasAttribute("data-was-approved") ? " " + t("back") : ""));
    }, function (err) {
      say(t("failed") + " " + err.message);
    }).then(function () { busy(false); });
  }

  // Recording: the first format the browser records that the server takes.
  var recorder = null, chunks = [], started = 0, ticker = 0;
  function mimeType() {
    var types = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"];
    for (var i = 0; i < types.length; i++) {
      if (window.MediaRecorder && MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(types[i])) {
        return types[i];
      }
    }
    return "";
  }
  function record() {
    if (!navigator.mediaDevices || !window.MediaRecorder) {
      say(t("mic"));
      return;
    }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      var type = mimeType();
      recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
      chunks = [];
      recorder.ondataavailable = function (e) {
        if (e.data && e.data.size) {
          chunks.push(e.data);
        }
      };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (tr) { tr.stop(); });
        clearInterval(ticker);
        el("stop").hidden = true;
        el("record").hidden = false;
        var mt = recorder.mimeType || type || "audio/webm";
        var ext = mt.indexOf("mp4") >= 0 ? "m4a" : mt.indexOf("ogg") >= 0 ? "ogg" : "webm";
        upload(new Blob(chunks, { type: mt }), "recording." + ext, "recording");
      };
      recorder.start(1000);
      started = Date.now();
      el("record").hidden = true;
      el("stop").hidden = false;
      el("clock").textContent = "0:00";
      say("");
      ticker = setInterval(function () {
        var sec = (Date.now() - started) / 1000;
        el("clock").textContent = clock(sec);
        if (sec >= 20 * 60) { // the server takes 20 minutes at most
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

  // Text to speech: asked for, then the page asks every few seconds
  // whether the sound has come.
  function poll() {
    send("GET", api).then(function (st) {
      var job = st.tts;
      if (job && job.state !== "done" && job.state !== "failed") {
        setTimeout(poll, 3000);
        return;
      }
      took(st);
      if (job && job.state === "failed") {
        say(t("synth-failed") + " " + (job.error || ""));
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
    send("POST", ttsURL, "{}", { "Content-Type": "application/json" }).then(function () {
      setTimeout(poll, 2000);
    }, function (err) {
      say(t("synth-failed") + " " + err.message);
      busy(false);
    });
  }
  function remove() {
    if (!window.confirm(t("confirm-remove"))) {
      return;
    }
    busy(true);
    send("DELETE", api).then(function () {
      return send("GET", api).then(took);
    }).then(function () {
      show(null);
      say(t("removed"));
    }, function (err) {
      say(t("failed") + " " + err.message);
    }).then(function () { busy(false); });
  }

  if (tools) {
    tools.hidden = false;
    el("record").addEventListener("click", record);
    el("stop").addEventListener("click", stop);
    el("remove").addEventListener("click", remove);
    if (el("synth")) {
      el("synth").addEventListener("click", synth);
    }
    el("file").addEventListener("change", function (e) {
      var f = e.target.files && e.target.files[0];
      if (f) {
        upload(f, f.name, "").then(function () { e.target.value = ""; });
      }
    });
    if (panel.hasAttribute("data-pending")) {
      busy(true);
      poll(); // a synthesis asked for earlier is still running
    }
  }
  // The reading time follows the text as typed, and the warning with it.
  if (form && form.elements.body) {
    form.elements.body.addEventListener("input", function (e) {
      var text = e.target.value.trim();
      var words = text ? text.split(/\s+/).length : 0;
      est = Math.round(words * 60 / wpm);
      el("estimate").textContent = spoken(est);
      compare();
    });
  }
})();
