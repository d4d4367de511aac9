import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { avatarColor, contrast, initials } from './avatar';

const rgbOf = (css: string): [number, number, number] => {
  const m = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(css);
  if (!m) throw new Error(`not rgb(): ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};

describe('avatar', () => {
  it('takes initials from names in any script', () => {
    expect(initials('Ann')).toBe('A');
    expect(initials('bo li')).toBe('BL');
    expect(initials('  Cy  de  Winter ')).toBe('CD');
    expect(initials('张伟')).toBe('张');
    expect(initials('')).toBe('?');
    expect(initials('Émile Zola')).toBe('ÉZ');
    expect(initials('Ann (you)')).toBe('A');
    expect(initials('张伟 (你)')).toBe('张');
    expect(initials('(you)')).toBe('?');
  });

  it('gives every member key a stable colour with AA contrast for white initials', () => {
    const keys = Array.from({ length: 500 }, (_, i) => createHash('sha256').update(String(i)).digest('hex'));
    for (const key of keys) {
      const colour = avatarColor(key);
      expect(avatarColor(key)).toBe(colour);
      expect(contrast(rgbOf(colour), [255, 255, 255])).toBeGreaterThanOrEqual(4.5);
    }
    // Different keys spread over many hues.
    expect(new Set(keys.map(avatarColor)).size).toBeGreaterThan(100);
  });

  it('computes WCAG contrast as specified (black on white is 21:1)', () => {
    expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrast([255, 255, 255], [255, 255, 255])).toBeCloseTo(1, 5);
  });
});
