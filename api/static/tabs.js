// The side panel's two views, as tabs: the indexed articles, and the source a citation opens.
// Arrow keys, Home and End move between the tabs (the WAI-ARIA tabs pattern).

const tabs = Array.from(document.querySelectorAll("#panel-tabs [role=tab]"));

/** Show the view of tab `name` ("articles" or "source"). */
export function selectTab(name) {
  for (const tab of tabs) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", selected ? "true" : "false");
    tab.tabIndex = selected ? 0 : -1;
    document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
  }
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
