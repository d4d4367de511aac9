/**
 * "Export PNG": draws a chart's SVG on a canvas as PNG bytes. Saving them is the platform's
 * (services/platform.ts saveBinaryFile: the desktop's save dialog, a download in the browser).
 */

/** A file name for a chart: letters, digits and dashes only, e.g. "flat-3b-by-category.png". */
export function chartFileName(...parts: readonly string[]): string {
  const slug = parts
    .join('-')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return `${slug || 'chart'}.png`;
}

/** The chart's SVG as a standalone document with explicit pixel size and a solid background. */
function standaloneSvg(
  svg: SVGSVGElement,
  background: string,
  color: string,
): { text: string; width: number; height: number } {
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width));
  const height = Math.max(1, Math.round(box.height));
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  // Axis text uses currentColor: keep the theme's colour once the SVG stands alone.
  copy.style.color = color;
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', background);
  copy.insertBefore(bg, copy.firstChild);
  return { text: new XMLSerializer().serializeToString(copy), width, height };
}

/** PNG bytes of the first SVG inside `container`, at twice its size for sharp text. */
export async function chartToPng(container: HTMLElement): Promise<Blob> {
  const svg = container.querySelector('svg');
  if (!svg) throw new Error('There is no chart to export.');
  const style = getComputedStyle(container);
  const transparent = !style.backgroundColor || style.backgroundColor === 'rgba(0, 0, 0, 0)';
  const { text, width, height } = standaloneSvg(
    svg,
    transparent ? '#ffffff' : style.backgroundColor,
    transparent ? '#1b2430' : style.color,
  );
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('The chart could not be drawn.'));
      img.src = url;
    });
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('The chart could not be drawn.');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('The chart could not be drawn.'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
