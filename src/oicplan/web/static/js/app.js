// oicplan pages: what every page's script shares (window.oic).
// oic.api(path, options) calls the REST API with the session cookie and the
// session's CSRF token (X-CSRF-Token header), which every write needs.
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="csrf-token"]');
  const messagesBlock = document.getElementById("oic-messages");
  const messages = messagesBlock ? JSON.parse(messagesBlock.textContent) : {};
  const lang = document.documentElement.lang === "en" ? "en" : "zh";

  function t(key, values) {
    let text = Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : key;
    if (values) {
      text = text.replace(/\{(\w+)\}/g, (whole, name) =>
        Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole);
    }
    return text;
  }

  class ApiError extends Error {
    constructor(status, detail) {
      super(typeof detail === "string" ? detail : JSON.stringify(detail));
      this.status = status;
      this.detail = detail;
    }
  }

  async function api(path, options) {
    const opts = Object.assign({ method: "GET" }, options || {});
    const headers = Object.assign({ Accept: "application/json" }, opts.headers || {});
    const method = opts.method.toUpperCase();
    if (!["GET", "HEAD", "OPTIONS"].includes(method)) {
      headers["X-CSRF-Token"] = meta ? meta.content : "";
    }
    let body = opts.body;
    if (body !== undefined && !(body instanceof FormData) && typeof body !== "string") {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    const response = await fetch(path, {
      method, headers, body, credentials: "same-origin", signal: opts.signal,
    });
    if (response.status === 401) {
      window.location.assign("/login?next=" + encodeURIComponent(location.pathname + location.search));
      throw new ApiError(401, "sign in");
    }
    const type = response.headers.get("content-type") || "";
    const data = type.includes("application/json") ? await response.json() : await response.text();
    if (!response.ok) {
      throw new ApiError(response.status, data && data.detail !== undefined ? data.detail : data);
    }
    return data;
  }

  // Text to put into the page: always through textContent, never innerHTML.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = String(value);
      else if (name === "class") node.className = value;
      else if (name === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function siteName(row) {
    return lang === "zh" && row && row.name_zh ? row.name_zh : (row ? row.name : "");
  }

  function debounce(fn, ms) {
    let timer = null;
    return function (...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), ms);
    };
  }

  function readJson(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  window.oic = { api, ApiError, t, el, lang, siteName, debounce, readJson };
})();
