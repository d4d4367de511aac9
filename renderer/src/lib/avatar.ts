/**
 * A member's avatar: initials and a colour derived from their public key, the same on every
 * device and never chosen by anyone (so nobody can take another member's colour). The colour's
 * lightness is lowered until white initials on it reach WCAG AA contrast (4.5:1).
 */

/**
 * Up to two letters: the first of the first two words ("Bo Li" → "BL"), one CJK character
 * ("张伟" → "张"); words that do not start with a letter are skipped.
 */
export function initials(name: string): string {
  // Words that start with a letter: "Ann (you)" is "A", not "A(".
  const words = name
    .trim()
    .split(/\s+/u)
    .filter((w) => /^\p{L}/u.test(w));
  if (words.length === 0) return '?';
  const first = [...words[0]!][0]!;
  if (/\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}/u.test(first)) return first;
  const second = words.length > 1 ? ([...words[1]!][0] ?? '') : '';
  return (first + second).toUpperCase();
}

/** sRGB channel (0–255) → linear, for relative luminance. */
function linear(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance([r, g, b]: readonly [number, number, number]): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** Contrast ratio of two colours (WCAG 2). */
export function contrast(a: readonly [number, number, number], b: readonly [number, number, number]): number {
  const [la, lb] = [relativeLuminance(a), relativeLuminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

const WHITE: [number, number, number] = [255, 255, 255];

/** The avatar colour of a member id (hex public key): a hue from its first bytes, dark enough for white text. */
export function avatarColor(memberId: string): string {
  const hue = Number.parseInt(memberId.slice(0, 4) || '0', 16) % 360;
  let lightness = 0.45;
  let rgb = hslToRgb(hue, 0.6, lightness);
  while (contrast(rgb, WHITE) < 4.5 && lightness > 0.1) {
    lightness -= 0.02;
    rgb = hslToRgb(hue, 0.6, lightness);
  }
  return `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
}
