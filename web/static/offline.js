// Lan Tỏa — an operator's pages without signal (docs/architecture.md,
// "Operators offline"). Loaded on operators' pages only: it registers the
// service worker (/sw.js) and clears what the phone keeps on signing out. On
// a rundown page it says when a copy kept on the phone is shown and whether
// the server has a newer one, shows the taps waiting to be sent ("chờ gửi"),
// opens the forms of a page kept since yesterday when their time comes, and
// has the worker send the taps when the signal returns.
"use strict";
(() => {
  const me = document.currentScript, u = me && me.dataset.u, sw = navigator.serviceWorker;
  if (!u || !sw || !window.caches) return;
  const Q = "lantoa-q-" + u;
  sw.register("/sw.js");
  const queues = async () => (await caches.keys()).filter((k) => k.startsWith("lantoa-q-"));

  // Signing out deletes what this phone keeps (the server's Clear-Site-Data
  // does too, when it is reached): taps not yet sent would go with it, so ask.
  addEventListener("submit", async (e) => {
    const f = e.target;
    if (e.defaultPrevented || f.getAttribute("action") !== "/logout") return;
    e.preventDefault();
    let n = 0;
    for (const k of await queues()) n += (await (await caches.open(k)).keys()).length;
    if (n && !confirm(me.dataset.out.replace("%d", n))) return;
    // The worker first: a job of its own (today's and tomorrow's pages being
    // kept) would write them back after this page deleted them.
    if (sw.controller) await new Promise((ok) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = ok;
      sw.controller.postMessage({ op: "forget" }, [ch.port2]);
      setTimeout(ok, 3000);
    });
    for (const k of await caches.keys()) await caches.delete(k);
    for (const r of await sw.getRegistrations()) await r.unregister();
    f.submit();
  });

  const box = document.getElementById("rd-off");
  if (!box) return;
  const json = (id) => JSON.parse(document.getElementById(id).textContent);
  const T = json("rd-texts"), W = json("rd-windows"), D = box.dataset, html = document.documentElement;
  const cached = html.dataset.cached, skew = cached ? +html.dataset.skew : D.now - Date.now();
  const now = () => Date.now() + skew;
  const fmt = (ms, o, l) => new Intl.DateTimeFormat(l || "en-GB", Object.assign({ timeZone: D.tz }, o)).format(ms);
  const hhmm = (ms) => fmt(ms, { hour: "2-digit", minute: "2-digit" });
  const when = (ms) => hhmm(ms) + " " + fmt(ms, { day: "2-digit", month: "2-digit" });
  const today = () => fmt(now(), {}, "en-CA");
  const el = (tag, cls, text) => Object.assign(document.createElement(tag), { className: cls || "", textContent: text || "" });
  const bar = el("div");
  bar.id = "rd-net";
  document.querySelector("main").prepend(bar);
  let list = [], newer = false, sent = 0;

  async function load() {
    list = [];
    if (!(await caches.has(Q))) return;
    const c = await caches.open(Q);
    for (const k of await c.keys()) list.push(Object.assign(await (await c.match(k)).json(), { key: k }));
  }

  // render: the banner, and each script's tap waiting to be sent.
  function render() {
    bar.textContent = "";
    const line = (cls, text) => bar.appendChild(el("p", cls, text));
    if (cached) line("note", (navigator.onLine ? T.copy : T.offline).replace("%s", D.built));
    if (newer) line("note", T.newer + " ").appendChild(el("button", "", T.reload)).onclick = () => location.reload();
    const waiting = list.filter((q) => !q.err).length;
    if (waiting) line("note", T.queued_n.replace("%d", waiting));
    if (list.some((q) => q.err === "session")) {
      line("alert", T.session + " ").appendChild(el("a", "", T.sign_in)).href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
    }
    if (sent) line("ok", T.sent_n.replace("%d", sent));
    for (const q of list) {
      const a = q.fields.date === D.date && document.getElementById("d-" + q.fields.delivery);
      if (!a) continue;
      a.classList.add("st-queued");
      const refused = q.err && q.err !== "session";
      a.querySelector(".rd-state").textContent = refused ? T.refused.replace("%s", q.err)
        : T.queued + " · " + T.tapped.replace("%s", hhmm(Date.parse(q.fields.aired_at)));
      if (refused && !a.querySelector(".rd-drop")) {
        a.appendChild(el("button", "rd-drop", T.drop)).onclick = async () => {
          await (await caches.open(Q)).delete(q.key);
          location.reload();
        };
      }
    }
  }

  // done: taps the worker sent are shown as the server now has them.
  function done(qs) {
    for (const q of qs) {
      const a = q.fields.date === D.date && document.getElementById("d-" + q.fields.delivery);
      if (!a) continue;
      const aired = q.fields.status !== "skipped";
      a.className = "script st-" + (aired ? "aired" : "skipped");
      a.querySelector(".rd-state").textContent = aired ? T.aired + " " + T.at + " " + when(Date.parse(q.fields.aired_at))
        : T.skipped + ": " + q.fields.reason;
    }
    sent += qs.length;
  }

  // tick: a script's forms show while its reporting window is open, also on
  // a page kept since before it opened.
  function tick() {
    const t = now(), tpl = document.getElementById("rd-forms"), future = document.getElementById("rd-future");
    if (future) future.hidden = today() >= D.date;
    for (const a of document.querySelectorAll("article.script")) {
      const id = a.id.slice(2), w = W[id];
      if (!w) continue;
      const open = t >= w[0] && t < w[1], shut = /st-(aired|queued)/.test(a.className);
      if (open && !shut && tpl && !a.querySelector("form")) {
        const f = tpl.content.cloneNode(true), r = f.querySelector("[name=reason]");
        f.querySelectorAll("[name=delivery]").forEach((i) => { i.value = id; });
        r.id = "r-" + id;
        f.querySelector("label").htmlFor = r.id;
        if (a.classList.contains("st-skipped")) f.querySelector("details").remove();
        a.appendChild(f);
      }
      a.querySelectorAll("form.rd-aired, details.rd-skip").forEach((f) => { f.hidden = !open || shut; });
      let o = a.querySelector(".rd-opens");
      if (!o && t < w[0] && today() === D.date) {
        o = el("p", "muted rd-opens", T.opens.replace("%s", hhmm(w[0])));
        a.querySelector(".rd-state").after(o);
      }
      if (o) o.hidden = t >= w[0];
    }
  }

  // check: does the server have a newer rundown than this page's?
  async function check() {
    try {
      const r = await fetch(D.api), tag = (r.headers.get("ETag") || "").replace('-gz"', '"');
      newer = newer || (r.ok && tag !== "" && tag !== D.version);
      render();
    } catch (err) { /* still no signal */ }
  }
  const post = async (m) => { const r = await sw.ready; if (r.active) r.active.postMessage(m); };
  const send = () => post({ op: "send", csrf: cached ? "" : (document.querySelector("input[name=csrf]") || {}).value });

  // On a copy, the days not kept say so rather than lead to no page at all.
  async function days() {
    for (const a of document.querySelectorAll(".rd-days a")) {
      const d = new URL(a.href).searchParams.get("date") || today();
      const kept = await caches.match(D.station + "?date=" + d, { cacheName: "lantoa-rd-" + u });
      a.classList.toggle("rd-gone", !kept);
      a.onclick = (e) => {
        if (!kept && !navigator.onLine) { e.preventDefault(); alert(T.not_kept); }
      };
    }
  }

  // The tap's time, by the server's clock, goes with every report.
  addEventListener("submit", (e) => {
    const f = e.target;
    if (!f.delivery) return;
    if (!f.aired_at) f.appendChild(Object.assign(document.createElement("input"), { type: "hidden", name: "aired_at" }));
    f.aired_at.value = new Date(now()).toISOString();
  }, true);
  addEventListener("online", async () => { await check(); send(); });
  addEventListener("offline", render);
  sw.addEventListener("message", async (e) => {
    if (e.data.op !== "sent") return;
    done(e.data.sent);
    await load();
    render();
    tick();
  });
  document.addEventListener("play", (e) => {
    const src = e.target.currentSrc || "";
    if (src.includes("/media/audio/")) post({ op: "audio", url: src });
  }, true);
  (async () => {
    if (cached) document.querySelectorAll("main > .ok").forEach((p) => p.remove()); // notices of a past visit
    await load();
    render();
    tick();
    setInterval(tick, 30000);
    if (list.length && navigator.onLine) send();
    if (cached) {
      days();
      if (navigator.onLine) check();
    } else {
      const assets = [...document.querySelectorAll("link[href^='/static/'], script[src^='/static/']")].map((e) => e.getAttribute("href") || e.getAttribute("src"));
      post({ op: "keep", path: D.station, assets: assets });
    }
  })();
})();
