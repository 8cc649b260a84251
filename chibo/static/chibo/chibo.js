// What the pages ask for with data attributes. No script sits inside a page, so the Content
// Security Policy can refuse every inline one (an injected <script> or onclick does not run).
"use strict";

// A choice that applies at once, such as the language: <select data-submit-on-change>.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-submit-on-change]")) {
    event.target.form.submit();
  }
});

// A read-only address to copy: <input data-select-on-focus> selects it all when focused.
document.addEventListener("focusin", (event) => {
  if (event.target.matches("[data-select-on-focus]")) {
    event.target.select();
  }
});

// The service worker (chibo.notify.phone): meetings opened stay readable offline, and push
// notifications arrive. The manifest's link says where it is served from.
const app = document.querySelector("link[rel=manifest][data-service-worker]");
if (app && "serviceWorker" in navigator) {
  navigator.serviceWorker.register(app.dataset.serviceWorker).catch(() => null);
  // A meeting the page marks <a data-keep-offline> (home's next one) is kept before it is opened.
  const ahead = [...document.querySelectorAll("a[data-keep-offline]")];
  if (ahead.length) {
    navigator.serviceWorker.ready.then((registration) => {
      for (const link of ahead) {
        registration.active.postMessage({ type: "keep", path: new URL(link.href).pathname });
      }
    });
  }
  // Signing out: the pages kept for offline reading are this person's; let them go at once
  // (the sign-out's Clear-Site-Data header asks the browser for the same).
  document.addEventListener("submit", (event) => {
    const action = event.target.getAttribute("action");
    if (action === app.dataset.signOut && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "sign-out" });
    }
  });
}

// Push on this device: <section data-push> on the notification settings, hidden until this
// script finds the browser able to receive them (nothing to offer without JavaScript).
const push = document.querySelector("[data-push]");
if (push && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window) {
  const token = push.querySelector("input[name=csrfmiddlewaretoken]").value;
  const show = (state) => {
    for (const element of push.querySelectorAll("[data-push-when]")) {
      element.hidden = !element.dataset.pushWhen.split(" ").includes(state);
    }
  };
  const post = (url, body) => fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token },
    body: JSON.stringify(body),
  });
  const key = (text) => {
    const bytes = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(bytes, (c) => c.charCodeAt(0));
  };
  push.hidden = false;
  navigator.serviceWorker.ready
    .then((registration) => registration.pushManager.getSubscription())
    .then((subscription) => {
      if (Notification.permission === "denied") {
        show("denied");
      } else {
        show(subscription ? "on" : "off");
      }
    });
  push.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-push-action]");
    if (!button) {
      return;
    }
    const registration = await navigator.serviceWorker.ready;
    try {
      if (button.dataset.pushAction === "on") {
        if ((await Notification.requestPermission()) !== "granted") {
          show("denied");
          return;
        }
        const subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: key(push.dataset.push),
        });
        const answer = await post(button.dataset.url, subscription.toJSON());
        show(answer.ok ? "on" : "failed");
      } else {
        const subscription = await registration.pushManager.getSubscription();
        if (subscription) {
          await post(button.dataset.url, { endpoint: subscription.endpoint });
          await subscription.unsubscribe();
        }
        show("off");
      }
    } catch (error) {
      show("failed");
    }
  });
}
