import { describe, expect, it } from 'vitest';
import { amountsHidden, HIDDEN_AMOUNT, isHiddenAmountText, shownAmount } from './privacy';

describe('privacy mode', () => {
  it('hides amounts while on and not revealed', () => {
    expect(amountsHidden({ enabled: true, revealedUntil: 0 }, 1000)).toBe(true);
    expect(amountsHidden({ enabled: false, revealedUntil: 0 }, 1000)).toBe(false);
  });

  it('shows them until the reveal runs out', () => {
    const s = { enabled: true, revealedUntil: 2000 };
    expect(amountsHidden(s, 1999)).toBe(false);
    expect(amountsHidden(s, 2000)).toBe(true);
  });

  it('masks the formatted text completely (no digits or currency left)', () => {
    const shown = shownAmount('€1,234.56', true);
    expect(shown).toBe(HIDDEN_AMOUNT);
    expect(shown).not.toMatch(/[0-9€]/);
    expect(shownAmount('€1,234.56', false)).toBe('€1,234.56');
  });

  it('recognises a click on a hidden amount, not on other text', () => {
    expect(isHiddenAmountText(`Ann owes ${HIDDEN_AMOUNT}`)).toBe(true);
    expect(isHiddenAmountText('€12.00')).toBe(false);
    expect(isHiddenAmountText(`${'long text '.repeat(10)}${HIDDEN_AMOUNT}`)).toBe(false);
    expect(isHiddenAmountText(null)).toBe(false);
  });
});
