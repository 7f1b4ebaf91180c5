// What the chat (app.js) and the documents panel (documents.js) share: text-only DOM helpers,
// dates, the API keys kept for this tab, and JSON requests with RFC 9457 problem errors.
//
// Safety rule: article, model and server text is only ever inserted as text (textContent,
// Element.append(string)), never through innerHTML.

// ---- small DOM helpers (text only) --------------------------------------------------------

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function button(className, text, onClick) {
  const node = el("button", className, text);
  node.type = "button";
  if (onClick) node.addEventListener("click", onClick);
  return node;
}

/**
 * Append `text` to `node` with each [start, end] span of `spans` wrapped in <mark> (of class
 * `className`, if any). The offsets come from Python, so they count code points, not UTF-16
 * units: an emoji before a span must not shift it. Spans out of order or out of range are
 * skipped, never thrown on. Returns the marks made.
 */
export function appendMarked(node, text, spans, className = null) {
  const chars = Array.from(String(text ?? ""));
  const marks = [];
  let at = 0;
  for (const [start, end] of Array.isArray(spans) ? spans : []) {
    if (!(Number.isInteger(start) && Number.isInteger(end) && at <= start && start < end && end <= chars.length)) continue;
    if (start > at) node.append(chars.slice(at, start).join(""));
    const mark = el("mark", className, chars.slice(start, end).join(""));
    node.append(mark);
    marks.push(mark);
    at = end;
  }
  if (at < chars.length) node.append(chars.slice(at).join(""));
  return marks;
}

// a title written inside quotation marks of its own, straight or curly, none within; and an
// opening double mark within a title, first or after a space, bracket or dash (qa/article_details.py:
// `_WHOLLY_QUOTED`, `_GERMAN_PAIR`, `_INNER_OPENING`: keep them alike); a German pair („…“,
// its closing mark the English opening one) is made German single marks (‚…‘)
const WHOLLY_QUOTED = /^(?:“[^“”"„]*”|"[^“”"„]*"|„[^“”"„]*“)$/;
const GERMAN_PAIR = /„([^“”"„]*)“/g;
const INNER_OPENING = /“|(?:^|(?<=[\s(\[—–-]))"/g;

/** `title` in curly quotation marks, as the page names an article: a title already wholly in
 * quotation marks keeps them, and the double marks within one are made single, as a quotation
 * within a quotation is written (“‘Fake news,’ Kremlin says”; a German pair „…“ its single
 * ‚…‘), so no title shows doubled marks. The server quotes titles by the same rule (qa/article_details.py: `quoted_title`). */
export function quotedTitle(title) {
  const text = String(title ?? "").trim();
  if (WHOLLY_QUOTED.test(text)) return `“${text.slice(1, -1)}”`;
  const inner = text.replace(GERMAN_PAIR, "‚$1‘");
  return `“${inner.replace(INNER_OPENING, "‘").replace(/[”"]/g, "’")}”`;
}

export function count(n, one, many) {
  return `${Number(n) || 0} ${Number(n) === 1 ? one : many}`;
}

let keyForms = 0;

/**
 * A form asking for the server's read API key: a password field and `submitText`. Calls
 * `onKey(key)` with the trimmed key when it is submitted with one.
 */
export function readKeyForm(submitText, onKey) {
  const form = el("form", "key-form");
  const label = el("label", null, "This server needs a read API key:");
  const field = el("input");
  field.type = "password";
  field.autocomplete = "off";
  field.required = true;
  field.id = `read-key-${++keyForms}`;
  label.htmlFor = field.id;
  const submit = el("button", null, submitText);
  submit.type = "submit";
  form.append(label, field, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = field.value.trim();
    if (key) onKey(key);
  });
  return form;
}

// ---- dates ----------------------------------------------------------------------------------

export function formatDate(value) {
  if (!value) return "";
  const text = String(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return text;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return text;
  // A bare date is a calendar day: read and show it in UTC so no time zone shifts it.
  return date.toLocaleDateString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    ...(dateOnly ? { timeZone: "UTC" } : {}),
  });
}

// ---- API keys: kept for this tab only (sessionStorage), never in localStorage ---------------

// A server with a read API key refuses questions and documents without it (401); admin actions
// (adding, deleting articles) need the admin key, which also opens everything the read key does.
const READ_KEY = "groundedQa.readKey";
const ADMIN_KEY = "groundedQa.adminKey";
const keys = { [READ_KEY]: "", [ADMIN_KEY]: "" };
for (const name of Object.keys(keys)) {
  try {
    keys[name] = sessionStorage.getItem(name) || "";
  } catch {
    // storage blocked: keys last until the page is closed
  }
}

function storeKey(name, key) {
  keys[name] = key;
  try {
    if (key) sessionStorage.setItem(name, key);
    else sessionStorage.removeItem(name);
  } catch {
    // storage blocked: keep it in memory only
  }
}

export const readKey = {
  get: () => keys[READ_KEY],
  set: (key) => storeKey(READ_KEY, key),
};

export const adminKey = {
  get: () => keys[ADMIN_KEY],
  set: (key) => storeKey(ADMIN_KEY, key),
  forget: () => storeKey(ADMIN_KEY, ""),
};

/** `headers` plus a key: the admin key for admin actions, else the read key when given. */
export function withKey(headers = {}, { admin = false } = {}) {
  const key = admin ? adminKey.get() : readKey.get() || adminKey.get();
  return key ? { ...headers, Authorization: `Bearer ${key}` } : headers;
}

// ---- talking to the API -----------------------------------------------------------------------

/**
 * A JSON request. `options.admin` sends the admin key. Resolves with the parsed body (null for
 * 204 No Content); rejects with an Error carrying the problem `detail`, `title` and `status`.
 */
export async function fetchJSON(url, options = {}) {
  return (await requestJSON(url, options)).data;
}

/** fetchJSON, resolving with `{ status, data }`: for an answer whose status says more than its
 * body (POST /documents answers 200, not 201, for an article already indexed as sent). */
export async function requestJSON(url, options = {}) {
  const { admin = false, headers, ...rest } = options;
  let response;
  try {
    response = await fetch(url, { ...rest, headers: withKey(headers, { admin }) });
  } catch {
    throw new Error("Could not reach the server. Check that it is running and try again.");
  }
  const body = await response.text();
  const data = parseJSON(body);
  if (!response.ok) throw problemError(data, response);
  if (response.status === 204) return { status: response.status, data: null };
  if (data === null || typeof data !== "object") {
    throw new Error("The server sent a response that could not be read.");
  }
  return { status: response.status, data };
}

export function parseJSON(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** An Error from RFC 9457 problem details: `detail` as the message, `title` kept aside. */
export function problemError(data, response) {
  let detail = data && data.detail;
  if (Array.isArray(detail)) detail = detail.map((d) => (d && d.msg) || String(d)).join("; ");
  if (typeof detail !== "string" || !detail) {
    const status = (data && data.status) || (response && response.status);
    const statusText = response && response.statusText ? " " + response.statusText : "";
    detail = status ? `The server answered ${status}${statusText}.` : "Something went wrong.";
  }
  const error = new Error(detail);
  error.title = data && typeof data.title === "string" ? data.title : "";
  error.problem = data && typeof data === "object" ? data : {}; // its extension members too
  error.status = (data && data.status) || (response && response.status) || 0;
  // seconds to wait before asking again (429, 503), when the server says
  const wait = Number(response && response.headers && response.headers.get("Retry-After"));
  if (Number.isFinite(wait) && wait > 0) error.retryAfter = Math.ceil(wait);
  return error;
}

/** Whether `error` says the server has no article (or paragraph) with the id asked for: 404
 * for an id it does not know, 410 Gone for one deleted through the API (its detail says when). */
export function isGone(error) {
  return error.status === 404 || error.status === 410;
}

/** Why an article (GET /documents/{id}) could not be fetched, in the reader's words: for an id
 * the server no longer has (404, or 410 for one deleted), its detail points API clients to
 * GET /documents for the ids, which means nothing on the page. */
export function articleProblem(error) {
  if (error.status === 410) return "it was deleted, and is no longer among the indexed articles.";
  return error.status === 404 ? "it is no longer among the indexed articles (it may have been deleted)." : error.message;
}

// ---- events between the page's parts ----------------------------------------------------------

/** The indexed articles changed (added, deleted) or a key now opens them: reload what shows them. */
export const DOCUMENTS_CHANGED = "groundedqa:documents-changed";

export function documentsChanged() {
  document.dispatchEvent(new CustomEvent(DOCUMENTS_CHANGED));
}

/**
 * "Ask about this article" was pressed in the side panel (with an article opened in the
 * Articles tab, or in the Source view): the chat (app.js) asks only of that article from now
 * on. `detail` is `{ doc_id, title, date }` (`date` null when undated).
 */
export const ASK_ABOUT = "groundedqa:ask-about";

export function askAbout(doc) {
  document.dispatchEvent(
    new CustomEvent(ASK_ABOUT, {
      detail: { doc_id: doc.doc_id, title: doc.title || "", date: doc.date || null },
    }),
  );
}

/** The "Ask about this article" button for `doc` (`{ doc_id, title, date }`): shown with an
 * article opened in the Articles tab (documents.js) and with the one the Source view shows
 * (app.js), and the same in both: it calls askAbout, and the chat shows the chip. */
export function askAboutButton(doc) {
  return button("ask-about", "Ask about this article", () => askAbout(doc));
}
