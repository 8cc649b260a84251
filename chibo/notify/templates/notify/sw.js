// chibo's service worker: the next meeting and the meetings a member opened stay readable
// offline, and push notifications are shown and open their page. Served by chibo.notify.phone
// (root scope).
"use strict";

const VERSION = "VERSION";
const SHELL_CACHE = "chibo-shell-" + VERSION;
// Pages and documents kept for offline reading; emptied at sign-out (and by the browser then,
// from the Clear-Site-Data header of the sign-out).
const PAGES_CACHE = "chibo-pages";
const SHELL = {{ shell|safe }};
const MESSAGES = {{ messages|safe }};
const DEFAULT_LANGUAGE = "{{ default_language }}";
const ICON = "{{ icon }}";
const BADGE = "{{ badge }}";
const SIGN_IN = "{{ sign_in }}";
// Home, the list of meetings and the meetings opened lately are kept; older meetings are let go.
const LISTS = ["/", "{{ meetings }}"];
const KEEP_MEETINGS = 5;
const MEETING = /^\/meetings\/[0-9a-f-]{36}\/$/;
const DOCUMENT = /\/meetings\/documents\/[0-9a-f-]{36}\//g;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("chibo-shell-") && name !== SHELL_CACHE)
          .map((name) => caches.delete(name))))
      .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((kept) => kept || fetch(request)));
  } else if (url.pathname.match(DOCUMENT)) {
    event.respondWith(fetch(request).catch(() => caches.open(PAGES_CACHE)
      .then((cache) => cache.match(url.pathname))
      .then((kept) => kept || Response.error())));
  }
});

// Network first; the copy kept when it is out of reach, marked as such; else a page that says
// the device is offline.
async function page(event, url) {
  try {
    const response = await fetch(event.request);
    if (url.pathname === SIGN_IN) {
      // Nobody is signed in here: whatever was kept belongs to someone else.
      event.waitUntil(caches.delete(PAGES_CACHE));
    } else if (response.ok && !response.redirected && worthKeeping(url.pathname)) {
      event.waitUntil(keep(url.pathname, response.clone()));
    }
    return response;
  } catch (error) {
    const cache = await caches.open(PAGES_CACHE);
    const kept = await cache.match(url.pathname);
    return kept ? marked(kept) : offline();
  }
}

function worthKeeping(path) {
  return LISTS.includes(path) || MEETING.test(path);
}

async function keep(path, response) {
  const cache = await caches.open(PAGES_CACHE);
  const html = await response.clone().text();
  await cache.delete(path); // kept again at the end: the keys are in the order they were kept
  await cache.put(path, response);
  if (!MEETING.test(path)) {
    return;
  }
  // The meeting's documents, so that they open offline too; each is fetched once (a document
  // changed is a new document, with a new address).
  const documents = [];
  for (const doc of new Set(html.match(DOCUMENT) || [])) {
    if (!(await cache.match(doc))) {
      documents.push(doc);
    }
  }
  await Promise.all(documents.map((doc) => fetch(doc, { credentials: "same-origin" })
    .then((answer) => (answer.ok ? cache.put(doc, answer) : null))
    .catch(() => null)));
  const meetings = (await cache.keys()).map((request) => new URL(request.url).pathname)
    .filter((kept) => MEETING.test(kept));
  for (const old of meetings.slice(0, Math.max(0, meetings.length - KEEP_MEETINGS))) {
    const stale = await cache.match(old);
    const links = stale ? (await stale.text()).match(DOCUMENT) || [] : [];
    await Promise.all([old, ...links].map((key) => cache.delete(key)));
  }
}

function words(language) {
  return MESSAGES[language] || MESSAGES[DEFAULT_LANGUAGE];
}

function escape(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

async function marked(kept) {
  const html = await kept.text();
  const language = (html.match(/<html lang="([a-z-]+)"/) || [])[1];
  const note = `<ul class="messages" data-offline><li role="status">${escape(words(language).copy)}</li></ul>`;
  const headers = new Headers(kept.headers);
  headers.delete("Content-Length");
  return new Response(html.replace(/<main([^>]*)>/, (main) => main + note), {
    status: 200,
    headers,
  });
}

function offline() {
  const language = (self.navigator.language || "").slice(0, 2);
  const said = words(MESSAGES[language] ? language : DEFAULT_LANGUAGE);
  const body = `<!doctype html>
<html lang="${MESSAGES[language] ? language : DEFAULT_LANGUAGE}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(said.title)} · chibo</title><link rel="stylesheet" href="${SHELL[0]}"></head>
<body><header class="topbar"><a class="brand" href="/">chibo</a></header>
<main data-offline><h1>${escape(said.title)}</h1><p>${escape(said.none)}</p>
<p><a href="/">${escape(said.home)}</a></p></main></body></html>`;
  return new Response(body, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
    },
  });
}

// The page's sign-out form says so before it goes: the pages kept are someone's own. Home
// asks for the next meeting to be kept before it is opened, to be read on the way there.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "sign-out") {
    event.waitUntil(caches.delete(PAGES_CACHE));
  } else if (data.type === "keep" && MEETING.test(data.path || "")) {
    event.waitUntil(keepAhead(data.path));
  }
});

// Fetched again at most once an hour, however often home is opened.
const AHEAD_EVERY = 60 * 60 * 1000;

async function keepAhead(path) {
  const kept = await (await caches.open(PAGES_CACHE)).match(path);
  if (kept && Date.now() - Date.parse(kept.headers.get("Date")) < AHEAD_EVERY) {
    return;
  }
  try {
    const response = await fetch(path, { credentials: "same-origin", redirect: "manual" });
    if (response.ok) {
      await keep(path, response);
    }
  } catch (error) {
    // Offline or refused: what was kept stays.
  }
}

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  event.waitUntil(self.registration.showNotification(data.title || "chibo", {
    body: data.body || "",
    tag: data.tag,
    icon: ICON,
    badge: BADGE,
    data: { url: data.url || "/" },
  }));
});

// Opens the notification's page, on this site only: a window of chibo already open goes
// there, else a new one opens.
async function openNotification(notification) {
  let url = new URL((notification.data && notification.data.url) || "/", self.location.origin);
  if (url.origin !== self.location.origin) {
    url = new URL("/", self.location.origin);
  }
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).origin === self.location.origin && "navigate" in client) {
      // Only a window this worker controls can be sent elsewhere; another is left alone.
      const moved = await client.navigate(url.href).catch(() => null);
      if (moved) {
        await moved.focus().catch(() => null);
        return moved;
      }
    }
  }
  return self.clients.openWindow(url.href);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openNotification(event.notification));
});
