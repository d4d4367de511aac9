/**
 * Keeps what people type out of the browser's form history. Chromium saves the values of
 * submitted text fields in its autofill database ("Web Data" in the profile) to suggest them
 * later: group names, expense descriptions, display names, pasted invite links with their keys,
 * all in the clear, beside the sealed IndexedDB (found by e2e/at-rest.spec.ts). A field marked
 * autocomplete="off" is not saved. Marking every form, input and textarea as it is added, here,
 * covers every screen, including ones written later, without each remembering to.
 */
const FIELDS = 'form, input, textarea';

function mark(el: Element): void {
  if (el.matches(FIELDS)) el.setAttribute('autocomplete', 'off');
  for (const field of el.querySelectorAll(FIELDS)) field.setAttribute('autocomplete', 'off');
}

/** Marks the fields in `root` now and whenever some are added; returns a stop function. */
export function disableFormHistory(root: Element): () => void {
  mark(root);
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node instanceof Element) mark(node);
    }
  });
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}
