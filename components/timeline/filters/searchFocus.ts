/**
 * How other parts of the page reach the search box (the keyboard's "/" shortcut): by element id,
 * so they need no ref or context from the filter bar.
 */
export const SEARCH_INPUT_ID = 'timeline-search';

/** Focuses and selects the search box; false when it is not on the page. */
export function focusSearch(): boolean {
  const input = document.getElementById(SEARCH_INPUT_ID);
  if (!(input instanceof HTMLInputElement)) return false;
  input.focus();
  input.select();
  return true;
}
