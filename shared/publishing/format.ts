/**
 * The one place numbers and times become text, so the table, the plots, the feed and the tests agree.
 * Conventions follow the Cochrane reviews these pages keep alive (RevMan 5): estimates to 2 decimals, "0.07 to 0.29", p to 2 decimals
 * (3 below 0.01, "< 0.001" below that), I² as a whole percentage, the typographic minus sign.
 */
import type { Interval } from './model.ts';

const MINUS = '\u2212';

function withMinus(text: string): string {
  return text.startsWith('-') ? `${MINUS}${text.slice(1)}` : text;
}

/** Fixed decimals without "-0.00": a value that rounds to zero prints as zero. */
export function fixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return Number(text) === 0 ? (0).toFixed(decimals) : withMinus(text);
}

export function formatEstimate(value: number): string {
  return fixed(value, 2);
}

export function formatInterval(interval: Interval): string {
  return `${formatEstimate(interval[0])} to ${formatEstimate(interval[1])}`;
}

/** p as the review prints it, without the "p =" prefix: "0.17", "0.002", "< 0.001". */
export function formatP(p: number): string {
  if (p < 0.001) return '< 0.001';
  if (p < 0.01) return p.toFixed(3);
  return p.toFixed(2);
}

/** "p = 0.17" or "p < 0.001". */
export function formatPStatement(p: number): string {
  const text = formatP(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}

/**
 * P as RevMan 5 prints it in a forest plot, without "P =": 2 decimals down to 0.01, then 3, then 4 down to
 * 0.0001; below that only a bound, "< 0.0001" or "< 0.00001".
 */
export function formatRevManP(p: number): string {
  if (p < 0.00001) return '< 0.00001';
  if (p < 0.0001) return '< 0.0001';
  if (p < 0.001) return p.toFixed(4);
  if (p < 0.01) return p.toFixed(3);
  return p.toFixed(2);
}

/** "P = 0.87" or "P < 0.00001", as in RevMan's heterogeneity and overall-effect lines. */
export function formatRevManPStatement(p: number): string {
  const text = formatRevManP(p);
  return text.startsWith('<') ? `P ${text}` : `P = ${text}`;
}

/**
 * A mean or SD the way a reviewer enters it in RevMan: at most 2 decimals, no trailing zeros ("21.6", "3.25").
 * Combined control arms have long decimals; 2 are enough to check them against the trial report.
 */
export function formatArmValue(value: number): string {
  const rounded = Number(value.toFixed(2));
  return withMinus(String(rounded === 0 ? 0 : rounded));
}

export function formatI2(percent: number): string {
  return `${Math.round(percent)}%`;
}

/** Non-breaking spaces so a narrow table cell only breaks after the comma. */
export function formatChi2(q: number, df: number): string {
  return `Chi²\u00a0=\u00a0${fixed(q, 2)}, df\u00a0=\u00a0${df}`;
}

export function formatWeight(percent: number): string {
  return `${fixed(percent, 1)}%`;
}

export function formatCount(n: number): string {
  return String(Math.round(n));
}

/** Axis tick labels: as few decimals as the tick needs. */
export function formatTick(value: number): string {
  return withMinus(String(Number(value.toPrecision(6))));
}

/** "2026-11-21" from an ISO timestamp; the timestamp itself when it is not ISO-shaped. */
export function formatDate(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(iso);
  return match?.[1] ?? iso;
}

/** "2026-11-21 06:00 UTC" from an ISO timestamp in UTC. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
