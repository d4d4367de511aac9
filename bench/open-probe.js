// Runs in the benchmark's page before any of the app's scripts (bench/app-browser.ts,
// timeOpenGroup): records when the first screen was complete and, after a click, when the
// balances tab was. performance.now() counts from the navigation's time origin.
(() => {
  const { expenses, members } = window.__openExpected;
  /** dom: the DOM was complete; shown: the frame after; click: pointerdown; tab: the balances tab's frame. */
  const out = {};
  window.__openProbe = out;
  // The frame after: rAF runs before the frame is drawn, a message posted from it runs after.
  const afterFrame = (set) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => set(performance.now());
      channel.port2.postMessage(null);
    });
  const laidOut = (el) => {
    const r = el?.getBoundingClientRect();
    return r !== undefined && r.width > 0 && r.height > 0;
  };
  // The expense list with every expense counted (and its first rows drawn), and every member's balance.
  const firstScreen = () => {
    const count = document.querySelector('[data-testid="expense-count"]');
    if (!count || Number.parseInt(count.textContent ?? '', 10) !== expenses) return false;
    const row = document.querySelector('[data-testid="expense-row"]');
    if (expenses > 0 && !row) return false;
    const balances = [...document.querySelectorAll('[data-testid="member-balance"]')];
    if (balances.length !== members) return false;
    return laidOut(count) && (expenses === 0 || laidOut(row)) && balances.every((b) => laidOut(b));
  };
  const check = () => {
    if (out.dom === undefined && firstScreen()) {
      out.dom = performance.now();
      afterFrame((t) => {
        out.shown = t;
      });
    }
    if (
      out.click !== undefined &&
      out.tabDom === undefined &&
      document.querySelectorAll('[data-testid="balance-row"]').length === members
    ) {
      out.tabDom = performance.now();
      afterFrame((t) => {
        out.tab = t;
      });
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  document.addEventListener(
    'pointerdown',
    () => {
      out.click ??= performance.now();
    },
    true,
  );
})();
