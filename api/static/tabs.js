// The side panel's two views, as tabs: the indexed articles, and the source a citation opens.
// Arrow keys, Home and End move between the tabs (the WAI-ARIA tabs pattern).

const tabs = Array.from(document.querySelectorAll("#panel-tabs [role=tab]"));

/** The event sent on `document` when a tab is selected; `detail` is its name. */
export const TAB_SELECTED = "groundedqa:tab-selected";

/** Show the view of tab `name` ("articles" or "source"). */
export function selectTab(name) {
  for (const tab of tabs) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", selected ? "true" : "false");
    tab.tabIndex = selected ? 0 : -1;
    document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
  }
  // what the tab shows changed: a control that opened it says whether it is shown (app.js)
  document.dispatchEvent(new CustomEvent(TAB_SELECTED, { detail: name }));
}

for (const [i, tab] of tabs.entries()) {
  tab.addEventListener("click", () => selectTab(tab.dataset.tab));
  tab.addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    const edge = { Home: 0, End: tabs.length - 1 }[event.key];
    if (!step && edge === undefined) return;
    event.preventDefault();
    const next = step ? tabs[(i + step + tabs.length) % tabs.length] : tabs[edge];
    selectTab(next.dataset.tab);
    next.focus();
  });
}
