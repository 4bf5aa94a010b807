// Lan Tỏa — the operators' service worker (web/offline.go; docs/architecture.md,
// "Operators offline").
"use strict";
const RD = "lantoa-rd-", Q = "lantoa-q-", ST = "lantoa-static", META = "lantoa-meta";
const RUNDOWN = /^\/stations\/[^/]+\/rundown$/, DAY = 864e5, now = () => Date.now();
let mem, gone, jobs = 0;
// open: a cache; none once signed out (forget), whatever job still runs.
const open = (n) => (gone ? Promise.reject(new Error("signed out")) : caches.open(n));

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (e) => e.waitUntil(Promise.all([self.clients.claim(),
  self.registration.navigationPreload && self.registration.navigationPreload.enable()])));

// meta: the phone's operator — u (key), tz, start (first page), skew (server's clock − phone's).
async function meta() {
  const r = mem || (await caches.match("/m", { cacheName: META }));
  return (mem = r ? (r.json ? await r.json() : r) : {});
}
async function dropPages() {
  for (const k of await caches.keys()) if (k.startsWith(RD) || k === META) await caches.delete(k);
  mem = null;
}
// day: the commune's date k days on, by the server's clock.
const day = (m, k) => new Intl.DateTimeFormat("en-CA", { timeZone: m.tz }).format(now() + m.skew + k * DAY);
async function put(name, key, res) {
  const h = new Headers(res.headers);
  h.set("X-Saved", now());
  await (await open(name)).put(key, new Response(await res.blob(), { status: res.status, headers: h }));
}
const age = (r) => now() - r.headers.get("X-Saved");

// learn: whose page it is (header Lantoa-Offline); a rundown is kept. A page of
// nobody or of another user drops the rundowns (queued taps stay, by user).
async function learn(url, res) {
  if (res.type === "opaqueredirect" || !/html/.test(res.headers.get("Content-Type"))) return;
  const h = res.headers.get("Lantoa-Offline");
  if (!h) return dropPages();
  const p = new URLSearchParams(h);
  if ((await meta()).u !== p.get("u")) await dropPages();
  const m = { u: p.get("u"), tz: p.get("tz"), start: p.get("start"), skew: p.get("now") - now() };
  await (await open(META)).put("/m", new Response(JSON.stringify((mem = m))));
  const key = p.get("day") ? url.pathname + "?date=" + p.get("day") : url.pathname === m.start && m.start;
  if (key && res.ok) await put(RD + m.u, key, res);
}
const refresh = async (key) => learn(new URL(key, location), await fetch(key));

// kept: the copy of a page, marked for its script (data-cached).
async function kept(url) {
  const m = await meta();
  if (!m.u) return;
  let path = url.pathname === "/" ? m.start : url.pathname;
  if (RUNDOWN.test(path)) path += "?date=" + (url.searchParams.get("date") || day(m, 0));
  const r = await caches.match(path, { cacheName: RD + m.u }), h = r && new Headers(r.headers);
  if (!r) return;
  h.delete("Content-Length");
  return new Response((await r.text()).replace("<html", `<html data-cached="${h.get("X-Saved")}" data-skew="${m.skew}"`), { headers: h });
}

// page: network first; the copy when the network fails or takes over 6 s.
function page(e, url) {
  const net = Promise.resolve(e.preloadResponse).then((r) => r || fetch(e.request)).then((res) => {
    e.waitUntil(learn(url, res.clone()).catch(() => {}));
    return res;
  });
  e.waitUntil(net.catch(() => {}));
  const late = new Promise((ok) => setTimeout(ok, 6000)).then(async () => (await kept(url)) || net);
  return Promise.race([net, late]).catch(async () => (await kept(url)) || Response.error());
}

// report: with no network, the form is queued with the tap's time.
async function report(e, url) {
  const copy = e.request.clone();
  try {
    return await Promise.race([fetch(e.request), new Promise((_, no) => setTimeout(no, 10000))]);
  } catch (err) {
    const m = await meta(), o = Object.fromEntries(await copy.formData());
    if (!m.u) throw err;
    o.aired_at = o.aired_at || new Date(now() + m.skew).toISOString();
    const c = await open(Q + m.u), key = "/q/" + encodeURIComponent(o.delivery + "|" + o.status);
    if (!(await c.match(key))) await c.put(key, new Response(JSON.stringify({ action: url.pathname + url.search, fields: o, err: "" })));
    if (self.registration.sync) self.registration.sync.register("send").catch(() => {});
    return Response.redirect(`${url.pathname}?date=${o.date}#d-${o.delivery}`, 303);
  }
}

// send: "" when recorded (a repeat counts once); "session" when the session
// ended or the token is an older session's (a page passes its own, csrf);
// else why the server refused it.
async function send(q, csrf) {
  const f = new URLSearchParams(q.fields);
  if (csrf) f.set("csrf", csrf);
  const res = await fetch(q.action, { method: "POST", body: f }), to = new URL(res.url);
  if ((res.redirected && to.pathname === "/login") || (res.status === 403 && !csrf)) return "session";
  if (res.ok && to.searchParams.get("done")) return learn(to, res).then(() => "");
  if (res.status >= 500 || res.status < 400) throw new Error("later");
  const m = /class="alert"[^>]*>([^<]+)|<\/h1>\s*<p>([^<]+)/.exec(await res.text());
  return m ? m[1] || m[2] : "HTTP " + res.status;
}

let busy;
function flush(csrf) {
  return (busy = busy || (async () => {
    const m = await meta(), out = { sent: [] }, c = m.u && (await open(Q + m.u));
    try {
      for (const k of c ? await c.keys() : []) {
        const q = await (await c.match(k)).json();
        if (q.err && q.err !== "session") continue; // refused: the operator reads why, and discards it
        q.err = await send(q, csrf);
        await (q.err ? c.put(k, new Response(JSON.stringify(q))) : c.delete(k));
        if (!q.err) out.sent.push(q);
      }
    } catch (err) {
      out.later = true;
    }
    for (const w of await self.clients.matchAll()) w.postMessage({ op: "sent", sent: out.sent });
    return out;
  })().finally(() => { busy = null; }));
}

// keep: today's and tomorrow's rundowns of path, and the page's assets, are
// kept; other days go, and audio after 2 days.
async function keep(path, assets) {
  if (!RUNDOWN.test(path)) return;
  if (!(await meta()).u) await refresh(path); // installed after the page loaded
  const m = await meta(), days = [day(m, 0), day(m, 1)], c = m.u && (await open(RD + m.u));
  if (!c) return;
  for (const d of days) {
    const r = await c.match(path + "?date=" + d);
    if (!r || age(r) > 9e5) await refresh(path + "?date=" + d);
  }
  for (const k of await c.keys()) {
    const d = new URL(k.url).searchParams.get("date");
    if (d ? !days.includes(d) : age(await c.match(k)) > 2 * DAY) await c.delete(k);
  }
  const s = await open(ST);
  for (const a of assets) if (!(await s.match(a))) await put(ST, a, await fetch(a));
  for (const k of await s.keys()) {
    if (!assets.includes(new URL(k.url).pathname) && age(await s.match(k)) > 2 * DAY) await s.delete(k);
  }
}

async function asset(r) {
  const hit = await caches.match(r, { cacheName: ST });
  if (hit) return hit;
  const res = await fetch(r);
  if (res.ok) put(ST, r, res.clone()).catch(() => {});
  return res;
}

// audio: from the network, else the copy kept when played, by Range.
async function audio(r) {
  try {
    return await fetch(r);
  } catch (err) {
    const m = await meta(), hit = m.u && (await caches.match(r.url, { cacheName: RD + m.u, ignoreVary: true }));
    if (!hit) throw err;
    const b = await hit.arrayBuffer(), g = /bytes=(\d+)-(\d*)/.exec(r.headers.get("Range")) || [0, 0, ""];
    const from = +g[1], to = g[2] ? Math.min(+g[2] + 1, b.byteLength) : b.byteLength;
    return new Response(b.slice(from, to), { status: g[0] ? 206 : 200, headers: { "Content-Type": "audio/mpeg",
      "Content-Range": `bytes ${from}-${to - 1}/${b.byteLength}` } });
  }
}
async function keepAudio(url) {
  const m = await meta();
  if (!m.u || !new URL(url).pathname.startsWith("/media/audio/") || (await caches.match(url, { cacheName: RD + m.u }))) return;
  const res = await fetch(url);
  if (res.status === 200) await put(RD + m.u, url, res);
}

self.addEventListener("fetch", (e) => {
  const r = e.request, url = new URL(r.url), nav = r.mode === "navigate";
  if (url.origin !== location.origin) return;
  if (nav && r.method === "GET") e.respondWith(page(e, url));
  else if (nav && r.method === "POST" && RUNDOWN.test(url.pathname)) e.respondWith(report(e, url));
  else if (r.method !== "GET") return;
  else if (url.pathname.startsWith("/static/")) e.respondWith(asset(r));
  else if (url.pathname.startsWith("/media/audio/")) e.respondWith(audio(r));
});

const ops = { send: (d) => flush(d.csrf), keep: (d) => keep(d.path, d.assets || []), audio: (d) => keepAudio(d.url),
  forget: (d, e) => forget().then(() => e.ports[0]?.postMessage(1)) };
self.addEventListener("message", (e) => {
  const d = e.data || {};
  if (!Object.hasOwn(ops, d.op)) return;
  // A keep after forget: a page still signed in (sign-out failed).
  if (d.op === "keep" && gone && !jobs) gone = false;
  jobs++;
  e.waitUntil(ops[d.op](d, e).catch(() => {}).finally(() => jobs--));
});

// forget: signing out; every cache goes.
async function forget() {
  gone = true;
  mem = null;
  for (const k of await caches.keys()) await caches.delete(k);
}

// Background Sync, where there is one: a failure asks for another try.
self.addEventListener("sync", (e) => {
  if (e.tag === "send") e.waitUntil(flush().then((out) => { if (out.later) throw new Error("later"); }));
});
