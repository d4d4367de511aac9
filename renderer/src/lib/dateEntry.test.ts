import { describe, expect, it } from 'vitest';
import { datePattern, isoToTyped, typedToIso } from './dateEntry';

describe('date entry in the app language', () => {
  it("writes dates in the locale's numeric order", () => {
    expect(isoToTyped('2026-12-05', 'zh-CN')).toBe('2026/12/05');
    expect(isoToTyped('2026-12-05', 'en-US')).toBe('12/05/2026');
    expect(isoToTyped('2026-12-05', 'en-GB')).toBe('05/12/2026');
    expect(isoToTyped('', 'en-US')).toBe('');
    expect(datePattern('zh-CN').placeholder).toBe('yyyy/mm/dd');
    expect(datePattern('en-US').placeholder).toBe('mm/dd/yyyy');
  });

  it('reads what people type back to ISO, in their order, with any separator', () => {
    expect(typedToIso('2026/12/5', 'zh-CN')).toBe('2026-12-05');
    expect(typedToIso('2026年12月5日', 'zh-CN')).toBe('2026-12-05');
    expect(typedToIso('12/5/2026', 'en-US')).toBe('2026-12-05');
    expect(typedToIso('5.12.2026', 'en-GB')).toBe('2026-12-05');
    // ISO always works, whatever the locale.
    expect(typedToIso('2026-12-05', 'en-US')).toBe('2026-12-05');
    expect(typedToIso(isoToTyped('2024-02-29', 'en-GB'), 'en-GB')).toBe('2024-02-29');
  });

  it('refuses what is not a real calendar date', () => {
    expect(typedToIso('2025/02/29', 'zh-CN')).toBeNull();
    expect(typedToIso('13/01/2026', 'en-US')).toBeNull();
    expect(typedToIso('31/04/2026', 'en-GB')).toBeNull();
    expect(typedToIso('12/5/26', 'en-US')).toBeNull();
    expect(typedToIso('tomorrow', 'en-US')).toBeNull();
    expect(typedToIso('', 'en-US')).toBeNull();
    expect(typedToIso('2026-00-10', 'en-US')).toBeNull();
  });
});
