// The conversation kept across reloads, in localStorage: the questions and what was shown for
// them (answers with their citations, stops, errors), and the article the conversation asks
// only about, if any (its scope). Never the API keys: those stay in sessionStorage (common.js).

const KEY = "groundedQa.conversation";
const SCOPE_KEY = "groundedQa.conversationScope";
const VERSION = 1;
const MAX_TURNS = 50;

function usable(turn) {
  if (!turn || typeof turn.question !== "string") return false;
  if (turn.kind === "answer") return Boolean(turn.data) && typeof turn.data === "object";
  if (turn.kind === "error") return Boolean(turn.error) && typeof turn.error === "object";
  return turn.kind === "stopped";
}

/** The saved turns, oldest first; none when there are none, or they cannot be read. */
export function loadTurns() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) || "null");
    if (saved && saved.version === VERSION && Array.isArray(saved.turns)) {
      return saved.turns.filter(usable);
    }
  } catch {
    // unreadable or blocked storage: start a new conversation
  }
  return [];
}

/**
 * Save `turns` (the newest MAX_TURNS). When the browser's storage is full, the oldest turns are
 * dropped until the rest fit. Returns the turns kept.
 */
export function saveTurns(turns) {
  let kept = turns.slice(-MAX_TURNS);
  while (kept.length) {
    try {
      localStorage.setItem(KEY, JSON.stringify({ version: VERSION, turns: kept }));
      return kept;
    } catch {
      if (kept.length === 1) break; // blocked storage, or one turn too large: keep it in memory
      kept = kept.slice(Math.ceil(kept.length / 2));
    }
  }
  return turns.slice(-MAX_TURNS);
}

/** `value` as a scope, `{ doc_id, title }`, or null when it is not one. */
export function asScope(value) {
  if (!value || typeof value.doc_id !== "string" || !value.doc_id) return null;
  return { doc_id: value.doc_id, title: typeof value.title === "string" ? value.title : "" };
}

/** The conversation's scope, `{ doc_id, title }`, or null when it asks over every article. */
export function loadScope() {
  try {
    return asScope(JSON.parse(localStorage.getItem(SCOPE_KEY) || "null"));
  } catch {
    // unreadable or blocked storage: ask over every article
  }
  return null;
}

/** Save the scope (null: none). */
export function saveScope(scope) {
  try {
    if (scope) localStorage.setItem(SCOPE_KEY, JSON.stringify({ doc_id: scope.doc_id, title: scope.title }));
    else localStorage.removeItem(SCOPE_KEY);
  } catch {
    // blocked or full storage: the scope lasts until the page is closed
  }
}

/** Forget the conversation: its turns and its scope. */
export function clearTurns() {
  try {
    localStorage.removeItem(KEY);
    localStorage.removeItem(SCOPE_KEY);
  } catch {
    // blocked storage: nothing was saved
  }
}
