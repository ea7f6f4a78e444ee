/** Small helpers shared by the SVG figures (forest, funnel, PRISMA). */
import { escapeXml } from './escape.ts';

/** Coordinates rounded to 0.01 so output is compact and identical across runs. */
export function coord(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** An id usable in `id` and in space-separated `aria-labelledby` lists. */
export function safeId(raw: string): string {
  const cleaned = raw.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `id-${cleaned}`;
}

/** Shortens a label to `max` characters with an ellipsis; the full text goes in a tooltip. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export interface TextOptions {
  anchor?: 'start' | 'middle' | 'end';
  className?: string;
  /** Full text for a tooltip when the visible text was shortened. */
  tooltip?: string;
}

export function svgText(x: number, y: number, text: string, options: TextOptions = {}): string {
  const anchor = options.anchor && options.anchor !== 'start' ? ` text-anchor="${options.anchor}"` : '';
  const className = options.className ? ` class="${options.className}"` : '';
  const tooltip =
    options.tooltip !== undefined && options.tooltip !== text
      ? `<title>${escapeXml(options.tooltip)}</title>`
      : '';
  return `<text x="${coord(x)}" y="${coord(y)}"${anchor}${className}>${tooltip}${escapeXml(text)}</text>`;
}

/** The opening tag of an accessible figure: role="img" named by its own <title> and <desc>. */
export function svgOpen(
  id: string,
  className: string,
  width: number,
  height: number,
  title: string,
  desc: string,
) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="${className}" id="${id}" viewBox="0 0 ${coord(width)} ${coord(height)}" width="${coord(width)}" height="${coord(height)}" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(desc)}</desc>`,
  ].join('');
}

/** Greedy word wrap to lines of at most `max` characters (a longer single word is cut). */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  // Splits on plain spaces only, so callers can bind words with non-breaking spaces.
  for (const word of text.split(/ +/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= max) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word.length > max ? truncate(word, max) : word;
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}
