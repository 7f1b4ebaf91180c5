// The conversation kept across reloads, in localStorage: the questions and what was shown for
// them (answers with their citations, stops, errors), the article the conversation asks only
// about, if any (its scope), and the dates its articles must fall between, if any. Never the API keys: those stay in sessionStorage (common.js).
//
// Each tab has a conversation of its own, so two tabs never overwrite each other's: the tab's
// conversation id is kept in sessionStorage (which a reload keeps and another tab does not
// share), and the conversation itself in localStorage under that id. A new tab, or the page
// opened again after the browser was closed, carries on from the newest conversation under an
// id of its own (a copy: what either tab asks next is its own). A duplicated tab, which copies
// sessionStorage and so the id, learns from the tab it copied (BroadcastChannel) that the id is
// taken, and takes a new one. The newest KEEP conversations are kept.

const PREFIX = "groundedQa.conversation."; // + id → { version, turns, scope, dates, saved }
const TAB_KEY = "groundedQa.tabConversation"; // sessionStorage: this tab's conversation id
// where one conversation for every tab was kept before: read once, as the newest
const LEGACY_KEY = "groundedQa.conversation";
const LEGACY_SCOPE_KEY = "groundedQa.conversationScope";
const VERSION = 1;
const MAX_TURNS = 50;
const KEEP = 20;

function usable(turn) {
  if (!turn || typeof turn.question !== "string") return false;
  if (turn.kind === "answer") return Boolean(turn.data) && typeof turn.data === "object";
  if (turn.kind === "error") return Boolean(turn.error) && typeof turn.error === "object";
  return turn.kind === "stopped";
}

/** A date as the API takes it (`date_from`, `date_to`): year-month-day, four-figure year. */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `value` as a date range, `{ from, to }` (ISO dates, either may be ""), or null when it holds
 * neither date, or they are the wrong way round. */
export function asDates(value) {
  if (!value || typeof value !== "object") return null;
  const from = typeof value.from === "string" && ISO_DATE.test(value.from) ? value.from : "";
  const to = typeof value.to === "string" && ISO_DATE.test(value.to) ? value.to : "";
  if (!from && !to) return null;
  if (from && to && from > to) return null;
  return { from, to };
}

/** `value` as a scope, `{ doc_id, title }`, or null when it is not one. */
export function asScope(value) {
  if (!value || typeof value.doc_id !== "string" || !value.doc_id) return null;
  return { doc_id: value.doc_id, title: typeof value.title === "string" ? value.title : "" };
}

function read(key) {
  try {
    const saved = JSON.parse(localStorage.getItem(key) || "null");
    if (saved && saved.version === VERSION && Array.isArray(saved.turns)) {
      return {
        turns: saved.turns.filter(usable),
        scope: asScope(saved.scope),
        dates: asDates(saved.dates),
        saved: Number(saved.saved) || 0,
      };
    }
  } catch {
    // unreadable or blocked storage
  }
  return null;
}

/** The saved conversations' keys, newest first. */
function savedKeys() {
  const found = [];
  try {
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i);
      if (key && key.startsWith(PREFIX)) found.push([key, read(key)?.saved ?? 0]);
    }
  } catch {
    // blocked storage: none
  }
  return found.sort((a, b) => b[1] - a[1]).map(([key]) => key);
}

function legacy() {
  const saved = read(LEGACY_KEY);
  if (!saved) return null;
  try {
    saved.scope = asScope(JSON.parse(localStorage.getItem(LEGACY_SCOPE_KEY) || "null"));
  } catch {
    // unreadable scope: every article
  }
  return saved;
}

function newId() {
  if (globalThis.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function rememberId(value) {
  try {
    sessionStorage.setItem(TAB_KEY, value);
  } catch {
    // blocked storage: a reload starts from the newest conversation
  }
}

let id = null;
let current = { turns: [], scope: null, dates: null };

function open() {
  let own = null;
  try {
    own = sessionStorage.getItem(TAB_KEY);
  } catch {
    // blocked storage
  }
  const mine = own ? read(PREFIX + own) : null;
  if (own && mine) {
    id = own; // this tab reloaded: its own conversation
    current = mine;
  } else {
    const newest = savedKeys().map(read).find(Boolean) || legacy();
    id = newId();
    current = newest
      ? { turns: newest.turns, scope: newest.scope, dates: newest.dates || null }
      : { turns: [], scope: null, dates: null };
    rememberId(id);
    // saved under this tab's id at once (with the copied one's time, so it is not the newest),
    // so a reload shows this copy, not whatever another tab saved meanwhile
    write(current.turns, newest ? newest.saved : 0);
  }
  if (typeof BroadcastChannel === "function") {
    const channel = new BroadcastChannel("groundedQa.conversations");
    channel.onmessage = (event) => {
      const message = event.data || {};
      if (message.whoHas === id) channel.postMessage({ has: id });
      else if (message.has === id) {
        id = newId(); // a duplicated tab: the tab it copied keeps the id, this one takes another
        rememberId(id);
        write(current.turns, current.saved || 0);
      }
    };
    channel.postMessage({ whoHas: id });
  }
}
open();

/** Write this tab's conversation; when storage is full, other tabs' oldest conversations go
 * first, then this one's oldest turns. Returns the turns kept. */
function write(turns, saved = Date.now()) {
  let kept = turns.slice(-MAX_TURNS);
  const others = savedKeys().filter((key) => key !== PREFIX + id);
  for (const key of others.slice(KEEP - 1)) forget(key);
  const spare = others.slice(0, KEEP - 1);
  for (;;) {
    try {
      const record = { version: VERSION, turns: kept, scope: current.scope, dates: current.dates, saved };
      localStorage.setItem(PREFIX + id, JSON.stringify(record));
      return kept;
    } catch {
      if (spare.length) forget(spare.pop());
      else if (kept.length <= 1) break; // blocked storage, or one turn too large: keep it in memory
      else kept = kept.slice(Math.ceil(kept.length / 2));
    }
  }
  return turns.slice(-MAX_TURNS);
}

function forget(key) {
  try {
    localStorage.removeItem(key);
  } catch {
    // blocked storage: nothing was saved
  }
}

/** This tab's saved turns, oldest first; none when there are none, or they cannot be read. */
export function loadTurns() {
  return current.turns.slice();
}

/** Save `turns` (the newest MAX_TURNS). Returns the turns kept. */
export function saveTurns(turns) {
  current.turns = write(turns);
  return current.turns.slice();
}

/** The conversation's scope, `{ doc_id, title }`, or null when it asks over every article. */
export function loadScope() {
  return current.scope;
}

/** Save the scope (null: none). */
export function saveScope(scope) {
  current.scope = asScope(scope);
  current.turns = write(current.turns);
}

/** The conversation's date range, `{ from, to }`, or null when any date (or none) will do. */
export function loadDates() {
  return current.dates;
}

/** Save the date range (null: none). */
export function saveDates(dates) {
  current.dates = asDates(dates);
  current.turns = write(current.turns);
}

/** Forget this tab's conversation: its turns, its scope and its dates (other tabs keep theirs). Saved
 * empty, not removed, so a reload shows the new chat, not the newest other conversation. */
export function clearTurns() {
  current = { turns: [], scope: null, dates: null };
  forget(LEGACY_KEY);
  forget(LEGACY_SCOPE_KEY);
  write([]);
}
