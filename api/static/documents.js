// The documents panel (the side panel's "Articles" tab): what is indexed, filtered by words of
// the title, one article to read (and to ask about alone: "Ask about this article"), and, for an
// admin, adding or deleting one.
//
// Uses GET /documents (with `q` for the filter), POST /search (the filter's words searched in the
// articles' text, "Search the text"), GET /documents/{id}, and the admin actions
// POST /documents, POST /documents/import (an archive export's articles) and DELETE /documents/{id}. The admin key is asked for only when the user
// adds or deletes, and kept for this tab (sessionStorage, see common.js).
//
// Safety rule: article and server text is only ever inserted as text, never through innerHTML.
import {
  DOCUMENTS_CHANGED,
  adminKey,
  appendMarked,
  articleProblem,
  askAboutButton,
  button,
  count,
  documentsChanged,
  el,
  fetchJSON,
  formatDate,
  isGone,
  quotedTitle,
  readKey,
  readKeyForm,
  requestJSON,
} from "./common.js";
import { selectTab } from "./tabs.js";

const PAGE_SIZE = 50;
const FILTER_DELAY_MS = 200;

const body = document.getElementById("articles-body");
const heading = document.getElementById("articles-heading");
const addButton = document.getElementById("add-article");
// the server has admin actions switched on (api/app.py); off, adding and deleting are not offered
const ADMIN_ON = document.body.dataset.admin !== "off";
addButton.hidden = !ADMIN_ON;

/** "Outlet · by author · date · N paragraphs" (or `last` in place of the count), saying plainly
 * what is not known; the author only where the server sent it (one article, not the list). */
function metaText(doc, paragraphs, last = count(paragraphs, "paragraph", "paragraphs")) {
  const by = doc.author ? `by ${doc.author}` : "";
  return [doc.source || "outlet unknown", by, doc.date ? formatDate(doc.date) : "date unknown", last]
    .filter(Boolean)
    .join(" · ");
}

function alertBox(text) {
  const box = el("p", "panel-error", text);
  box.setAttribute("role", "alert");
  return box;
}

/** Show `view` in the panel from its top, whatever the view before was scrolled to (the Add
 * form scrolled down to its button left a long import report scrolled as far, its heading and
 * summary above view); `focusTarget` takes the focus without scrolling. */
function show(view, focusTarget) {
  body.replaceChildren(view);
  body.scrollTop = 0;
  if (focusTarget) focusTarget.focus({ preventScroll: true });
}

/** Back to `view`, where `opener`, the button that left it, is: in view, and focused. */
function showAt(view, opener) {
  show(view, opener);
  opener.scrollIntoView({ block: "center" });
}

/** Whether the reader is still with the panel: the focus is in it, or nowhere (on the page's
 * body, where a button disabled while its request ran leaves it). An answer that comes minutes
 * later (a long export's import) must not take the focus from the question being typed. */
function focusInPanel() {
  const active = document.activeElement;
  return !active || active === document.body || body.contains(active);
}

/** "42 s", "3 min 05 s": how long a request has been running. */
function elapsedText(ms) {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

/** A line under the form's buttons while an import runs, said once (`role=status`), with how
 * long it has been running beside it, outside the live region (not read out every second);
 * `stop()` removes it. A long export (a Nexis Uni PDF of hundreds of pages) takes minutes.
 * The form's `cancel` is off meanwhile, saying why: an import sent cannot be called back (the
 * server reads and indexes the whole export whatever the page does, a closed page or a dropped
 * connection included, and has no way to stop one), so a Cancel that closed the form would
 * only hide what goes on, and its report would replace whatever the panel showed by then. */
function importProgress(after, archive, cancel) {
  const line = el("div", "hint import-progress");
  const said = el("p", null, "");
  said.setAttribute("role", "status");
  const clock = el("p", "import-elapsed", "Running for 0 s.");
  const why = el(
    "p",
    "import-no-cancel",
    "It cannot be cancelled: the server imports the whole export even if this page is closed, " +
      "so Cancel comes back only if the import fails.",
  );
  why.id = "import-no-cancel";
  line.append(said, clock, why);
  after.after(line);
  // set once the region is in the page, so that it is read out
  said.textContent =
    `Importing “${archive.name}”: the server reads its articles, then indexes them. A long ` +
    "export (a PDF of hundreds of pages) takes several minutes; questions asked meanwhile are " +
    "answered from the articles already indexed.";
  cancel.disabled = true;
  cancel.setAttribute("aria-describedby", why.id);
  const began = Date.now();
  const timer = setInterval(() => {
    clock.textContent = `Running for ${elapsedText(Date.now() - began)}.`;
  }, 1000);
  return {
    stop() {
      clearInterval(timer);
      line.remove();
      cancel.disabled = false;
      cancel.removeAttribute("aria-describedby");
    },
  };
}

// ---- the list, filtered by words of the title -----------------------------------------------

const listView = el("div", "articles-list-view");
const filterLabel = el("label", "visually-hidden", "Filter the articles by words in the title");
const filter = el("input", "articles-filter");
filter.type = "search";
filter.id = "articles-filter";
filter.placeholder = "Filter by words in the title…";
filter.autocomplete = "off";
filterLabel.htmlFor = filter.id;
const message = el("p", "panel-message");
message.tabIndex = -1; // "Deleted “…”." takes the focus from the Delete button it replaces
message.setAttribute("role", "status");
const summary = el("p", "articles-summary");
summary.setAttribute("aria-live", "polite");
const list = el("ul", "articles-list");
const more = button("link-button articles-more", "Show more", () => loadList({ append: true }));
more.hidden = true;
// the filter's words searched in the articles' paragraphs, not only their titles
const textSearch = button("link-button text-search", "", () => searchText(filter.value.trim()));
textSearch.hidden = true;
listView.append(filterLabel, filter, textSearch, message, summary, list, more);

let listToken = 0; // a newer request wins over a slower older one
let shown = 0;
let listed = false; // the list shows an answer of GET /documents (none yet, or an error since)

async function loadList({ append = false } = {}) {
  const token = ++listToken;
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(append ? shown : 0) });
  const words = filter.value.trim();
  if (words) params.set("q", words);
  labelTextSearch();
  // nothing to show yet: say so (as the Source view says "Loading the article…") until the list
  // or why it could not come replaces it; a list shown stays while a new filter's loads
  if (!append && !listed) summary.textContent = "Loading the articles…";
  let data;
  try {
    data = await fetchJSON(`/documents?${params}`);
  } catch (error) {
    if (token !== listToken) return;
    listed = false;
    list.replaceChildren();
    more.hidden = true;
    summary.replaceChildren(alertBox(`Could not list the articles: ${error.message}`));
    if (error.status === 401) {
      // the key opens this list, the article count and the examples: they all load again
      summary.append(readKeyForm("Use key", (key) => {
        readKey.set(key);
        documentsChanged();
      }));
    }
    return;
  }
  if (token !== listToken) return;
  listed = true;
  const documents = Array.isArray(data.documents) ? data.documents : [];
  if (!append) {
    list.replaceChildren();
    shown = 0;
  }
  for (const doc of documents) list.append(listItem(doc));
  shown += documents.length;
  const total = Number(data.total) || 0;
  summary.textContent = words
    ? `${count(total, "article matches", "articles match")} “${words}”.`
    : `${count(total, "article", "articles")} indexed.`;
  if (!total) {
    summary.append(" ", words ? "Try fewer or other words, or search the articles’ text (Enter)." : "Add one to start.");
  }
  more.hidden = shown >= total;
  if (!more.hidden) more.textContent = `Show more (${total - shown} left)`;
}

function listItem(doc) {
  const item = el("li", "article-item");
  const open = button("article-open", null, () => openArticle(doc.doc_id));
  open.append(el("span", "article-title", doc.title || "Untitled article"), el("span", "article-meta", metaText(doc, doc.paragraphs)));
  item.append(open);
  return item;
}

function keyInput(id) {
  const field = el("input");
  field.type = "password";
  field.autocomplete = "off";
  field.id = id;
  return field;
}

let filterTimer = 0;
function labelTextSearch() {
  const words = filter.value.trim();
  textSearch.hidden = !words;
  textSearch.textContent = `Search the articles’ text for “${words}”`;
}
filter.addEventListener("input", () => {
  labelTextSearch(); // at once: the button searches what the box holds now
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => loadList(), FILTER_DELAY_MS);
});
// the titles filter as one types; Enter searches the text, as the button under the box does
filter.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && filter.value.trim()) {
    event.preventDefault();
    searchText(filter.value.trim());
  }
});

function showList(note = "") {
  message.textContent = note;
  show(listView, note ? message : heading);
  loadList();
}

// ---- one article ------------------------------------------------------------------------------

const SEARCH_RESULTS = 20;

/** The paragraphs that best match `words` (POST /search), each opening its article there; the
 * article's back button returns to these results, to the one opened. */
async function searchText(words) {
  if (!words) return;
  const view = el("div", "search-view");
  const back = button("link-button", "← All articles", () => showList());
  const title = el("h3", "search-heading", `Paragraphs matching “${words}”`);
  title.tabIndex = -1;
  const status = el("p", "note", "Searching…");
  status.setAttribute("role", "status");
  view.append(back, title, status);
  show(view, title);
  let data;
  try {
    data = await fetchJSON("/search", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: words, limit: SEARCH_RESULTS }),
    });
  } catch (error) {
    if (view.isConnected) status.replaceWith(alertBox(`Could not search: ${error.message}`));
    return;
  }
  if (!view.isConnected) return; // the user went elsewhere meanwhile
  const results = Array.isArray(data.results) ? data.results : [];
  status.textContent = results.length
    ? `The ${count(results.length, "paragraph", "paragraphs")} that best match, best first ` +
      "(by meaning and by words: the weakest may share little with them)."
    : "No paragraph found.";
  const unknown = Array.isArray(data.unknown_words) ? data.unknown_words : [];
  if (unknown.length) view.insertBefore(didYouMean(words, unknown), status.nextSibling);
  const found = el("ol", "search-results");
  for (const hit of results) {
    const item = el("li", "search-result");
    const open = button("article-open", null, () =>
      openArticle(hit.doc_id, {
        paragraph: hit.index,
        matches: hit.matches,
        back: [
          "← Back to the results",
          () => showAt(view, open), // the list as left, at the same result
        ],
      }),
    );
    const where = metaText(hit, null, `paragraph ${Number(hit.index) + 1}`);
    open.append(el("span", "article-title", hit.title || "Untitled article"), el("span", "article-meta", where));
    const snippet = el("p", "search-snippet");
    appendMarked(snippet, hit.text, hit.matches, "search-match"); // the words searched for
    item.append(open, snippet);
    found.append(item);
  }
  view.append(found);
}

/** "No article has the word “X”; did you mean “Y”?", with a button searching that instead. */
function didYouMean(words, unknown) {
  const note = el("p", "note did-you-mean");
  let corrected = words;
  const named = [];
  for (const { word, suggestion } of unknown) {
    named.push(`“${word}”`);
    if (suggestion) corrected = corrected.split(word).join(suggestion);
  }
  note.append(`No article has the word${named.length > 1 ? "s" : ""} ${named.join(", ")}.`);
  if (corrected !== words) {
    note.append(" ", button("link-button", `Search for “${corrected}” instead`, () => {
      filter.value = corrected;
      labelTextSearch();
      searchText(corrected);
    }));
  }
  return note;
}

async function openArticle(
  docId,
  {
    paragraph = null,
    matches = [],
    back: [backLabel, backTo] = ["← All articles", () => showList()],
    gone = null, // what to say, plainly, when the article is no longer indexed (a 404 or 410)
  } = {},
) {
  const view = el("article", "article-view");
  const back = button("link-button", backLabel, backTo);
  view.append(back, el("p", "note", "Loading the article…"));
  show(view, back);
  let doc;
  try {
    doc = await fetchJSON(`/documents/${encodeURIComponent(docId)}`);
  } catch (error) {
    if (gone && isGone(error)) {
      const said = el("p", "panel-message", gone);
      said.tabIndex = -1;
      view.replaceChildren(back, said);
      said.focus({ preventScroll: true });
      return;
    }
    view.replaceChildren(back, alertBox(`Could not open the article: ${articleProblem(error)}`));
    return;
  }
  if (!view.isConnected) return; // the user went elsewhere meanwhile
  const paragraphs = Array.isArray(doc.paragraphs) ? doc.paragraphs : [];
  const title = el("h3", "article-heading", doc.title || "Untitled article");
  title.tabIndex = -1;
  // scopes the chat to this article (app.js shows the chip and moves focus to the question box)
  const scope = askAboutButton(doc);
  view.replaceChildren(back, title, el("p", "article-meta", metaText(doc, paragraphs.length)), scope);
  if (doc.has_title === false) {
    view.append(el("p", "note", "This article has no headline; its opening words stand in for a title."));
  }
  const text = el("div", "article-text");
  let found = null;
  for (const p of paragraphs) {
    const shown = el("p", "article-paragraph");
    const foundHere = paragraph !== null && p.index === paragraph;
    appendMarked(shown, p.text, foundHere ? matches : [], "search-match");
    if (foundHere) {
      found = shown; // the paragraph a search result pointed at, marked and scrolled to
      shown.classList.add("found");
      shown.tabIndex = -1;
      shown.setAttribute("aria-describedby", "found-note");
    }
    text.append(shown);
  }
  view.append(text);
  if (ADMIN_ON) view.append(deleteControls(doc));
  if (found) {
    const note = el("span", "visually-hidden", "The paragraph the search found.");
    note.id = "found-note"; // read out with the marked paragraph, not part of its text
    view.append(note);
    found.scrollIntoView({ block: "center" });
    found.focus({ preventScroll: true });
  } else {
    title.focus({ preventScroll: true });
  }
}

// ---- admin: deleting and adding ------------------------------------------------------------------

/** The admin key field, shown only while the tab has no admin key. Returns [row, read()]. */
function adminKeyRow(id) {
  const row = el("div", "admin-key-row");
  const field = keyInput(id);
  const label = el("label", null, "Admin API key");
  label.htmlFor = field.id;
  row.append(label, field);
  row.hidden = Boolean(adminKey.get());
  const read = () => {
    if (!row.hidden) adminKey.set(field.value.trim());
    return adminKey.get();
  };
  return [row, read];
}

// A refused key (401) and admin actions switched off (403), in the reader's words: the server's
// detail is written for API clients (it names the header to send and the setting to set)
const ADMIN_REFUSED = {
  401: "That admin key was not accepted. Check it and try again.",
  403: "Adding and deleting articles is switched off on this server.",
};

/** The server's refusal of an admin action, with the focus where the fix is: the key field
 * when the key was refused, else the message (the form's button, disabled while the request
 * ran, had lost it). */
function showAdminError(place, keyRow, error) {
  const box = alertBox(ADMIN_REFUSED[error.status] || error.message);
  box.tabIndex = -1;
  place.replaceChildren(box);
  if (error.status === 401) {
    adminKey.forget();
    keyRow.hidden = false;
    keyRow.querySelector("input").focus();
    return;
  }
  if (adminKey.get()) keyRow.hidden = true; // the server took the key and refused something else
  if (focusInPanel()) box.focus(); // role=alert: read out wherever the focus is
}

function deleteControls(doc) {
  const box = el("div", "admin-actions");
  const start = button("danger-link", "Delete this article…", () => {
    start.hidden = true;
    confirm.hidden = false;
    (keyRow.hidden ? remove : keyRow.querySelector("input")).focus();
  });
  const confirm = el("form", "confirm-delete");
  confirm.hidden = true;
  const [keyRow, readAdminKey] = adminKeyRow(`delete-key-${doc.doc_id}`);
  const errors = el("div");
  const remove = el("button", "danger", "Delete");
  remove.type = "submit";
  const cancel = button("link-button", "Cancel", () => {
    confirm.hidden = true;
    start.hidden = false;
    start.focus();
  });
  const actions = el("div", "form-actions");
  actions.append(remove, cancel);
  confirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !remove.disabled) cancel.click(); // as Cancel: nothing typed is lost
  });
  confirm.append(el("p", null, `Delete ${quotedTitle(doc.title || doc.doc_id)} from the index? This cannot be undone.`), keyRow, errors, actions);
  confirm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!readAdminKey()) {
      keyRow.hidden = false;
      errors.replaceChildren(alertBox("Enter the admin API key to delete articles."));
      keyRow.querySelector("input").focus();
      return;
    }
    remove.disabled = true;
    remove.textContent = "Deleting…";
    try {
      await fetchJSON(`/documents/${encodeURIComponent(doc.doc_id)}`, { method: "DELETE", admin: true });
    } catch (error) {
      showAdminError(errors, keyRow, error);
      remove.disabled = false;
      remove.textContent = "Delete";
      return;
    }
    showList(`Deleted ${quotedTitle(doc.title || doc.doc_id)}.`);
    documentsChanged();
  });
  box.append(start, confirm);
  return box;
}

function field(labelText, control, hint) {
  const wrap = el("div", "form-field");
  const label = el("label", null, labelText);
  label.htmlFor = control.id;
  wrap.append(label, control);
  if (hint) {
    const note = el("span", "hint", hint);
    note.id = `${control.id}-hint`;
    control.setAttribute("aria-describedby", note.id); // read out with the field's label
    wrap.append(note);
  }
  return wrap;
}

function textInput(id, type = "text") {
  const input = el(type === "textarea" ? "textarea" : "input");
  if (type !== "textarea") input.type = type;
  input.id = id;
  return input;
}

// UTF-16 without a byte-order mark (what Word and other Windows programs save as "Unicode"),
// told as the server tells it (qa/decoding.py, `utf16_without_mark`): NUL bytes, the high byte
// of a space, digit, comma or Latin letter, on one side of the code units only, in at least
// this share of the units and this many of them (its `_UTF16_MIN_NULS` and
// `_UTF16_MIN_NUL_COUNT`); a short text with fewer NULs (a one-line note) in at least half of
// its units and three of them, read with no control character and no a-z letter beside a
// letter of another script in one word (its `_short_utf16`, `_UTF16_SHORT_MIN_NULS`,
// `_UTF16_SHORT_MIN_NUL_COUNT`, `_CONTROL` and `_MIXED_WORD`): keep them alike
const UTF16_MIN_NULS = 0.1;
const UTF16_MIN_NUL_COUNT = 8;
const UTF16_SHORT_MIN_NULS = 0.5;
const UTF16_SHORT_MIN_NUL_COUNT = 3;
const CONTROL = /[\x00-\x08\x0e-\x1f\x7f-\x9f]/;
const MIXED_WORD = /[A-Za-z](?![A-Za-z\u00c0-\u024f])\p{L}|(?![A-Za-z\u00c0-\u024f])\p{L}[A-Za-z]/u;

/** `bytes` decoded as UTF-16 when they carry its byte-order mark, or when they are UTF-16
 * without one (told by where their NUL bytes stand, as the server tells it, and confirmed by
 * reading them as UTF-16 with no unpaired surrogate, where the server asks charset-normalizer
 * of a longer text); else null. Asked before UTF-8: an English text in UTF-16 is well-formed
 * UTF-8 too, each NUL read as a NUL, and a Cyrillic or Greek one would be read as Windows-1252
 * garbage. A last odd byte of one without a mark is no character, and is left out (it would
 * read as U+FFFD, which the server refuses). */
function decodeUtf16(bytes) {
  // after a byte-order mark a last odd byte stays U+FFFD, as on the server (the mark may be
  // two bytes of something else)
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  const whole = bytes.subarray(0, bytes.length - (bytes.length % 2));
  let even = 0;
  let odd = 0;
  for (let i = 0; i < whole.length; i++) {
    if (whole[i] === 0) {
      if (i % 2) odd++;
      else even++;
    }
  }
  const most = Math.max(even, odd);
  const fewest = Math.min(even, odd);
  const units = whole.length / 2;
  const short = most < UTF16_MIN_NUL_COUNT;
  const enough = short
    ? fewest === 0 && most >= Math.max(UTF16_SHORT_MIN_NUL_COUNT, UTF16_SHORT_MIN_NULS * units)
    : most >= UTF16_MIN_NULS * units && fewest <= most / 10;
  if (!enough) return null;
  // the high byte comes first in big-endian: its NULs stand on the even positions
  const encoding = even > odd ? "utf-16be" : "utf-16le";
  let text;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(whole);
  } catch {
    return null; // not UTF-16 after all: binary, or a stray NUL
  }
  if (short && (CONTROL.test(text) || MIXED_WORD.test(text))) return null;
  return text;
}

/** A saved page's text, decoded as a browser would: UTF-16 when it has a byte-order mark or is
 * UTF-16 without one (`decodeUtf16`), UTF-8 when the bytes are UTF-8 (or begin with its
 * byte-order mark), else the charset its <meta> declares (windows-1252 when it declares none),
 * so a page saved in a legacy encoding keeps its accents and curly quotes. */
function decodePage(bytes) {
  const wide = decodeUtf16(bytes);
  if (wide !== null) return wide;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const head = new TextDecoder("windows-1252").decode(bytes.subarray(0, 4096));
    const declared = /<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)/i.exec(head);
    try {
      return new TextDecoder(declared ? declared[1] : "windows-1252").decode(bytes);
    } catch {
      return new TextDecoder("windows-1252").decode(bytes); // a label no browser knows
    }
  }
}

/** A text file's characters: UTF-16 with its byte-order mark or without one (`decodeUtf16`),
 * UTF-8, else Windows-1252, the commonest legacy encoding of Western text files (a browser's
 * `file.text()` reads only UTF-8, and would leave U+FFFD, which the server refuses, for every
 * other byte). */
function decodeTextFile(bytes) {
  const wide = decodeUtf16(bytes);
  if (wide !== null) return wide;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

function showAddForm() {
  const form = el("form", "add-article-form");
  const title = textInput("new-title");
  title.maxLength = 300; // the API's limits (POST /documents)
  const source = textInput("new-source");
  source.maxLength = 200;
  const author = textInput("new-author");
  author.maxLength = 200;
  const date = textInput("new-date");
  const text = textInput("new-text", "textarea");
  text.rows = 8;
  text.required = true;
  const file = textInput("new-file", "file");
  file.accept = ".txt,.md,.markdown,.html,.htm,.mhtml,.mht,.jsonl,.json,.csv,.tsv,.xml,.rss,.atom,.pdf,.docx,.rtf,text/plain,text/markdown,text/html,multipart/related,text/csv,application/json,application/rss+xml,application/atom+xml,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/rtf,text/rtf";
  // a saved web page is sent whole as `html`: the server finds the article in it and reads its
  // title, outlet and date from the page, so the fields above are not sent with it; an archive
  // export (one article a line or row) is sent whole to POST /documents/import, and so is a
  // document that is no text (a PDF), its bytes in base64: the server reads and names it
  let page = null; // { name, html } while a saved page is chosen
  let archive = null; // { name, content } or { name, contentBase64, document: true, many }
  const pageNote = el("p", "hint page-note");
  pageNote.id = "new-page-note";
  pageNote.setAttribute("role", "status");
  pageNote.hidden = true;
  function useFile(nextPage, nextArchive = null) {
    page = nextPage;
    archive = nextArchive;
    pageNote.hidden = !page && !archive;
    pageNote.textContent = page
      ? `Saved page “${page.name}”: the article, its title, outlet, author and date are read from the page.`
      : archive && archive.nexis
        ? `LexisNexis export “${archive.name}”: each of its ${archive.nexis} documents is an article, with its own title, outlet, author and date. Documents that cannot be read are listed after the import.`
      : archive && archive.factiva
        ? `Factiva export “${archive.name}”: each of its ${archive.factiva} articles is an article of its own, with its title, outlet, author and date. Articles that cannot be read are listed after the import.`
      : archive && archive.many && /\.rtf$/i.test(archive.name)
        ? `RTF document “${archive.name}”: a LexisNexis or Factiva export saved as RTF gives an article for each of its documents, any other RTF document one article; its first line is the title.`
      : archive && archive.many && /\.pdf$/i.test(archive.name)
        ? `PDF “${archive.name}”: a Nexis Uni export saved as PDF gives an article for each of its results, any other PDF one article; title, outlet, author and date are read from the file.`
      : archive && archive.many
        ? `Word document “${archive.name}”: a Nexis Uni export gives an article for each of its results, any other Word document one article; title, outlet, author and date are read from the file.`
        : archive && archive.document
        ? `Document “${archive.name}”: one article; its text, title, outlet, author and date are read from the file.`
        : archive
          ? `Archive “${archive.name}”: each line or row is an article, with its own title, outlet, author and date. Records that cannot be read are listed after the import.`
          : "";
    for (const input of [title, source, author, date, text]) input.disabled = Boolean(page || archive);
    text.required = !page && !archive;
    submit.textContent = archive && (!archive.document || archive.many) ? "Import articles" : "Add article";
  }
  file.addEventListener("change", async () => {
    const chosen = file.files && file.files[0];
    if (!chosen) {
      useFile(null);
      return;
    }
    // a page saved as one file (.mhtml, .mht) goes as `html` too: the server takes its page part
    if (/\.(?:html?|mht(?:ml)?)$/i.test(chosen.name) || chosen.type === "text/html" || chosen.type === "multipart/related") {
      const html = decodePage(new Uint8Array(await chosen.arrayBuffer()));
      const articles = /\.html?$/i.test(chosen.name) ? factivaArticles(html) : 0;
      if (articles) {
        // a Factiva export of many articles: imported, each its own article
        useFile(null, { name: chosen.name, content: html, factiva: articles });
        return;
      }
      useFile({ name: chosen.name, html });
    } else if (ARCHIVE_NAME.test(chosen.name)) {
      useFile(null, { name: chosen.name, content: decodeTextFile(new Uint8Array(await chosen.arrayBuffer())) });
    } else if (/\.rtf$/i.test(chosen.name) || (!TEXT_NAME.test(chosen.name) && !chosen.type.startsWith("text/"))) {
      // no text (a PDF), or an RTF document (its type may be text/rtf, but its text is markup
      // the server reads): sent as it is; the server says which kinds of document it reads
      const bytes = new Uint8Array(await chosen.arrayBuffer());
      // a Word document, a PDF or an RTF document may be an export of many articles
      // (LexisNexis): the server tells one by its content and imports each article
      const many = /\.(?:docx|pdf|rtf)$/i.test(chosen.name);
      useFile(null, { name: chosen.name, contentBase64: base64Of(bytes), document: true, many });
    } else {
      const content = decodeTextFile(new Uint8Array(await chosen.arrayBuffer()));
      const documents = /\.txt$/i.test(chosen.name) ? nexisTextDocuments(content) : 0;
      if (documents) {
        // a LexisNexis export of many articles: imported, each its own article
        useFile(null, { name: chosen.name, content, nexis: documents });
        return;
      }
      useFile(null);
      // read in the browser; sent as `text`
      text.value = content;
    }
  });
  const [keyRow, readAdminKey] = adminKeyRow("new-admin-key");
  const errors = el("div");
  const submit = el("button", "primary", "Add article");
  submit.type = "submit";
  const cancel = button("link-button", "Cancel", () => showList());
  const actions = el("div", "form-actions");
  actions.append(submit, cancel);
  form.addEventListener("keydown", (event) => {
    // as Cancel, not while adding or importing (an import sent cannot be called back)
    if (event.key === "Escape" && !submit.disabled && !cancel.disabled) cancel.click();
  });
  const legend = el("h3", "form-heading", "Add an article");
  legend.tabIndex = -1;
  form.append(
    legend,
    field("Title", title, "optional: the headline"),
    field("Outlet", source, "optional: publisher or agency"),
    field("Author", author, "optional: the name or names, as they would follow “By”"),
    field("Date", date, "optional: 2024-10-21 or Oct. 21, 2024"),
    field("Text", text, "paragraphs separated by a blank line"),
    field("…or load a .txt or Markdown (.md) file (a LexisNexis .txt export gives an article for each of its documents), a saved web page (.html, .mhtml; a Factiva export saved as .html gives each of its articles), an article saved as PDF or a Nexis Uni export saved as PDF (.pdf), an RTF document or a LexisNexis or Factiva export saved as RTF (.rtf), a Word document or Nexis Uni export (.docx) or an archive export (.jsonl, .json, .csv, .tsv; a feed or WordPress export, .xml)", file),
    pageNote,
    keyRow,
    errors,
    actions,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!readAdminKey()) {
      keyRow.hidden = false;
      errors.replaceChildren(alertBox("Enter the admin API key to add articles."));
      keyRow.querySelector("input").focus();
      return;
    }
    if (archive) {
      await importArchive(archive, submit, cancel, errors, keyRow);
      return;
    }
    const payload = page ? { html: page.html } : { text: text.value };
    const fields = [["title", title], ["source", source], ["author", author], ["date", date]];
    for (const [name, input] of page ? [] : fields) {
      if (input.value.trim()) payload[name] = input.value.trim();
    }
    submit.disabled = true;
    submit.textContent = "Adding… (indexing it)";
    let added;
    let status;
    try {
      ({ status, data: added } = await requestJSON("/documents", {
        method: "POST",
        admin: true,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(payload),
      }));
    } catch (error) {
      showAdminError(errors, keyRow, error);
      submit.disabled = false;
      submit.textContent = "Add article";
      return;
    }
    documentsChanged();
    await openArticle(added.doc_id);
    // 201: added; 200: the server already had this article as sent (a retry, or added
    // elsewhere), and opened is the one it has, which nothing changed
    const said =
      status === 200
        ? "Already indexed: this article was there as sent, so nothing was added or changed."
        : "Added and indexed: it can be asked about now.";
    const view = body.querySelector(".article-view");
    if (!view) return;
    const line = el("p", "panel-message", said);
    view.insertBefore(line, view.children[1] || null);
    const notes = addedNotes(added, { [added.doc_id]: added.title }, (opener) => [
      "← Back to the article added",
      () => showAt(view, opener),
    ]);
    if (!notes) return; // the focus stays on the article's title, as openArticle left it
    line.after(notes);
    if (Array.isArray(added.look_alikes) && added.look_alikes.length) {
      // look-alikes need the reader's action (open one, delete one): the line is read out
      // first, "… see below", and the notes' buttons come next (the title is below them)
      line.append(" ", lookAlikesSaid(added, { one: true }));
      line.tabIndex = -1;
      line.focus({ preventScroll: true });
      return;
    }
    // the server's other warnings ask for nothing to be done: the focus stays on the title,
    // where the article is read and asked about, and the line and the warnings are read out
    // with it as its description (they stand above it, where reading on would not reach)
    const heading = view.querySelector(".article-heading");
    if (!heading) return;
    // the notes' parts, not the box, whose name is its heading alone (aria-labelledby)
    const parts = [line, ...notes.children];
    parts.forEach((part, n) => {
      if (!part.id) part.id = `added-notes-${notesShown}-part-${n}`;
    });
    heading.setAttribute("aria-describedby", parts.map((part) => part.id).join(" "));
  });
  show(form, legend);
}

const ARCHIVE_NAME = /\.(jsonl|json|csv|tsv|xml|rss|atom)$/i;
const NEXIS_MARKER = /^\s*(?:(\d+) of (\d+) DOCUMENTS?|Dokument (\d+) von (\d+)|Document (\d+) de (\d+))\s*$/;
const NEXIS_LENGTH = /^\s*(?:LENGTH|LÄNGE|LONGUEUR):/m;

/** How many documents a text holds when it is a classic LexisNexis export, else 0: its lines
 * "N of M DOCUMENTS" number the items one after another, all of the same M, and an item has a
 * LENGTH: line (the server tells an export by the same rule: qa/nexis_text.py). */
function nexisTextDocuments(content) {
  const numbers = [];
  let total = null;
  for (const line of content.split(/\r\n|\r|\n/)) {
    const found = NEXIS_MARKER.exec(line);
    if (!found) continue;
    const [number, of] = found.slice(1).filter(Boolean).map(Number);
    if (total === null) total = of;
    const expected = numbers.length ? numbers[numbers.length - 1] + 1 : number;
    if (of !== total || number !== expected || number < 1 || number > of) return 0;
    numbers.push(number);
  }
  return numbers.length && NEXIS_LENGTH.test(content) ? numbers.length : 0;
}
const TEXT_NAME = /\.(txt|text|md|markdown)$/i;
const FACTIVA_ARTICLE = /^article [a-z]{2}Article$/;
// an accession number alone or after its label, in any script: the server's pattern
// (qa/factiva.py: CLOSER_LABEL, ACCESSION), so the page sends to the import what the server reads
// as an export: "Document …", "Документ: …", "N° de document …", "文档：…" or "文档WSJ…"
const FACTIVA_LABEL_WORD = String.raw`\p{L}[\p{L}\p{M}°º-]{1,24}\.?`;
const FACTIVA_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff";
const FACTIVA_LABEL =
  String.raw`(?:(?:${FACTIVA_LABEL_WORD}\s+){0,2}${FACTIVA_LABEL_WORD}\s*[:：]?\s+` +
  String.raw`|(?:${FACTIVA_LABEL_WORD}\s+){0,2}${FACTIVA_LABEL_WORD}\s*[:：]\s*` +
  String.raw`|[${FACTIVA_CJK}]{1,8}\s*[:：]?\s*)`;
const FACTIVA_ACCESSION = new RegExp(
  String.raw`^${FACTIVA_LABEL}?[A-Za-z0-9]{8}(?:19|20)\d{2}[01]\d[0-3]\d[A-Za-z0-9]{9}$`,
  "u",
);

/** An element's text as one line, as the server reads it. */
function oneLine(element) {
  return element.textContent.replace(/\s+/g, " ").trim();
}

/** How many articles a saved page holds when it is a Factiva export, else 0: its divs of class
 * "article xxArticle", when one of them gives an accession number, in its table's AN row or as
 * its closing "Document …" line (the server tells an export by the same rule: qa/factiva.py). */
function factivaArticles(html) {
  if (!html.includes("articleParagraph")) return 0;
  // parsed as a template's content: inert, so its style sheets are not applied (a DOMParser
  // document would apply them, which the page's Content Security Policy refuses)
  const page = document.createElement("template");
  page.innerHTML = html;
  const articles = [...page.content.querySelectorAll("div")].filter((div) =>
    FACTIVA_ARTICLE.test((div.getAttribute("class") || "").trim().split(/\s+/).join(" ")),
  );
  const numbered = (div) =>
    [...div.querySelectorAll("tr")].some((row) => {
      const cells = [...row.children].filter((cell) => cell.matches("td, th"));
      return cells.length >= 2 && oneLine(cells[0]) === "AN" && FACTIVA_ACCESSION.test(oneLine(cells[1]));
    }) ||
    [...div.querySelectorAll("p, div")].some((line) => !line.getAttribute("class") && FACTIVA_ACCESSION.test(oneLine(line)));
  return articles.some(numbered) ? articles.length : 0;
}

/** A file's bytes in base64, as `content_base64` takes them (in pieces: one call of
 * String.fromCharCode on a whole file would pass too many arguments). */
function base64Of(bytes) {
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(binary);
}

/** Send an archive export to POST /documents/import, then say what it did: the articles added
 * (each opens), those already indexed, and each record refused with the server's reason. */
// the Add form of the import this page is running, until the server answers it: "Add an
// article" shows it again rather than a new form, which the import's report would replace
let importing = null;

async function importArchive(archive, submit, cancel, errors, keyRow) {
  importing = submit.form;
  try {
    await runImport(archive, submit, cancel, errors, keyRow);
  } finally {
    importing = null;
  }
}

async function runImport(archive, submit, cancel, errors, keyRow) {
  submit.disabled = true;
  submit.textContent = archive.document && !archive.many ? "Adding… (indexing it)" : "Importing… (indexing the articles)";
  const progress = importProgress(submit.closest(".form-actions") || submit, archive, cancel);
  let report;
  try {
    report = await fetchJSON("/documents/import", {
      method: "POST",
      admin: true,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(
        archive.document
          ? { name: archive.name, content_base64: archive.contentBase64 }
          : { name: archive.name, content: archive.content },
      ),
    });
  } catch (error) {
    progress.stop();
    showAdminError(errors, keyRow, error);
    if (error.status === undefined) {
      // the connection dropped (no answer): the server imports the whole export all the same
      errors.append(
        el(
          "p",
          "hint import-maybe-running",
          `The server may still be importing “${archive.name}”: sending it again is safe. While ` +
            "that import runs it is refused at once, naming it; once it is done the articles " +
            "already indexed are reported as such, not added twice.",
        ),
      );
    }
    submit.disabled = false;
    submit.textContent = archive.document && !archive.many ? "Add article" : "Import articles";
    // no record could be imported, some for an id indexed with other content: the same offer
    const form = submit.form;
    const otherwise = indexedOtherwise(error.problem && error.problem.indexed_otherwise, (open) => [
      "← Back to the form",
      () => showAt(form, open),
    ]);
    if (otherwise) errors.append(otherwise);
    return;
  }
  progress.stop();
  if (report.added.length) documentsChanged();
  const view = el("div", "import-report");
  const heading = el("h3", "form-heading", `Imported from “${archive.name}”`);
  heading.tabIndex = -1;
  const said = [
    `${count(report.added.length, "article", "articles")} added and indexed`,
    report.unchanged.length ? `${count(report.unchanged.length, "was", "were")} already indexed as sent` : "",
    report.not_imported ? `${count(report.not_imported, "record", "records")} not imported` : "",
  ].filter(Boolean);
  const summaryLine = el("p", "panel-message", `${said.join("; ")}.`);
  summaryLine.setAttribute("role", "status");
  view.append(heading, summaryLine);
  const titles = Object.fromEntries(report.added.map((doc) => [doc.doc_id, doc.title]));
  const notes = addedNotes(report, titles, (opener) => [
    "← Back to the import",
    () => showAt(view, opener),
  ]);
  if (notes) {
    summaryLine.append(" ", lookAlikesSaid(report));
    view.append(notes);
  }
  if (report.added.length) {
    const added = el("ul", "articles-list");
    for (const doc of report.added) added.append(listItem(doc));
    view.append(added);
  }
  if (report.refused.length) {
    view.append(el("p", "hint", "Not imported, and why:"));
    const refused = el("ul", "import-refused");
    for (const reason of report.refused) refused.append(el("li", null, reason));
    view.append(refused);
  }
  const otherwise = indexedOtherwise(report.indexed_otherwise, (open) => ["← Back to the import", () => showAt(view, open)]);
  if (otherwise) view.append(otherwise);
  view.append(button("link-button", "Back to the articles", () => showList()));
  // the summary line is a status, read out wherever the focus is; the heading takes the focus
  // only from a reader still with the panel, not from one asking questions meanwhile; either
  // way the panel shows the report from its top, the heading and the summary (`show`)
  show(view, focusInPanel() ? heading : null);
}

/** Records refused because their id is indexed with other content (an earlier version of the
 * record, most likely; `ids`, POST /documents/import's `indexed_otherwise`): the reason names
 * the API's DELETE, so the page offers to open each such article, whose "Delete this article…"
 * frees the id for the export imported again (its back button `backTo(button)`); null when
 * there is none. */
function indexedOtherwise(ids, backTo) {
  const otherwise = Array.isArray(ids) ? ids : [];
  if (!otherwise.length) return null;
  const box = el("div", "indexed-otherwise");
  const many = otherwise.length > 1;
  box.append(
    el(
      "p",
      "hint",
      `${many ? `${otherwise.length} records above have ids` : "A record above has the id"} of ` +
        `${many ? "articles" : "an article"} indexed with other content (an earlier version, most likely). ` +
        `To import ${many ? "them" : "it"} instead, open ${many ? "each such article" : "that article"}, ` +
        "delete it, and import the export again.",
    ),
  );
  const actions = el("div", "look-alike-actions");
  for (const docId of otherwise) {
    // deleted since the import was refused (here, in another tab, by a colleague): the record
    // refused for its id can now be imported, which is what the reader came to do
    const gone =
      `The article ${docId} is no longer indexed (it was deleted since): the record refused for ` +
      "its id can now be imported. Import the export again.";
    const open = button("link-button", `Open the indexed article ${docId}`, () =>
      openArticle(docId, { back: backTo(open), gone }),
    );
    actions.append(open);
  }
  box.append(actions);
  return box;
}

let notesShown = 0; // each notes box's heading has an id of its own

/** What the server noted about the articles a request added (POST /documents, POST
 * /documents/import), or null when it noted nothing: first each added article that looks like
 * one indexed already (its web address, or, with none, its headline, outlet and date), said in
 * the reader's words, with a button opening each of those (where "Delete this article…" is,
 * its back button `backTo(button)`); then the server's other warnings as it words them.
 * `titles`: the added articles' titles by id. */
function addedNotes(response, titles, backTo) {
  const lookAlikes = Array.isArray(response.look_alikes) ? response.look_alikes : [];
  const told = new Set(lookAlikes.map((found) => found.warning));
  const rest = (Array.isArray(response.warnings) ? response.warnings : []).filter((w) => !told.has(w));
  if (!lookAlikes.length && !rest.length) return null;
  const box = el("section", "added-notes");
  const title = el("h4", "added-notes-heading", "Check before asking");
  title.id = `added-notes-${++notesShown}`;
  box.setAttribute("aria-labelledby", title.id);
  box.append(title);
  if (lookAlikes.length) {
    const found = el("ul", "look-alikes");
    for (const lookAlike of lookAlikes) found.append(lookAlikeItem(lookAlike, titles, backTo));
    box.append(found);
  }
  if (rest.length) {
    box.append(el("p", "hint", lookAlikes.length ? "The server also noted:" : "The server noted:"));
    const noted = el("ul", "added-warnings");
    for (const warning of rest) noted.append(el("li", null, warning));
    box.append(noted);
  }
  return box;
}
/** "1 added article looks like one indexed already: see below." (or "" when none does; "It
 * looks like …" of the one article a form added). */
function lookAlikesSaid(response, { one = false } = {}) {
  const n = Array.isArray(response.look_alikes) ? response.look_alikes.length : 0;
  if (!n) return "";
  if (one) return "It looks like an article indexed already: see below.";
  return `${count(n, "added article looks", "added articles look")} like ${n > 1 ? "ones" : "one"} indexed already: see below.`;
}

function lookAlikeItem(lookAlike, titles, backTo) {
  const item = el("li", "look-alike");
  const others = Array.isArray(lookAlike.others) ? lookAlike.others : [];
  const name = quotedTitle(titles[lookAlike.doc_id] || lookAlike.doc_id);
  // the server lists the first few and counts the rest (`more`)
  const total = others.length + (Number.isInteger(lookAlike.more) ? lookAlike.more : 0);
  const them = total > 1 ? `${total} articles indexed already` : "an article indexed already";
  const what =
    lookAlike.shares === "url"
      ? `${name} has the same web address as ${them}: the same page saved again, or another version of it.`
      : `${name} has the same headline, outlet and date as ${them}, and ${total > 1 ? "none" : "neither"} has a web address: ` +
        "an edited version, or the same story sent again.";
  item.append(
    el(
      "p",
      null,
      total > 1
        ? `${what} All are kept, so answers may quote any of them: open each to compare, and delete those you do not want.` +
            (total > others.length ? ` The first ${others.length} are listed here; the Articles tab lists them all.` : "")
        : `${what} Both are kept, so answers may quote either: open it to compare, and delete the one you do not want.`,
    ),
  );
  const actions = el("div", "look-alike-actions");
  others.forEach((otherId, at) => {
    const label = total > 1 ? `Open the indexed article ${at + 1} of ${total}` : "Open the indexed article";
    const open = button("link-button", label, () => openArticle(otherId, { back: backTo(open) }));
    open.title = otherId; // its id, as the API and a saved conversation's footnotes name it
    actions.append(open);
  });
  item.append(actions);
  return item;
}

// ---- wiring ---------------------------------------------------------------------------------

addButton.addEventListener("click", () => {
  selectTab("articles");
  if (importing) show(importing, importing.querySelector(".form-heading"));
  else showAddForm();
});
document.addEventListener(DOCUMENTS_CHANGED, () => {
  if (listView.isConnected) loadList();
});
// Back from the background (articles may have changed elsewhere meanwhile), a list of one page is
// read again with its filter; a longer one, paged by hand, keeps its place until the next change.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && listView.isConnected && shown <= PAGE_SIZE) loadList();
});
show(listView);
loadList();
