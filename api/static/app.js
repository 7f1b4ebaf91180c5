// The chat page: asks POST /ask/stream, shows the answer's words as they arrive, then renders
// the final answer with clickable [n] citation markers and shows the cited paragraph (and its
// whole article) in the source panel. An answered turn can be copied as Markdown, its sources
// as footnotes. A conversation may ask only about one article (its scope, chosen with "Ask
// about this article" in the documents panel or in the source view): a chip by the question box
// says so, and each question is then sent with `doc_ids`. It may also ask only of articles
// dated within a range ("Dates" by the question box), sent as `date_from` and `date_to`.
//
// Safety rule for this file: model and article text is only ever inserted as text
// (textContent, createTextNode, Element.append(string)), never through innerHTML. An article's
// address becomes a link only when it is an absolute http(s) URL (addressLink), opened with
// rel="noopener noreferrer".
import {
  ASK_ABOUT,
  DOCUMENTS_CHANGED,
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
  parseJSON,
  problemError,
  quotedTitle,
  readKey,
  readKeyForm,
  withKey,
} from "./common.js";
import {
  ISO_DATE,
  asDates,
  asScope,
  clearTurns,
  loadDates,
  loadScope,
  loadTurns,
  saveDates,
  saveScope,
  saveTurns,
} from "./conversation-store.js";
import { TAB_SELECTED, selectTab } from "./tabs.js";

(() => {
  const MARKER = /\[(\d+)\]/;
  const CLOSEST_SHOWN = 3;
  const NARROW = window.matchMedia("(max-width: 860px)");
  const PHONE = window.matchMedia("(max-width: 520px)"); // style.css's narrowest layout
  const REDUCED_MOTION = window.matchMedia("(prefers-reduced-motion: reduce)");

  const form = document.getElementById("ask-form");
  // the sticky question box's height, for the room style.css keeps above it when focus or a
  // new answer is scrolled into view: its chips, notices and the dates form make it taller
  const askBar = document.querySelector(".ask-bar");
  // what stands above the box (notice, chips, the dates form): past 40 % of the window it
  // scrolls within the bar (style.css), and an edge under it then says so
  const askExtras = askBar.querySelector(".ask-extras");
  function markExtrasScroll() {
    askExtras.classList.toggle("scrolls", askExtras.scrollHeight > askExtras.clientHeight + 1);
  }

  /** Where what stands above the question box scrolls within the bar, bring `part` of it into
   * view there whole, or as much of it as fits below the top of `from` (`part` itself unless
   * given: a field to keep in view). Only that box scrolls, never the page. */
  function showAboveTheBox(part, from = part) {
    markExtrasScroll();
    const top = askExtras.getBoundingClientRect().top + askExtras.clientTop;
    const below = part.getBoundingClientRect().bottom - (top + askExtras.clientHeight);
    if (below > 0) askExtras.scrollTop += Math.min(below, from.getBoundingClientRect().top - top);
  }

  const askBarSize = new ResizeObserver(() => {
    document.documentElement.style.setProperty("--ask-bar-height", `${askBar.offsetHeight}px`);
    markExtrasScroll();
  });
  askBarSize.observe(askBar);
  askBarSize.observe(askExtras);
  const input = document.getElementById("question");
  const askButton = document.getElementById("ask");
  const conversation = document.getElementById("conversation");
  const emptyState = document.getElementById("empty-state");
  const panel = document.getElementById("source-panel");
  const panelHeading = document.getElementById("source-heading");
  const panelBody = document.getElementById("source-body");
  const backButton = document.getElementById("panel-back");
  const corpusInfo = document.getElementById("corpus-info");
  const sourceView = document.getElementById("source-view");

  // A server with a read API key refuses questions without it (401); the page then asks for
  // the key once and keeps it for this tab only (sessionStorage, see common.js).
  function rememberKey(key) {
    readKey.set(key);
    documentsChanged(); // the documents panel, the article cache and the examples load again
  }

  let busy = false;
  let activeTrigger = null; // the marker or button whose source the panel shows
  let panelToken = 0; // guards against a slow document fetch overwriting a newer panel
  let recheckSource = () => {}; // the Source view's article asked for again (openPanel)
  const documents = new Map(); // doc_id -> Promise<document>

  function scrollBehavior() {
    return REDUCED_MOTION.matches ? "auto" : "smooth";
  }

  /** "Outlet · by author · date · paragraph N" for a paragraph (a citation, a closest one):
   * which article, and where in it, counted from 1 as the search results, the Markdown copy
   * and the /v1 Sources list count them. */
  function metaLine(item) {
    const author = item.author ? `by ${item.author}` : "";
    const date = item.date ? formatDate(item.date) : "date unknown";
    const where = Number.isInteger(item.index) ? `paragraph ${item.index + 1}` : "";
    return [item.source, author, date, where].filter(Boolean).join(" · ");
  }

  /** The article's address as http(s) URL text, or "" for anything else (javascript:, data:…). */
  function safeAddress(value) {
    if (typeof value !== "string" || !value) return "";
    let url;
    try {
      url = new URL(value);
    } catch {
      return "";
    }
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : "";
  }

  /** A link to the article's address (opens in a new tab), or null when it has none. */
  function addressLink(item, className) {
    const href = safeAddress(item && item.url);
    if (!href) return null;
    const link = el("a", className, href);
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    link.title = "Open the article where it was published";
    return link;
  }

  /**
   * Append `text` to `parent` with characters start..end (code points, clamped to the text)
   * wrapped in <mark>. Returns the <mark>, or null when the span is missing or empty.
   */
  function appendHighlighted(parent, text, start, end) {
    const length = Array.from(String(text ?? "")).length;
    const s = Number.isInteger(start) ? Math.max(0, Math.min(start, length)) : 0;
    const e = Number.isInteger(end) ? Math.max(s, Math.min(end, length)) : s;
    return appendMarked(parent, text, [[s, e]])[0] ?? null;
  }

  // ---- the answer as Markdown -----------------------------------------------------------------

  const MARKERS = /\[(\d+)\]/g;
  const COPIED_FOR_MS = 2000;

  /** One line of footnote text: runs of whitespace (newlines included) become one space. */
  function oneLine(value) {
    return String(value ?? "").replace(/\s+/g, " ").trim();
  }

  // what can start inline Markdown in a line of text: emphasis (* _), a code span (` , as in an
  // old wire story's ``quotes''), a link or footnote reference ([ ]), raw HTML or an autolink
  // (<), strikethrough (~), a table cell (|), the backslash itself; and a character reference
  const INLINE_MARKUP = /[\\`*_[\]<~|]|&(?=#?\w+;)/g;
  // in an answer's words: a citation marker "[1]" (its number captured), or what `markdownText` escapes
  const ANSWER_TOKENS = /\[(\d+)\]|[\\`*_[\]<~|]|&(?=#?\w+;)/g;
  // what makes a line a heading, a quote, a list item or a setext underline where it starts it
  const BLOCK_START = /^(#{1,6}(?=\s|$)|>|[-+](?=\s|$|-)|=+\s*$|\d{1,9}(?=[.)](?:\s|$)))/;

  /**
   * `value` on one line, written so that Markdown shows it as it is: an article's words
   * ("``quoted''", "*", "_", "[1]", "<b>") never turn into code, emphasis, links or HTML.
   */
  function markdownText(value) {
    return oneLine(value).replace(INLINE_MARKUP, "\\$&");
  }

  /** A line of Markdown text not taken for a heading, a quote or a list item ("1. In a wok"). */
  function paragraphLine(line) {
    return line.replace(BLOCK_START, (mark) => (/^\d/.test(mark) ? `${mark}\\` : `\\${mark}`));
  }

  /**
   * The supporting span of a citation (code points, as the offsets come from Python), or the
   * whole paragraph when the span is missing or empty.
   */
  function supportingText(citation) {
    const chars = Array.from(String(citation.text ?? ""));
    const start = citation.span_start;
    const end = citation.span_end;
    if (Number.isInteger(start) && Number.isInteger(end)) {
      const s = Math.max(0, Math.min(start, chars.length));
      const e = Math.max(s, Math.min(end, chars.length));
      const span = chars.slice(s, e).join("");
      if (span.trim()) return span;
    }
    return chars.join("");
  }

  // what a quote lacks, by the kind of answer asked for (`asked_kind`), when `holds_asked_kind` is false
  const KIND_NOUNS = {
    number: "number",
    duration: "length of time",
    date: "date",
    year: "year",
    time: "time or date",
  };

  /** The noun for what an answer's quote lacks, or "" when it holds what was asked for. */
  function lackingKind(data) {
    if (!data || data.holds_asked_kind !== false) return "";
    return Object.prototype.hasOwnProperty.call(KIND_NOUNS, data.asked_kind) ? KIND_NOUNS[data.asked_kind] : "";
  }

  /**
   * An answer's short answer (`short_answer`) and the words the page puts before it: a reading
   * of the quote to check there, or, when a citation is a detail of the article (its author,
   * date, source), that detail, which is no reading of a quote; null when it has none.
   */
  function shortAnswerLead(data) {
    const short = data && typeof data.short_answer === "string" ? data.short_answer.trim() : "";
    if (!short) return null;
    const citations = Array.isArray(data.citations) ? data.citations : [];
    const told = citations.some((c) => detailText(c));
    return { short, label: told ? "From the article's details: " : "Likely answer (check it in the quote): " };
  }

  /** A cited or listed paragraph's article in a saved note: its title in italics, outlet, date
   * and address, the missing ones left out. */
  function articleParts(paragraph) {
    const title = markdownText(paragraph && paragraph.title);
    const address = safeAddress(paragraph && paragraph.url);
    return [
      title ? `*${title}*` : "",
      markdownText(paragraph && paragraph.source),
      oneLine(paragraph && paragraph.date),
      address ? `<${address}>` : "",
    ].filter(Boolean);
  }

  /** Where a paragraph stands in a saved note: its article's id, its number counted from 1 and
   * its id, which finds it again later (GET /paragraphs/{id}) when its number has moved because
   * paragraphs were added before it. */
  function placeInArticle(paragraph) {
    const where = [];
    if (!paragraph) return where;
    if (paragraph.doc_id !== undefined && paragraph.doc_id !== null && paragraph.doc_id !== "") {
      where.push(`doc ${oneLine(paragraph.doc_id)}`);
    }
    if (Number.isInteger(paragraph.index)) where.push(`paragraph ${paragraph.index + 1}`);
    if (paragraph.paragraph_id) where.push(`id ${oneLine(paragraph.paragraph_id)}`);
    return where;
  }

  /**
   * An answer (the `done` body, the same JSON POST /ask returns) as Markdown: the question as
   * asked ("**Q:** …", so a note pasted elsewhere says what it answers), the answer text
   * with each cited [n] turned into a footnote reference [^n]; under it, as the page shows them,
   * the short answer ("Likely answer (check it in the quote): **…**") and, when the quote lacks
   * the kind asked for, a "> Note: the quoted sentence gives no number…" line; then one
   * footnote per citation:
   *   [^n]: *Title*, Source, Date — "supporting span" (doc <doc_id>, paragraph <index + 1>, id <paragraph_id>)
   * (paragraphs counted from 1, as the search results and the /v1 Sources list count them; the
   * id is what finds the paragraph again after the article changed, GET /paragraphs/{id})
   * Missing title/source/date are left out. A marker with no citation stays as written.
   * The result is text: nothing in it is rendered or escaped as HTML; the words (question, answer,
   * titles, quotes) are escaped for Markdown (`markdownText`), so a viewer shows them as written.
   */
  function answerToMarkdown(data, label = "") {
    const answer = String((data && data.answer) ?? "");
    const all = data && Array.isArray(data.citations) ? data.citations : [];
    const byMarker = new Map();
    for (const citation of all) {
      const marker = Number(citation && citation.marker);
      if (Number.isInteger(marker) && !byMarker.has(marker)) byMarker.set(marker, citation);
    }

    // the words escaped as `markdownText` does, each cited [n] a footnote reference (one with
    // no citation shown as written), a line not taken for a heading, quote or list item
    const body = answer
      .split("\n")
      .map((line) => oneLine(line))
      .filter(Boolean)
      .map((line) =>
        paragraphLine(
          line.replace(ANSWER_TOKENS, (whole, n) => {
            if (n === undefined) return `\\${whole}`;
            return byMarker.has(Number(n)) ? `[^${label}${Number(n)}]` : `\\[${n}\\]`;
          }),
        ),
      )
      .join("\n");
    const notes = [...byMarker.keys()]
      .sort((a, b) => a - b)
      .map((marker) => {
        const citation = byMarker.get(marker);
        const parts = articleParts(citation);
        // a detail of the article (its author, date, source) is said as such, not as a quote
        const quote = detailText(citation) || `"${markdownText(supportingText(citation))}"`;
        const where = placeInArticle(citation);
        let line = `[^${label}${marker}]: ${parts.length ? parts.join(", ") + " — " : ""}${quote}`;
        if (where.length) line += ` (${where.join(", ")})`;
        return line;
      });
    // what the page shows beside the quote, in one place under it: the short answer, then
    // what the quote lacks
    const lead = shortAnswerLead(data);
    const lacking = lackingKind(data);
    const text = [
      body.trimEnd(),
      lead ? `${lead.label}**${markdownText(lead.short)}**` : "",
      lacking ? `> Note: the quoted sentence gives no ${lacking}, which the question asks for; check whether it answers it.` : "",
    ]
      .filter(Boolean)
      .join("\n\n");
    const asked = oneLine(data && data.question);
    const head = asked ? `**Q:** ${markdownText(asked)}\n\n` : "";
    return notes.length ? `${head}${text}\n\n${notes.join("\n")}\n` : `${head}${text}\n`;
  }

  /**
   * A refusal as Markdown, for a researcher's notes that the articles were asked and did not
   * say: the question, the service's words and reason, then each closest paragraph listed
   * (all of them, the ones behind "Show more" too) with its article and where it stands.
   * Plain text, like `answerToMarkdown`.
   */
  function refusalToMarkdown(data) {
    const asked = oneLine(data && data.question);
    const lines = asked ? [`**Q:** ${markdownText(asked)}`, ""] : [];
    const said = markdownText(data && data.answer) || "The articles do not hold enough evidence to answer this.";
    lines.push(`**No answer.** ${said}`);
    const reason = markdownText(data && data.reason);
    if (reason) lines.push("", `Why: ${reason}`);
    const retrieved = data && Array.isArray(data.retrieved) ? data.retrieved : [];
    if (retrieved.length) {
      lines.push("", "Closest paragraphs:", "");
      retrieved.forEach((item, i) => {
        const parts = articleParts(item);
        const where = placeInArticle(item);
        let line = `${i + 1}. ${parts.length ? parts.join(", ") + " — " : ""}"${markdownText(item && item.text)}"`;
        if (where.length) line += ` (${where.join(", ")})`;
        lines.push(line);
      });
    }
    return `${lines.join("\n")}\n`;
  }

  /**
   * What a citation's claim rests on when it states a detail of the article (its author, date
   * or source, as its file or page gives them) rather than words of the paragraph: "the
   * article's author: Mira Hale"; "" for any other citation.
   */
  function detailText(citation) {
    const name = citation && typeof citation.detail === "string" ? citation.detail : "";
    if (!["author", "date", "source"].includes(name)) return "";
    const value = name === "date" ? formatDate(citation.date) : citation[name];
    return `the article's ${name}: ${markdownText(value)}`;
  }

  /** Put `text` on the clipboard; resolves to whether it worked. */
  async function copyText(text) {
    if (navigator.clipboard && typeof navigator.clipboard.writeText === "function") {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch {
        // not allowed here (no permission, not a secure context): try the old way
      }
    }
    return copyWithTextarea(text);
  }

  function copyWithTextarea(text) {
    const focused = document.activeElement;
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.tabIndex = -1;
    area.className = "copy-buffer";
    document.body.append(area);
    area.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
    area.remove();
    if (focused && typeof focused.focus === "function") focused.focus({ preventScroll: true });
    return copied;
  }

  function copyMarkdownButton(data, toMarkdown = answerToMarkdown) {
    const label = "Copy as Markdown";
    const copy = button("copy-markdown", label);
    const refusal = toMarkdown === refusalToMarkdown;
    copy.title = refusal
      ? "Copy the question, why it has no answer and the closest paragraphs as Markdown"
      : "Copy the answer and its sources as Markdown";
    const status = el("span", "visually-hidden");
    status.setAttribute("role", "status");
    let timer = 0;
    copy.addEventListener("click", async () => {
      const copied = await copyText(toMarkdown(data));
      copy.textContent = copied ? "Copied" : "Copy failed";
      copy.classList.toggle("copied", copied);
      const what = refusal ? "the refusal" : "the answer";
      status.textContent = copied ? `Copied ${what} as Markdown.` : `Could not copy ${what}.`;
      clearTimeout(timer);
      timer = setTimeout(() => {
        copy.textContent = label;
        copy.classList.remove("copied");
        status.textContent = "";
      }, COPIED_FOR_MS);
    });
    const wrap = el("div", "answer-actions");
    wrap.append(copy, status);
    return wrap;
  }

  /**
   * The conversation as one Markdown document: when it was saved, then each question with its
   * answer and sources as footnotes (labelled by question, `[^2-1]`, so they stay apart in one
   * file), or why it has no answer and the closest paragraphs, or that it was not answered. A
   * follow-up says how it was read, and a question asked of one article or of dates says so.
   */
  function conversationToMarkdown(records, savedAt) {
    const blocks = [`# Questions asked of the articles\n\nSaved ${oneLine(savedAt)}.`];
    (Array.isArray(records) ? records : []).forEach((record, i) => {
      const head = [`**Q:** ${markdownText(record.question)}`];
      const data = record.kind === "answer" && record.data ? record.data : null;
      const notes = [];
      const rewritten = data ? oneLine(data.rewritten_question) : "";
      if (rewritten && rewritten !== oneLine(record.question)) notes.push(`read as “${markdownText(rewritten)}”`);
      const of = asScope(record.scope);
      if (of) notes.push(`asked only of ${markdownText(quotedTitle(of.title || of.doc_id))}`);
      const dates = asDates(record.dates);
      if (dates) {
        const span = [dates.from && `from ${dates.from}`, dates.to && `to ${dates.to}`].filter(Boolean).join(" ");
        notes.push(`asked only of articles dated ${span}`);
      }
      if (notes.length) head.push(`*(${notes.join("; ")})*`);
      let body;
      if (!data) {
        const why = record.kind === "error" && record.error ? oneLine(record.error.message) : "stopped before the answer came";
        // the message's own closing full stop is the sentence's ("Check it and try again.")
        body = `*Not answered: ${markdownText((why || "the request failed").replace(/[.\s]+$/, ""))}.*\n`;
      } else if (data.status === "insufficient_evidence") {
        body = refusalToMarkdown({ ...data, question: "" });
      } else {
        body = answerToMarkdown({ ...data, question: "" }, `${i + 1}-`);
      }
      blocks.push(`${head.join("\n")}\n\n${body.trimEnd()}`);
    });
    return `${blocks.join("\n\n---\n\n")}\n`;
  }

  window.groundedQa = Object.freeze({ answerToMarkdown, refusalToMarkdown, conversationToMarkdown, exampleQuestion });

  // ---- talking to the API -----------------------------------------------------------------

  /**
   * A Server-Sent Events parser: feed it decoded text with push(); it calls onEvent(name, data)
   * for every complete event (a blank line ends one). Lines may end in \r\n, \n or \r;
   * comment lines (": ping") and the id/retry fields are ignored.
   */
  function sseParser(onEvent) {
    let buffer = "";
    let name = "";
    let data = [];

    function dispatch() {
      if (data.length) onEvent(name || "message", data.join("\n"));
      name = "";
      data = [];
    }

    function line(text) {
      if (text === "") return dispatch();
      if (text.startsWith(":")) return;
      const colon = text.indexOf(":");
      const field = colon === -1 ? text : text.slice(0, colon);
      let value = colon === -1 ? "" : text.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") name = value;
      else if (field === "data") data.push(value);
    }

    return {
      push(chunk) {
        buffer += chunk;
        const ends = /\r\n|\r|\n/g;
        let start = 0;
        let match;
        while ((match = ends.exec(buffer))) {
          // a lone \r at the very end may be the first half of a \r\n split across chunks
          if (match[0] === "\r" && match.index === buffer.length - 1) break;
          line(buffer.slice(start, match.index));
          start = ends.lastIndex;
        }
        buffer = buffer.slice(start);
      },
      // At the end of the stream an event without its closing blank line is dropped (as the
      // SSE standard says), so a cut-off event is never taken for a complete one.
      end() {
        buffer = "";
        name = "";
        data = [];
      },
    };
  }

  /**
   * POST the question to /ask/stream and read the event stream (EventSource cannot POST), asked
   * only of the article `scope` when given (`doc_ids`), else of every article, and only of
   * articles dated within `dates` when given (`date_from`, `date_to`).
   * Calls onStatus(stage), onToken(text) and onCitation(citation) as events arrive, and
   * onHeard() whenever anything comes from the server (the response, any bytes of the stream,
   * its keep-alive comments included); resolves
   * with the `done`
   * body (the same JSON POST /ask returns), rejects with the problem detail of an HTTP error or
   * of an `error` event (or, once `signal` is aborted, with whatever the aborted fetch gives).
   */
  async function streamAnswer(question, { scope, dates, onStatus, onToken, onCitation, onHeard, signal }) {
    const request = { question, history: MAX_HISTORY > 0 ? history.slice(-MAX_HISTORY) : [] };
    if (scope) request.doc_ids = [scope.doc_id];
    if (dates && dates.from) request.date_from = dates.from;
    if (dates && dates.to) request.date_to = dates.to;
    let response;
    try {
      response = await fetch("/ask/stream", {
        method: "POST",
        headers: withKey({ "Content-Type": "application/json", Accept: "text/event-stream" }),
        body: JSON.stringify(request),
        signal, // Stop aborts the request; the server then drops or stops the question
      });
    } catch {
      throw new Error("Could not reach the server. Check that it is running and try again.");
    }
    onHeard();
    if (!response.ok) throw problemError(parseJSON(await response.text()), response);

    let outcome = null; // { done } or { error } once the stream has said how it ends
    const parser = sseParser((name, raw) => {
      if (outcome) return;
      const data = parseJSON(raw);
      if (data === null || typeof data !== "object") {
        outcome = { error: new Error("The server sent an event that could not be read.") };
      } else if (name === "status") {
        onStatus(data);
      } else if (name === "token") {
        onToken(String(data.text ?? ""));
      } else if (name === "citation") {
        onCitation(data);
      } else if (name === "done") {
        outcome = { done: data };
      } else if (name === "error") {
        outcome = { error: problemError(data) };
      }
    });

    const lost = "The connection to the server was lost before the answer was complete. Try again.";
    if (!response.body) {
      parser.push(await response.text()); // no streaming body: read it whole
    } else {
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      try {
        while (!outcome) {
          const { value, done } = await reader.read();
          if (done) break;
          onHeard();
          parser.push(decoder.decode(value, { stream: true }));
        }
        if (!outcome) parser.push(decoder.decode());
      } catch {
        if (!outcome) throw new Error(lost);
      } finally {
        if (outcome) reader.cancel().catch(() => {});
      }
    }
    parser.end();
    if (!outcome) throw new Error(lost);
    if (outcome.error) throw outcome.error;
    return outcome.done;
  }

  function loadDocument(docId) {
    if (!documents.has(docId)) {
      const request = fetchJSON(`/documents/${encodeURIComponent(docId)}`);
      request.catch(() => documents.delete(docId)); // do not cache failures
      documents.set(docId, request);
    }
    return documents.get(docId);
  }

  // ---- asking ------------------------------------------------------------------------------

  let controller = null; // aborts the question being answered (the Stop button)

  let stopShownAt = 0; // when Stop took the Ask button's place (performance.now())

  function setBusy(value) {
    busy = value;
    askButton.disabled = value;
    askButton.textContent = value ? "Asking…" : "Ask";
    const askHadFocus = value && document.activeElement === askButton;
    stopButton.hidden = !value;
    fitQuestion(); // Stop and Ask differ in width: what the box holds may wrap otherwise
    if (askHadFocus) stopButton.focus(); // Ask is disabled: focus would fall to the page
    if (value) stopShownAt = performance.now();
    form.setAttribute("aria-busy", value ? "true" : "false");
    if (!value) showNotice("");
  }

  // Earlier answered turns, sent with each question so follow-ups are read in context.
  const history = [];
  // the most earlier turns the server takes (server.max_history_turns, given with the page)
  const MAX_HISTORY = Number.isInteger(Number(input.dataset.maxHistory))
    ? Number(input.dataset.maxHistory)
    : 10;

  async function ask() {
    if (busy) {
      showBusyNotice();
      return;
    }
    // dates typed in the open Dates form are what the user sees: applied before asking, or,
    // when they cannot be, the form says why and nothing is asked
    if (!datesForm.hidden && !applyDates({ announce: false })) return;
    const question = input.value.trim();
    if (!question) {
      showNotice("Type a question first.");
      input.focus();
      return;
    }
    // over the server's limit: said here, as while typing, rather than sent to be refused
    const tooLong = overLimit(question);
    if (tooLong) {
      showNotice(tooLong);
      input.focus();
      return;
    }
    setBusy(true);
    announce(""); // what was said of the last answer is not left to be read as this one's
    emptyState.hidden = true;
    forgetCleared(); // the new chat has begun: the one New chat cleared is not offered back
    controller = new AbortController();
    const signal = controller.signal;
    const askedOf = scope; // a scope chosen or removed meanwhile is for the next question
    const askedIn = dates; // so are dates

    const turn = el("li", "turn");
    const asked = renderQuestion(question, askedOf, askedIn);
    const thinking = el("div", "thinking"); // not read out: the finished answer is (announce)
    const progress = el("span", "progress", "Sending the question…");
    const elapsed = el("span", "elapsed"); // how long it has taken so far, once that is a while
    thinking.append(el("span", "dots"), progress, elapsed);
    turn.append(asked, thinking);
    conversation.append(turn);
    setQuestion("");
    pending = { turn, question, scope: askedOf, dates: askedIn };
    turn.scrollIntoView({ behavior: scrollBehavior(), block: "end" });

    let current = thinking; // what the final answer or error replaces
    let draft = null; // the answer's text while it streams in
    const checked = new Map(); // marker -> citation, from the `citation` events
    const sentAt = performance.now(); // the time shown counts the wait in line too
    const clock = setInterval(() => {
      const seconds = Math.floor((performance.now() - sentAt) / 1000);
      if (seconds >= ELAPSED_SHOWN_AFTER_S) elapsed.textContent = `${seconds} s`;
    }, 1000);
    // a server that stopped, or a connection that dropped without a word, would leave the
    // question "Searching…" for ever: a stream sends a keep-alive comment every 15 s, so this
    // long without a byte means nothing more is coming
    let silent = false;
    let silence = 0;
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(() => {
        silent = true;
        controller.abort();
      }, SILENCE_LIMIT_S * 1000);
    };
    heard();
    try {
      const data = await streamAnswer(question, {
        scope: askedOf,
        dates: askedIn,
        signal,
        onHeard: heard,
        onStatus(stage) {
          progress.textContent = describeStage(stage, question);
        },
        onToken(text) {
          if (!draft) {
            const bubble = renderDraft();
            draft = bubble.querySelector(".answer-text");
            current.replaceWith(bubble);
            current = bubble;
          }
          draft.append(text);
        },
        onCitation(citation) {
          checked.set(Number(citation.marker), citation);
        },
      });
      const shown = withCheckedCitations(data, checked);
      const waitedMs = Math.round(performance.now() - sentAt);
      current.replaceWith(renderResponse(shown, waitedMs));
      if (turn.isConnected) announce(spokenAnswer(shown));
      keep(turn, withScope({ question, kind: "answer", data: shown, waited_ms: waitedMs }, askedOf, askedIn));
    } catch (caught) {
      const error = silent ? new Error(SILENT) : caught;
      if (signal.aborted && !silent) {
        current.replaceWith(renderStopped());
        if (turn.isConnected) announce(STOPPED);
        // to ask it again, or edit it, without retyping (not after New chat took the turn away)
        if (turn.isConnected && !input.value) setQuestion(question);
        keep(turn, withScope({ question, kind: "stopped" }, askedOf, askedIn));
      } else {
        if (articleGone(error, askedOf) && turn.isConnected) markScopeGone(askedOf);
        current.replaceWith(renderError(error, question, askedOf));
        if (!input.value) setQuestion(question); // let the user retry without retyping
        keep(turn, withScope({ question, kind: "error", error: errorRecord(error) }, askedOf, askedIn));
      }
    } finally {
      clearInterval(clock);
      clearTimeout(silence);
      controller = null;
      pending = null;
      setBusy(false);
      if (
        document.activeElement === document.body ||
        document.activeElement === askButton ||
        document.activeElement === stopButton
      ) {
        input.focus();
      }
      turn.scrollIntoView({ behavior: scrollBehavior(), block: "nearest" });
    }
  }

  // ---- stopping a question, and a question asked while one is answered ---------------------------

  const stopButton = document.getElementById("stop");
  const notice = document.getElementById("ask-notice");

  /** Abort the request being answered: the server drops the question or stops it at its next stage. */
  function stop() {
    if (controller) controller.abort();
  }

  // Stop appears where Ask was: the second click of a double click on Ask lands on it. That
  // click (the browser counts it as the second, `detail` 2) soon after Stop appeared is not a
  // decision to stop; a single click, or Enter or Space on the button, stops at once.
  const STOP_CLICK_GRACE_MS = 1000;

  let noticeTimer = 0;

  /** Say `text` under the question box (its role=status region reads it out); "" hides it.
   * `tone` "info" is for news that is not a problem (the scope changed). */
  function showNotice(text, tone = "warn") {
    clearTimeout(noticeTimer);
    notice.classList.toggle("info", Boolean(text) && tone === "info");
    if (!text) {
      notice.textContent = "";
      notice.hidden = true;
    } else if (notice.hidden) {
      // a live region shown and filled at once is not always read out: show it empty first
      notice.textContent = "";
      notice.hidden = false;
      noticeTimer = setTimeout(() => (notice.textContent = text), 50);
    } else {
      notice.textContent = text;
    }
  }

  // What a screen reader hears of a question: the finished answer (or that it was stopped),
  // once. The conversation is no live region, so the stages, the words as they stream in and
  // the draft are not read out one by one; aria-busy on it would silence them only in JAWS. An
  // error is read out by its own box (role=alert).
  const answerStatus = document.getElementById("answer-status");
  let announceTimer = 0;

  /** Say `text` through the visually hidden status region ("" clears it). */
  function announce(text) {
    clearTimeout(announceTimer);
    answerStatus.textContent = "";
    // set after a moment, so the same words said again are a change a screen reader reads
    if (text) announceTimer = setTimeout(() => (answerStatus.textContent = text), 50);
  }

  /** An answer in the words a screen reader says: its text without the [n] markers. */
  function spokenAnswer(data) {
    const words = String(data.answer ?? "").replace(/\s*\[\d+\]/g, "").replace(/\s+/g, " ").trim();
    if (data.status === "insufficient_evidence") {
      return `No answer: ${words || "the articles do not hold enough evidence to answer this."}`;
    }
    return `Answer: ${words}`;
  }

  /** A question asked while another is answered is never silently dropped: say why. */
  function showBusyNotice() {
    showNotice("An answer is still being worked out — Stop it first, or wait for it.");
  }

  const STOPPED = "You stopped this question before it was answered.";
  // a question taking this long shows how long it has taken so far
  const ELAPSED_SHOWN_AFTER_S = 5;
  // this long without a byte from the server (it sends a keep-alive comment every 15 s while it
  // works on a question, and gives up on one itself after server.request_timeout_s), the page
  // gives up waiting
  const SILENCE_LIMIT_S = 60;
  const SILENT =
    `No word from the server for ${SILENCE_LIMIT_S} seconds: it may have stopped, or the connection ` +
    "dropped. Check that it is running, then ask again.";

  function renderStopped(left = false) {
    const box = el("div", "stopped");
    const why = left
      ? "Not answered: the page was reloaded or closed while this question was worked out."
      : STOPPED;
    box.append(el("span", "speaker", "Stopped"), el("p", null, why));
    return box;
  }

  stopButton.addEventListener("click", (event) => {
    if (event.detail >= 2 && performance.now() - stopShownAt < STOP_CLICK_GRACE_MS) return;
    stop();
  });
  input.addEventListener("keydown", (event) => {
    if (busy && event.key === "Escape") {
      event.preventDefault();
      stop();
      return;
    }
    // Enter asks, as it did in a one-line box; Shift+Enter starts a new line, and the Enter that
    // ends an input method's composition (Japanese, Chinese…) only ends it
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    if (busy) showBusyNotice(); // Ask is disabled while an answer is worked out: say why
    else form.requestSubmit();
  });

  /** The question box as tall as what it holds: one line (rows=1), growing up to five
   * (style.css's max-height), past which it scrolls. An empty box is one line whatever its
   * placeholder, which wraps in the narrow box beside Stop on a phone. */
  function fitQuestion() {
    const pageAt = window.scrollY; // the page would jump while the box is briefly one line
    input.style.height = "";
    if (input.value && input.scrollHeight > input.clientHeight) {
      input.style.height = `${input.scrollHeight + input.offsetHeight - input.clientHeight}px`;
    }
    if (window.scrollY !== pageAt) window.scrollTo(window.scrollX, pageAt);
  }

  /** Put `text` in the question box (to ask it, or to ask it again), sized to it. */
  function setQuestion(text) {
    input.value = text;
    fitQuestion();
  }

  /** What is wrong with a question over the server's limit (server.max_question_chars, set on
   * the box when served and read when used: none, unknown, leaves the check to the server),
   * or "" when it is within it. Counted as the server counts: white space collapsed,
   * characters (not UTF-16 units). */
  function overLimit(question) {
    const maxChars = Number(input.dataset.maxChars) || 0;
    const length = [...question.trim().replace(/\s+/g, " ")].length;
    return maxChars && length > maxChars
      ? `${length} characters: the limit is ${maxChars}. Ask a shorter question.`
      : "";
  }
  input.addEventListener("input", () => {
    fitQuestion();
    showNotice(overLimit(input.value));
  });
  window.addEventListener("resize", fitQuestion); // narrower, it wraps onto more lines

  /** What the service is doing now, from a `status` event, in words (set as text, not HTML). */
  function describeStage(stage, question) {
    switch (stage.stage) {
      case "queued":
        return `Waiting: ${count(stage.ahead, "question", "questions")} ahead of yours…`;
      case "searching": {
        // the server collapses white space in the question; a rewrite differs in words
        const squeeze = (text) => text.replace(/\s+/g, " ").trim();
        const query = squeeze(String(stage.query ?? ""));
        return query && query !== squeeze(question)
          ? `Searching for “${query}”…`
          : "Searching the articles…";
      }
      case "reading":
        return `Reading ${count(stage.sentences, "candidate sentence", "candidate sentences")} from ${count(stage.articles, "article", "articles")}…`;
      case "writing":
        return `Wording the answer from ${count(stage.passages, "paragraph", "paragraphs")}…`;
      case "checking":
        return "Checking the citation against its paragraph…";
      default:
        return "Working…";
    }
  }

  // ---- rendering answers ---------------------------------------------------------------------

  function renderError(error, question, askedOf = null) {
    // an article gone is said in the reader's words alone (renderArticleGone): the server's
    // detail points API clients to GET /documents
    const gone = articleGone(error, askedOf);
    const box = el("div", "error");
    box.setAttribute("role", "alert");
    box.append(el("span", "speaker", error.title ? `Error — ${error.title}` : "Error"));
    if (error.status === 429) {
      // the queue is full: what to do, in the reader's words (the server's detail, which names
      // its setting, is for whoever runs it: kept as the message's tooltip)
      const when = error.retryAfter ? `in about ${count(error.retryAfter, "second", "seconds")}` : "in a moment";
      const busyText = el("p", null, `The service is busy answering other people's questions. Ask it again ${when}.`);
      if (error.message) busyText.title = error.message;
      box.append(busyText);
    } else if (error.status === 503 && error.title === "Shutting down") {
      // the server was stopped while the question waited: its detail names a setting
      const stopped = el("p", null, "The service was stopped before it could answer (it may be restarting). Ask the question again once it is back.");
      if (error.message) stopped.title = error.message;
      box.append(stopped);
    } else if (!gone) {
      box.append(el("p", null, error.message || "Something went wrong."));
    }
    if (error.status === 401) box.append(renderKeyForm(question));
    if (gone) box.append(renderArticleGone(question, askedOf));
    return box;
  }

  /** Whether `error` is the server's 422 for an article id it no longer has (deleted meanwhile)
   * on a question asked only of the article `askedOf`. */
  function articleGone(error, askedOf) {
    return Boolean(askedOf) && error.status === 422 && /no article has the id/i.test(error.message || "");
  }

  /** What happened in words, and the way out: stop asking only about that article, and ask
   * the question of every article. */
  function renderArticleGone(question, askedOf) {
    const wrap = el("div", "scope-gone");
    wrap.append(
      el(
        "p",
        null,
        `${quotedTitle(scopeName(askedOf))} is no longer among the indexed articles (it may have been deleted), ` +
          "so the question could not be asked of it.",
      ),
    );
    wrap.append(
      button("scope-gone-ask", "Ask all the articles instead", () => {
        if (busy) {
          showBusyNotice();
          return;
        }
        if (scope) {
          setScope(null); // as the button says, whichever article the chip names now
          showNotice("Asking all the articles again.", "info");
        }
        setQuestion(question);
        ask();
      }),
    );
    return wrap;
  }

  /** Asks for the server's read API key, then asks the question again with it. */
  function renderKeyForm(question) {
    const keyForm = readKeyForm("Use key and ask again", (key) => {
      if (busy) return;
      rememberKey(key);
      keyForm.replaceWith(el("p", "key-note", "Asked again with the key given."));
      setQuestion(question);
      ask();
    });
    return keyForm;
  }

  /** The bubble the words of an answer stream into; the rendered answer replaces it. */
  function renderDraft() {
    const box = el("div", "answer-draft");
    box.append(el("span", "speaker", "Answer"), el("p", "answer-text"));
    return box;
  }

  /** The `done` body with a citation marked unverified when its `citation` event said so. */
  function withCheckedCitations(data, checked) {
    if (!data || !Array.isArray(data.citations) || !checked.size) return data;
    const citations = data.citations.map((citation) => {
      const event = checked.get(Number(citation && citation.marker));
      return event && event.verified === false ? { ...citation, verified: false } : citation;
    });
    return { ...data, citations };
  }

  /** An answer or a refusal; `waitedMs`, when known, is how long the page waited for it. */
  function renderResponse(data, waitedMs) {
    const box =
      data.status === "insufficient_evidence" ? renderInsufficient(data) : renderAnswer(data, waitedMs);
    const claims = Array.isArray(data.removed_claims) ? data.removed_claims : [];
    const withheld = typeof data.quoted_instead === "string" && data.quoted_instead;
    if (claims.length || withheld) {
      // claims the citation check took out: shown struck through, never as part of the answer
      const removed = el("div", "removed-claims");
      removed.append(
        el(
          "p",
          "removed-label",
          withheld // generate mode: the model's answer was withheld, the article quoted instead
            ? `The model's answer was withheld (${withheld}); the answer above quotes the article instead.${claims.length ? " What it wrote:" : ""}`
            : // a sentence is taken out when no paragraph it cites supports it, and when it
              // cites none (each needs its own [n]): the list cannot say which, so both are said
              claims.length === 1
              ? "Taken out of the answer: no paragraph it cites supports it, or it cites none."
              : "Taken out of the answer: no paragraph they cite supports them, or they cite none.",
        ),
      );
      for (const claim of claims) removed.append(el("del", "removed-claim", String(claim)));
      box.append(removed);
    }
    // under the label: words no article holds (often why there is no answer), then what a
    // follow-up was searched as
    const unknown = renderUnknownWords(data);
    if (unknown) box.insertBefore(unknown, box.children[1] || null);
    if (data.rewritten_question) {
      // a follow-up was read in the light of the conversation: show what was searched
      const searched = el("p", "rewritten", `Searched for: ${data.rewritten_question}`);
      box.insertBefore(searched, box.children[1] || null);
    }
    return box;
  }

  /** Question words no article holds, and the question asked again with the articles' nearest
   * words ("did you mean"); the service never changes the question itself. */
  function renderUnknownWords(data) {
    const words = (Array.isArray(data.unknown_words) ? data.unknown_words : []).filter(
      (w) => w && typeof w.word === "string" && w.word,
    );
    if (!words.length) return null;
    const note = el("p", "unknown-words");
    note.append(`Not in any article: ${words.map((w) => `“${w.word}”`).join(", ")}.`);
    const fixes = words.filter((w) => typeof w.suggestion === "string" && w.suggestion);
    if (fixes.length && typeof data.question === "string") {
      let corrected = data.question;
      for (const w of fixes) corrected = replaceWord(corrected, w.word, w.suggestion);
      note.append(
        " Did you mean: ",
        button("ask-corrected", corrected, () => {
          if (busy) {
            showBusyNotice();
            return;
          }
          setQuestion(corrected);
          ask();
        }),
      );
    }
    return note;
  }

  /** `text` with the whole word `word` (not part of a longer one) replaced by `by`. */
  function replaceWord(text, word, by) {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // any case: the service reports a word once, as first asked ("Zakarova", "zakarova")
    const pattern = new RegExp(`(^|[^\\p{L}])${escaped}(?![\\p{L}])`, "giu");
    return text.replace(pattern, (_, before) => before + by);
  }

  /**
   * Where `phrase` stands in `text` as words of their own: not inside a longer word or figure
   * that holds it ("20" in "2024" or "120", "Kim" in "Kimberly"), where the first place would
   * mark the wrong words. Failing that, where it first stands at all; -1 when it does not.
   */
  function phraseAt(text, phrase) {
    const wordChar = /[\p{L}\p{N}]/u;
    const opens = wordChar.test(phrase[0]);
    const closes = wordChar.test(phrase[phrase.length - 1]);
    const first = text.indexOf(phrase);
    for (let at = first; at >= 0; at = text.indexOf(phrase, at + 1)) {
      const before = at > 0 ? text[at - 1] : "";
      const after = text.charAt(at + phrase.length);
      if (!(opens && wordChar.test(before)) && !(closes && wordChar.test(after))) return at;
    }
    return first;
  }

  function renderAnswer(data, waitedMs) {
    const citations = Array.isArray(data.citations) ? data.citations : [];
    const byMarker = new Map(citations.map((c) => [Number(c.marker), c]));

    const box = el("div", "answer");
    box.append(el("span", "speaker", "Answer"));

    // the direct answer first, when the selector marked one inside the cited sentence: labelled
    // as the selector's reading (it can mark the wrong part of the right sentence), the quote
    // under it is the answer to check
    const lead = shortAnswerLead(data);
    const short = lead ? lead.short : "";
    if (lead) {
      const shown = el("p", "short-answer");
      shown.append(el("span", "short-answer-label", lead.label), el("strong", null, short));
      box.append(shown);
    }

    const text = el("p", "answer-text");
    let highlighted = false;
    String(data.answer ?? "")
      .split(MARKER)
      .forEach((part, i) => {
        if (i % 2 === 0) {
          if (!part) return;
          const at = short && !highlighted ? phraseAt(part, short) : -1;
          if (at < 0) {
            text.append(part);
            return;
          }
          // the short answer highlighted where it stands in the quoted sentence
          highlighted = true;
          text.append(part.slice(0, at), el("mark", "short-answer-mark", short), part.slice(at + short.length));
          return;
        }
        const citation = byMarker.get(Number(part));
        if (!citation) {
          text.append(`[${part}]`); // a marker without a citation stays plain text
          return;
        }
        text.append(citationLink(citation));
      });
    box.append(text);

    if (citations.length) {
      const sources = el("ol", "sources");
      sources.setAttribute("aria-label", "Sources");
      for (const citation of citations) {
        const item = el("li");
        const open = button("source-link", null, () => showCitation(citation, open));
        open.setAttribute("aria-controls", "source-panel");
        open.append(el("span", "source-marker", `[${citation.marker}]`), " ", el("span", "source-name", citation.title || "Untitled article"));
        const details = el("div", "source-details");
        const meta = metaLine(citation);
        if (meta) details.append(el("span", "source-meta", meta));
        const address = addressLink(citation, "source-url");
        if (address) details.append(address);
        details.append(verificationBadge(citation));
        item.append(open, details);
        sources.append(item);
      }
      box.append(sources);
    } else {
      box.append(el("p", "note", "This answer came back without citations."));
    }

    if (data.answers_question) {
      const score = typeof data.evidence_score === "number" ? ` (score ${data.evidence_score.toFixed(2)})` : "";
      const lacking = lackingKind(data);
      const checks = el("p", "answer-checks");
      if (lacking) {
        // the closest sentence, but it holds no figure for "How many…?" (no date for "When…?"):
        // said in words, not claimed as the answer
        const partial = el("span", "badge lacking", `the quote gives no ${lacking}`);
        partial.title = `The question asks for a ${lacking}, and the cited sentence holds none that the question does not already give. It is the closest the articles come${score}: check whether it answers what you asked.`;
        checks.append(partial);
      } else {
        const answers = el("span", "badge answers", "the quote answers the question");
        answers.title = `The answer selector judged that the cited sentence answers the question${score}: a separate check from the source badges, which say the words stand in the paragraph.`;
        checks.append(answers);
      }
      box.append(checks);
    }
    const details = [];
    if (typeof data.evidence_score === "number") details.push(`answer score ${data.evidence_score.toFixed(2)}`);
    const worked = totalMs(data.timings_ms);
    const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
    let timeTitle = "";
    if (typeof waitedMs === "number" && waitedMs >= 0) {
      // what the user waited, queue and network included; the service's own stages beside it
      details.push(seconds(waitedMs));
      timeTitle = `Answered ${seconds(waitedMs)} after asking`;
      if (worked !== null) timeTitle += `; the service worked on it for ${seconds(worked)}, the rest was waiting for other questions and the network`;
      timeTitle += ".";
    } else if (worked !== null) {
      details.push(`${seconds(worked)} of work`); // saved before the page measured the wait
      timeTitle = "How long the service worked on it (the wait before was not recorded).";
    }
    if (details.length) {
      const meta = el("p", "answer-meta", details.join(" · "));
      if (timeTitle) meta.title = timeTitle;
      box.append(meta);
    }
    box.append(copyMarkdownButton(data));
    return box;
  }

  function citationLink(citation) {
    const link = button("citation-link", `[${citation.marker}]`);
    link.addEventListener("click", () => showCitation(citation, link));
    link.setAttribute("aria-controls", "source-panel");
    const checked = citation.verified ? "" : " (unverified)"; // said in words, not only colour
    link.setAttribute("aria-label", `Source ${citation.marker}${checked}: ${citation.title || "untitled article"}`);
    link.setAttribute("aria-expanded", "false");
    link.title = `Show source ${citation.marker}${checked}: ${citation.title || "untitled article"}`;
    if (!citation.verified) link.classList.add("unverified");
    return link;
  }

  /** What was checked about a source, in words: quoted from it, supported by it, or neither. */
  function verificationBadge(citation) {
    const detail = detailText(citation);
    if (detail) {
      const badge = el("span", "badge verified detail", detail.replace(/:.*$/, ""));
      badge.title = `Told from ${detail}, as its file or page gives it, not from the words of a paragraph. The paragraph shown is the one that matched what the question said the article is about.`;
      return badge;
    }
    const verified = Boolean(citation.verified);
    const quoted = verified && citation.quoted !== false;
    const words = !verified ? "unverified" : quoted ? `quoted from [${citation.marker}]` : `supported by [${citation.marker}]`;
    const badge = el("span", `badge ${verified ? "verified" : "unverified"}${quoted ? " quoted" : ""}`, words);
    const score = typeof citation.support_score === "number" ? ` (support ${citation.support_score.toFixed(2)})` : "";
    badge.title = !verified
      ? `The paragraph was not confirmed to support this claim${score}.`
      : quoted
        ? `These words stand in the paragraph as quoted${score}. Whether they answer the question is a separate check.`
        : `The paragraph supports these words, written in other words${score}.`;
    return badge;
  }

  function totalMs(timings) {
    if (!timings || typeof timings !== "object") return null;
    const values = Object.values(timings).filter((v) => typeof v === "number");
    return values.length ? values.reduce((a, b) => a + b, 0) : null;
  }

  function renderInsufficient(data) {
    const box = el("div", "answer insufficient");
    const head = el("div", "insufficient-head");
    head.append(el("span", "speaker", "No answer"), el("span", "badge abstained", "not enough evidence"));
    box.append(head);
    box.append(el("p", "answer-text", data.answer || "The articles do not hold enough evidence to answer this."));
    if (data.reason) {
      const reason = el("p", "reason");
      reason.append(el("span", "label", "Why: "), String(data.reason));
      box.append(reason);
    }

    const retrieved = Array.isArray(data.retrieved) ? data.retrieved : [];
    if (retrieved.length) {
      const heading = el("h3", "closest-heading", "Closest paragraphs");
      const list = el("ol", "closest");
      retrieved.forEach((item, i) => {
        const li = el("li", "closest-item");
        if (i >= CLOSEST_SHOWN) li.hidden = true;
        li.append(el("div", "closest-title", item.title || "Untitled article"));
        const meta = metaLine(item);
        if (meta) li.append(el("div", "closest-meta", meta));
        const address = addressLink(item, "source-url");
        if (address) li.append(address);
        li.append(el("p", "closest-text", item.text));
        const open = button("link-button", "Read in the article", () => showParagraph(item, open));
        open.setAttribute("aria-controls", "source-panel");
        // named by its article: a list of "Read in the article" buttons says nothing out of context
        open.setAttribute("aria-label", `Read in the article: ${item.title || "untitled article"}`);
        li.append(open);
        list.append(li);
      });
      box.append(heading, list);
      if (retrieved.length > CLOSEST_SHOWN) {
        const more = button("link-button show-more", `Show ${retrieved.length - CLOSEST_SHOWN} more`, () => {
          const hidden = list.querySelectorAll("li[hidden]");
          hidden.forEach((li) => (li.hidden = false));
          more.remove();
          const first = hidden[0] && hidden[0].querySelector("button");
          if (first) first.focus();
        });
        box.append(more);
      }
    } else {
      box.append(el("p", "note", "No paragraphs came close."));
    }
    box.append(copyMarkdownButton(data, refusalToMarkdown));
    return box;
  }

  // ---- the source panel ----------------------------------------------------------------------

  function showCitation(citation, trigger) {
    openPanel(trigger, `Source [${citation.marker}]`, {
      item: citation,
      badge: verificationBadge(citation),
      spanStart: citation.span_start,
      spanEnd: citation.span_end,
      // a detail of the article: the paragraph only shows which article was meant
      label: detailText(citation) ? "Paragraph that matched the article the question describes" : "Cited paragraph",
    });
  }

  function showParagraph(item, trigger) {
    const score = typeof item.score === "number" ? el("span", "badge neutral", `retrieval score ${item.score.toFixed(3)}`) : null;
    openPanel(trigger, "Closest paragraph", { item, badge: score, spanStart: null, spanEnd: null, label: "Paragraph" });
  }

  function openPanel(trigger, heading, { item, badge, spanStart, spanEnd, label }) {
    const token = ++panelToken;
    selectTab("source");
    setActiveTrigger(trigger);
    panelHeading.textContent = heading;
    backButton.hidden = false;

    const card = el("article", "source-card");
    card.append(el("h3", "source-title", item.title || "Untitled article"));
    const metaRow = el("div", "source-meta-row");
    const meta = metaLine(item);
    if (meta) metaRow.append(el("span", "source-meta", meta));
    if (badge) metaRow.append(badge);
    if (metaRow.childNodes.length) card.append(metaRow);
    const address = addressLink(item, "source-url");
    if (address) card.append(address);
    // "Ask about this article", the button an article opened in the Articles tab has (common.js):
    // the citation, or the closest paragraph, carries its article's doc_id, title and date
    const askAboutIt = askAboutButton(item);
    card.append(askAboutIt);

    card.append(el("h4", "section-label", label));
    const quote = el("blockquote", "cited-paragraph");
    const para = el("p");
    appendHighlighted(para, item.text, spanStart, spanEnd);
    quote.append(para);
    card.append(quote);

    card.append(el("h4", "section-label", "Whole article"));
    // the box's frame, which takes the height the panel has left (style.css)
    const full = el("div", "full-article");
    const body = el("div", "article-body", "Loading the article…");
    body.tabIndex = 0; // a scrollable region must be reachable from the keyboard
    body.setAttribute("role", "region");
    body.setAttribute("aria-label", "Whole article");
    body.setAttribute("aria-busy", "true");
    full.append(body);
    card.append(full);

    panelBody.replaceChildren(card);
    panelBody.scrollTop = 0;
    panel.classList.add("has-source");
    revealPanel();

    const unavailable = (error) => {
      if (token !== panelToken) return;
      if (isGone(error)) askAboutIt.remove(); // no longer indexed: nothing to ask of
      body.removeAttribute("aria-busy");
      body.replaceChildren(el("p", "note", `Could not load the whole article: ${articleProblem(error)}`));
    };
    loadDocument(item.doc_id).then((doc) => {
      if (token !== panelToken) return;
      renderDocument(body, doc, item, spanStart, spanEnd);
    }, unavailable);
    // the articles changed (one deleted here, or elsewhere while the tab was away): the article
    // shown is asked for again, and said to be gone when it is (404, 410), its "Ask about this
    // article" with it; one still indexed stays as it is shown (where the reader has scrolled
    // to), and so does one the server could not be asked about now (offline, 429, 503): the
    // article read is not taken away for an error that says nothing of it
    recheckSource = () => {
      if (token !== panelToken) return;
      loadDocument(item.doc_id).catch((error) => {
        if (isGone(error)) unavailable(error);
      });
    };
  }

  function renderDocument(body, doc, item, spanStart, spanEnd) {
    body.removeAttribute("aria-busy");
    body.replaceChildren();
    if (doc.has_title === false) {
      body.append(el("p", "note", "This article has no headline; its opening words stand in for a title."));
    }
    const paragraphs = Array.isArray(doc.paragraphs) ? doc.paragraphs : [];
    let cited = null;
    for (const paragraph of paragraphs) {
      const p = el("p", "article-paragraph");
      const isCited =
        !cited &&
        (paragraph.paragraph_id === item.paragraph_id ||
          (paragraph.index === item.index && paragraph.text === item.text));
      if (isCited) {
        cited = p;
        p.classList.add("cited");
        // the span offsets belong to the citation's text; only reuse them on the same text
        if (paragraph.text === item.text) appendHighlighted(p, paragraph.text, spanStart, spanEnd);
        else p.append(String(paragraph.text ?? ""));
      } else {
        p.append(String(paragraph.text ?? ""));
      }
      body.append(p);
    }
    if (!paragraphs.length) body.append(el("p", "note", "The article has no paragraphs."));
    if (!cited && paragraphs.length) {
      // a paragraph's id is made from its words: none here has it, so its words were edited or
      // taken out since the answer; the quote above is what was cited
      body.prepend(
        el(
          "p",
          "note",
          "The cited paragraph is no longer in this article: its words were changed or taken out since this answer was given. The quote above is what was cited.",
        ),
      );
    }
    if (cited) {
      // Scroll only inside the article box, so the page itself does not jump, and leave a
      // little of the preceding text visible for context.
      // (.article-body is positioned, so it is the paragraph's offsetParent.)
      body.scrollTop = Math.max(0, cited.offsetTop - Math.min(80, body.clientHeight / 5));
    }
  }

  function setActiveTrigger(trigger) {
    if (activeTrigger) {
      activeTrigger.classList.remove("active");
      if (activeTrigger.classList.contains("citation-link")) {
        activeTrigger.setAttribute("aria-expanded", "false");
      } else {
        activeTrigger.removeAttribute("aria-expanded");
      }
    }
    activeTrigger = trigger || null;
    if (activeTrigger) {
      activeTrigger.classList.add("active");
      activeTrigger.setAttribute("aria-expanded", "true");
    }
  }

  // the control that opened the source view is expanded only while that view is shown
  document.addEventListener(TAB_SELECTED, (event) => {
    if (activeTrigger) activeTrigger.setAttribute("aria-expanded", event.detail === "source" ? "true" : "false");
  });

  function revealPanel() {
    // On a phone the panel sits below the conversation: bring it into view.
    if (NARROW.matches) panel.scrollIntoView({ behavior: scrollBehavior(), block: "start" });
    panelHeading.focus({ preventScroll: true });
  }

  function backToAnswer() {
    if (activeTrigger && document.body.contains(activeTrigger)) {
      activeTrigger.scrollIntoView({ behavior: scrollBehavior(), block: "center" });
      activeTrigger.focus({ preventScroll: true });
    } else {
      input.focus();
    }
  }

  // ---- the conversation across reloads (localStorage; never the keys) --------------------------

  let turns = loadTurns(); // what is shown, as saved: { question, kind, data | error }
  let pending = null; // { turn, question } while a question is being answered

  // A reload or a closed tab while a question is worked out: the question is kept as not
  // answered, and offered again in the box when the page comes back.
  let leaving = false; // the page is going: the request's failure that follows is not kept
  let pendingLeft = null; // the record saved for the question in hand when the page went
  window.addEventListener("pagehide", () => {
    leaving = true;
    if (!pending || !pending.turn.isConnected) return;
    pendingLeft = withScope(
      { question: pending.question, kind: "stopped", left: true },
      pending.scope,
      pending.dates,
    );
    turns.push(pendingLeft);
    turns = saveTurns(turns);
  });
  window.addEventListener("pageshow", (event) => {
    leaving = false;
    if (!event.persisted) return;
    // back from the browser's page cache with the question still in hand: it was not left
    // after all, so the "not answered" record saved on leaving goes (its answer is kept as usual)
    const last = turns[turns.length - 1];
    if (pendingLeft && last === pendingLeft) {
      turns.pop();
      turns = saveTurns(turns);
    }
    pendingLeft = null;
  });

  /** The turn as history sent with later questions (so follow-ups are read in context): an
   * answer with its text, a refusal with none (the question still says what the talk is about,
   * as POST /ask reads a refusal carried back); null for a stopped or failed question. */
  function asHistory(record) {
    if (record.kind !== "answer" || !record.data) return null;
    const answered = record.data.status === "answered";
    return { question: record.question, answer: answered ? String(record.data.answer ?? "") : "" };
  }

  /** Remember a finished turn (unless a New chat removed it meanwhile). */
  function keep(turn, record) {
    if (!turn.isConnected || leaving) return;
    const earlier = asHistory(record);
    if (earlier) history.push(earlier);
    turns.push(record);
    turns = saveTurns(turns);
    renderSaveChat();
  }

  function errorRecord(error) {
    return { message: error.message || "", title: error.title || "", status: error.status || 0 };
  }

  function renderSavedTurn(record) {
    const turn = el("li", "turn");
    const askedOf = asScope(record.scope);
    const asked = renderQuestion(record.question, askedOf, asDates(record.dates));
    let box;
    if (record.kind === "answer") box = renderResponse(record.data, record.waited_ms);
    else if (record.kind === "stopped") box = renderStopped(Boolean(record.left));
    else {
      const error = Object.assign(new Error(record.error.message), record.error);
      box = renderError(error, record.question, askedOf);
    }
    turn.append(asked, box);
    return turn;
  }

  function restoreConversation() {
    for (const record of turns) {
      try {
        conversation.append(renderSavedTurn(record));
      } catch {
        continue; // a turn saved by another version of the page that this one cannot show
      }
      const earlier = asHistory(record);
      if (earlier) history.push(earlier);
    }
    emptyState.hidden = conversation.children.length > 0;
    const last = conversation.lastElementChild;
    if (last) last.scrollIntoView({ block: "end" });
    const lastRecord = turns[turns.length - 1];
    if (lastRecord && lastRecord.kind === "stopped" && lastRecord.left && !input.value) {
      setQuestion(lastRecord.question); // asked just before the page went: ask it again
    }
  }

  // ---- asking only about one article: the conversation's scope ---------------------------------

  // One article at a time: choosing another replaces it (the chip names one article, and a
  // refusal then speaks of that one). Kept with the conversation across reloads (a follow-up
  // after a reload goes where the ones before it went); New chat clears it.
  const scopeBar = document.getElementById("ask-scope");
  // the question box's hint, whole and on a phone, where the box is too narrow for the whole
  // one (it would be cut off): for every article, and for the one asked about
  const PLACEHOLDERS = {
    all: [input.placeholder, "Ask the articles…"],
    one: ["Ask about this article…", "Ask this article…"],
  };
  let scope = loadScope(); // { doc_id, title }, or null: questions go to every article
  let scopeGone = false; // the server no longer has the scope's article (deleted meanwhile)

  function scopeName(value) {
    return (value && (value.title || value.doc_id)) || "the article";
  }

  /** A turn's record, with the article and the dates it was asked of, if any. */
  function withScope(record, askedOf, askedIn = null) {
    if (askedOf) record.scope = { doc_id: askedOf.doc_id, title: askedOf.title };
    if (askedIn) record.dates = { from: askedIn.from, to: askedIn.to };
    return record;
  }

  /** The question's bubble, saying which article alone, and which dates, it was asked of. */
  function renderQuestion(question, askedOf, askedIn = null) {
    const asked = el("div", "question");
    asked.append(el("span", "speaker", "You"), el("p", "question-text", question));
    if (askedOf) asked.append(el("p", "question-scope", `Asked only about: ${scopeName(askedOf)}`));
    if (askedIn) asked.append(el("p", "question-scope question-dates", `Asked only of articles dated ${datesText(askedIn)}`));
    return asked;
  }

  function setScope(next) {
    scope = asScope(next);
    scopeGone = false;
    saveScope(scope);
    renderScope();
  }

  function showPlaceholder() {
    input.placeholder = PLACEHOLDERS[scope ? "one" : "all"][PHONE.matches ? 1 : 0];
  }

  /** The chip by the question box: "Asking only: <title> ✕", or nothing. */
  function renderScope() {
    const hadFocus = scopeBar.contains(document.activeElement);
    scopeBar.replaceChildren();
    scopeBar.hidden = !scope;
    describeInput();
    showPlaceholder();
    if (!scope) return;
    const name = scopeName(scope);
    const chip = renderChip({
      className: scopeGone ? "scope-chip gone" : "scope-chip",
      textId: "ask-scope-text",
      label: "Asking only:",
      title: name,
      note: scopeGone ? "(no longer indexed)" : null,
      removeLabel: `Stop asking only about ${name}`,
      onRemove() {
        setScope(null);
        showNotice("Asking all the articles again.", "info");
      },
    });
    scopeBar.append(chip);
    if (hadFocus) chip.querySelector(".scope-remove").focus();
  }

  /** A chip by the question box: "<label> <title> (note)" and its ✕ button, which runs
   * `onRemove` and puts focus back in the question box. */
  function renderChip({ className, textId, label, title, note = null, removeLabel, onRemove }) {
    const chip = el("div", className);
    const text = el("span", "scope-text");
    text.id = textId;
    text.append(el("span", "scope-label", label), " ", el("span", "scope-title", title));
    if (note) text.append(" ", el("span", "scope-gone-note", note));
    const remove = button("scope-remove", null, () => {
      onRemove();
      input.focus();
    });
    remove.setAttribute("aria-label", removeLabel);
    remove.title = removeLabel;
    const cross = el("span", null, "✕");
    cross.setAttribute("aria-hidden", "true");
    remove.append(cross);
    chip.append(text, remove);
    return chip;
  }

  /** The scope's article is gone: the chip says so (the way out is its remove button). */
  function markScopeGone(gone, { announce = false } = {}) {
    if (!scope || scope.doc_id !== gone.doc_id || scopeGone) return;
    scopeGone = true;
    renderScope();
    if (announce) {
      showNotice(
        `${quotedTitle(scopeName(scope))} is no longer indexed. Remove it beside the question box to ask all the articles.`,
      );
    }
  }

  /** Whether the scope's article is still indexed (after a reload, or an article deleted). */
  function checkScope() {
    const checked = scope;
    if (!checked) return;
    loadDocument(checked.doc_id).then(
      () => {
        if (scope === checked && scopeGone) {
          scopeGone = false;
          renderScope();
        }
      },
      (error) => {
        if (scope === checked && isGone(error)) markScopeGone(checked, { announce: true });
      },
    );
  }

  document.addEventListener(ASK_ABOUT, (event) => {
    const next = asScope(event.detail);
    if (!next) return;
    const before = scope;
    setScope(next);
    // chosen from a view read before the article was deleted (a list, a Source view): the chip
    // says so at once, not at the next reload
    checkScope();
    const name = scopeName(next);
    const outside = dates && !withinDates(event.detail.date, dates);
    showNotice(
      (before && before.doc_id !== next.doc_id
        ? `Now asking only about ${quotedTitle(name)}, instead of ${quotedTitle(scopeName(before))}.`
        : `Now asking only about ${quotedTitle(name)}.`) +
        (outside
          ? ` It is ${event.detail.date ? `dated ${formatDate(event.detail.date)}` : "undated"}, ` +
            `outside the dates set (${datesText(dates)}): remove them to ask it.`
          : ""),
      outside ? "" : "info",
    );
    input.focus();
  });

  /** Whether an article dated `date` (ISO, or null when undated) is within `range`. */
  function withinDates(date, range) {
    if (!date) return false; // undated articles are left out of any range
    const day = String(date).slice(0, 10);
    return (!range.from || day >= range.from) && (!range.to || day <= range.to);
  }

  /** The chips' words are read with the question box: where a question goes. */
  function describeInput() {
    const ids = [scope ? "ask-scope-text" : "", dates ? "ask-dates-text" : ""].filter(Boolean);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  // ---- asking only of articles dated within a range ("Dates") ----------------------------------

  // Kept with the conversation across reloads, as the scope is; New chat clears it. An article
  // without a date is left out while a range is set (the API's `date_from` / `date_to`).
  const datesBar = document.getElementById("ask-dates");
  const datesToggle = document.getElementById("dates-toggle");
  const datesForm = document.getElementById("date-range");
  const dateFrom = document.getElementById("date-from");
  const dateTo = document.getElementById("date-to");
  const datesProblem = document.getElementById("date-problem");
  let dates = loadDates(); // { from, to } (ISO dates, either may be ""), or null: any date

  /** "from Oct 1, 2024 to Oct 31, 2024", "from Oct 1, 2024 on", "up to Oct 31, 2024", "on Oct
   * 21, 2024": the dates as the articles' own are shown (common.js formatDate). */
  function datesText(value) {
    const from = formatDate(value.from);
    const to = formatDate(value.to);
    if (value.from && value.to) return value.from === value.to ? `on ${from}` : `from ${from} to ${to}`;
    return value.from ? `from ${from} on` : `up to ${to}`;
  }

  function setDates(next) {
    dates = asDates(next);
    saveDates(dates);
    renderDates();
  }

  /** The chip by the question box: "Articles dated: from … to … ✕", or nothing. */
  function renderDates() {
    const hadFocus = datesBar.contains(document.activeElement);
    datesBar.replaceChildren();
    datesBar.hidden = !dates;
    datesToggle.classList.toggle("set", Boolean(dates));
    datesToggle.setAttribute("aria-label", dates ? `Dates: ${datesText(dates)}` : "Dates");
    describeInput();
    if (!dates) return;
    const chip = renderChip({
      className: "scope-chip dates-chip",
      textId: "ask-dates-text",
      label: "Articles dated:",
      title: datesText(dates),
      removeLabel: `Stop asking only of articles dated ${datesText(dates)}`,
      onRemove() {
        setDates(null);
        showNotice("Asking articles of any date again.", "info");
      },
    });
    datesBar.append(chip);
    if (hadFocus) chip.querySelector(".scope-remove").focus();
  }

  function openDates(open) {
    datesForm.hidden = !open;
    datesToggle.setAttribute("aria-expanded", String(open));
    showDatesProblem(null);
    if (!open) return;
    dateFrom.value = dates ? dates.from : "";
    dateTo.value = dates ? dates.to : "";
    dateFrom.focus();
    showAboveTheBox(datesForm); // on a phone: the whole form, or from its top
  }

  datesToggle.addEventListener("click", () => openDates(datesForm.hidden));
  datesToggle.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !datesForm.hidden) {
      event.preventDefault();
      openDates(false);
    }
  });

  /** The form's problem (null: none), on the field to fix (aria-invalid, read with it). */
  function showDatesProblem(problem, field = null) {
    datesProblem.hidden = !problem;
    datesProblem.textContent = problem || "";
    for (const each of [dateFrom, dateTo]) {
      const wrong = Boolean(problem) && each === field;
      if (wrong) {
        each.setAttribute("aria-invalid", "true");
        each.setAttribute("aria-describedby", datesProblem.id);
      } else {
        each.removeAttribute("aria-invalid");
        each.removeAttribute("aria-describedby");
      }
    }
    if (field) field.focus();
    if (problem) showAboveTheBox(datesProblem, field || datesProblem); // the field and why
  }

  /** Apply what the form holds: true when applied (or nothing to apply), false when a date
   * cannot be read or the range is the wrong way round (the form then says why). */
  function applyDates({ announce = true } = {}) {
    const from = dateFrom.value;
    const to = dateTo.value;
    // a date input holds "" or a date; one typed half-way is "" with badInput set, and a year of
    // five or six figures ("20245-12-31") is a value the API cannot take
    const unread = [dateFrom, dateTo].find(
      (field) => (field.validity && field.validity.badInput) || (field.value && !ISO_DATE.test(field.value)),
    );
    if (unread) {
      showDatesProblem("That date is not a calendar date: give a day, a month and a four-figure year, or leave it empty.", unread);
      return false;
    }
    if (from && to && from > to) {
      showDatesProblem("The first date is after the second: swap them, or change one.", dateFrom);
      return false;
    }
    const had = dates;
    setDates(from || to ? { from, to } : null);
    openDates(false);
    const changed = JSON.stringify(had) !== JSON.stringify(dates);
    if (announce || changed) {
      showNotice(
        dates
          ? `Now asking only articles dated ${datesText(dates)}; undated articles are left out.`
          : had
            ? "Asking articles of any date again."
            : "",
        "info",
      );
    }
    return true;
  }

  document.getElementById("date-cancel").addEventListener("click", () => {
    openDates(false);
    datesToggle.focus();
  });

  datesForm.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    openDates(false);
    datesToggle.focus();
  });

  datesForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (applyDates()) input.focus();
  });

  renderDates();

  // ---- a new chat ---------------------------------------------------------------------------

  const newChatButton = document.getElementById("new-chat");
  const restoreBox = document.getElementById("restore-chat");
  // what New chat cleared ({ turns, scope, dates }), offered back until the next question is
  // asked: one click (or Enter on the button, reached by Shift+Tab from an answer) would
  // otherwise lose a whole conversation for good. Kept in memory only: a reload forgets it.
  let cleared = null;

  function newChat() {
    stop(); // a question still being answered is given up (its turn is not kept)
    // a second New chat on the empty one keeps what the first cleared
    if (turns.length) cleared = { turns: turns.slice(), scope, dates };
    announce("");
    conversation.replaceChildren();
    history.length = 0;
    turns = [];
    renderSaveChat();
    const hadScope = Boolean(scope) || Boolean(dates);
    setScope(null); // the scope belongs to the conversation
    setDates(null); // and so do its dates
    openDates(false);
    clearTurns();
    resetSourcePanel();
    selectTab("articles");
    emptyState.hidden = false;
    setQuestion("");
    showNotice(hadScope ? "New chat: asking all the articles." : "", "info");
    renderRestore();
    input.focus();
  }

  /** The line at the top of an empty chat that offers back what New chat cleared. */
  function renderRestore() {
    restoreBox.replaceChildren();
    restoreBox.hidden = !cleared;
    if (!cleared) return;
    const asked = count(cleared.turns.length, "question", "questions");
    restoreBox.append(
      el("p", null, `New chat cleared the conversation before it (${asked}).`),
      button("link-button restore-chat-button", "Bring it back", restoreCleared),
    );
  }

  function forgetCleared() {
    if (!cleared) return;
    cleared = null;
    renderRestore();
  }

  /** The conversation New chat cleared, back as it was: its turns (read with the next
   * question, as before), the article it asked about and its dates. */
  function restoreCleared() {
    if (!cleared || busy) return;
    const back = cleared;
    forgetCleared();
    turns = saveTurns(back.turns);
    renderSaveChat();
    setScope(back.scope);
    setDates(back.dates);
    checkScope(); // the article it asked about may have been deleted meanwhile
    restoreConversation();
    showNotice(`Brought back the conversation (${count(back.turns.length, "question", "questions")}).`, "info");
    input.focus();
  }

  function resetSourcePanel() {
    panelToken++;
    setActiveTrigger(null);
    panelHeading.textContent = "Source";
    backButton.hidden = true;
    panel.classList.remove("has-source");
    panelBody.replaceChildren(sourcePlaceholder);
  }
  const sourcePlaceholder = panelBody.firstElementChild;

  newChatButton.addEventListener("click", newChat);

  // ---- saving the conversation as a Markdown file ------------------------------------------------

  const saveChatButton = document.getElementById("save-chat");

  /** Offered once a question has had an answer or a refusal: there is something to keep. */
  function renderSaveChat() {
    saveChatButton.hidden = !turns.some((record) => record.kind === "answer");
  }

  function saveChat() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    const day = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
    const at = `${day} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
    const text = conversationToMarkdown(turns, at);
    const url = URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `conversation-${day}.md`;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000); // once the browser has taken the file
    announce(`Saved the conversation (${count(turns.length, "question", "questions")}) as ${link.download}.`);
  }

  saveChatButton.addEventListener("click", saveChat);

  // ---- what is indexed: the count, and example questions on an empty conversation ---------------

  const examples = document.getElementById("examples");
  const EXAMPLES_SHOWN = 3;

  /** A question about an article, made from its headline alone (so it fits any corpus). */
  function exampleQuestion(title) {
    const headline = String(title ?? "").replace(/\s+/g, " ").replace(/[\s.?!…:;,]+$/, "").trim();
    return `What does the article ${quotedTitle(headline)} report?`;
  }

  /** Articles with a real headline first, newest first (undated last), at most a few, each
   * asking a question of its own: articles under one headline (an edited version imported
   * beside the first, a page saved twice, another day's "Letters") give one example, not the
   * same question twice. */
  function exampleArticles(articles) {
    const usable = articles.filter((a) => a && typeof a.title === "string" && a.title.trim());
    const rank = (a) => [a.has_title === false ? 1 : 0, a.date ? 0 : 1];
    const asked = new Set();
    return usable
      .slice()
      .sort((a, b) => {
        const [ta, da] = rank(a);
        const [tb, db] = rank(b);
        return ta - tb || da - db || String(b.date || "").localeCompare(String(a.date || ""));
      })
      .filter((a) => {
        const question = exampleQuestion(a.title);
        if (asked.has(question)) return false;
        asked.add(question);
        return true;
      })
      .slice(0, EXAMPLES_SHOWN);
  }

  function renderExamples(articles) {
    const chosen = exampleArticles(articles);
    examples.replaceChildren();
    if (!chosen.length) return;
    examples.append(el("p", "examples-label", "Or try one of these:"));
    const list = el("ul", "example-list");
    for (const article of chosen) {
      const question = exampleQuestion(article.title);
      const item = el("li");
      item.append(
        button("example", question, () => {
          setQuestion(question);
          ask();
        }),
      );
      list.append(item);
    }
    examples.append(list);
  }

  function loadCorpusInfo() {
    fetchJSON("/documents").then(
      (data) => {
        const total = typeof data.total === "number" ? data.total : (data.documents || []).length;
        corpusInfo.textContent = `${total} article${total === 1 ? "" : "s"} indexed.`;
        renderExamples(Array.isArray(data.documents) ? data.documents : []);
      },
      () => {
        corpusInfo.textContent = "";
        examples.replaceChildren();
      },
    );
  }

  // ---- wiring ------------------------------------------------------------------------------

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ask();
  });
  backButton.addEventListener("click", backToAnswer);
  PHONE.addEventListener("change", showPlaceholder); // a window resized, a phone turned
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && sourceView.contains(event.target)) {
      event.preventDefault();
      backToAnswer();
    }
  });
  document.addEventListener(DOCUMENTS_CHANGED, () => {
    documents.clear(); // articles fetched before (or refused without a key) may have changed
    loadCorpusInfo();
    checkScope(); // the article asked about may have been deleted
    recheckSource(); // and the one the Source view shows
  });
  // Another tab, a script or a colleague may have added or deleted articles while this tab was
  // in the background: coming back to it reads the count and the article asked about again.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible") return;
    documents.clear();
    loadCorpusInfo();
    checkScope();
    recheckSource();
  });

  renderScope();
  restoreConversation();
  renderSaveChat();
  loadCorpusInfo();
  checkScope();

  input.focus();
})();
