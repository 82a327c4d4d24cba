import type { CalendarDate } from '../format/fhir-date.js';
import { isCurrentPeriod, isObject, objects, text, texts, type JsonObject } from './read.js';

/** A phone number or email address to show, with a safe link target. */
export interface ContactPointView {
  readonly value: string;
  /** ContactPoint.use, when given: home, work, temp, mobile. */
  readonly use?: string;
  /** "Home", "Mobile", "Work", "Temporary", when a use is given. */
  readonly useLabel?: string;
  /**
   * `tel:` or `mailto:` built from the value, only when the value is plainly a phone
   * number or an email address; never any other scheme.
   */
  readonly href?: string;
}

const USE_LABELS: Readonly<Record<string, string>> = { home: 'Home', mobile: 'Mobile', work: 'Work', temp: 'Temporary' };
// Personal contact first (the brief of a banner: how to reach the patient), then no use, then work/temp.
const USE_RANK: Readonly<Record<string, number>> = { home: 0, mobile: 0, none: 1, work: 2, temp: 2 };
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/**
 * The preferred current ContactPoint of a system (`phone`, `email`): use home or mobile
 * first, then none, then work or temp; within a use the lowest `rank`. Skips use `old`
 * and ended periods.
 */
export function preferredContactPoint(telecom: unknown, system: 'phone' | 'email', today: CalendarDate): ContactPointView | undefined {
  const candidates = objects(telecom)
    .map((point, index) => ({ point, index, value: text(point.value) }))
    .filter(({ point, value }) => point.system === system && value && point.use !== 'old' && isCurrentPeriod(point.period, today));
  candidates.sort(
    (a, b) => useRank(a.point) - useRank(b.point) || contactRank(a.point) - contactRank(b.point) || a.index - b.index,
  );
  const chosen = candidates[0];
  if (!chosen) return undefined;
  const use = typeof chosen.point.use === 'string' ? chosen.point.use : undefined;
  const value = chosen.value!;
  const href = system === 'phone' ? phoneHref(value) : EMAIL.test(value) ? `mailto:${value}` : undefined;
  return { value, ...(use ? { use } : {}), ...(use && USE_LABELS[use] ? { useLabel: USE_LABELS[use] } : {}), ...(href ? { href } : {}) };
}

/**
 * The current address on one line ("123 Main St, Apt 4, Springfield, MA 01101, US"):
 * use home first, then none, then others; from its parts, else its text.
 */
export function preferredAddress(addresses: unknown, today: CalendarDate): string | undefined {
  const candidates = objects(addresses)
    .map((address, index) => ({ address, index, line: formatAddress(address) }))
    .filter(({ address, line }) => line && address.use !== 'old' && isCurrentPeriod(address.period, today));
  const rank = (address: JsonObject) => (address.use === 'home' ? 0 : address.use === undefined ? 1 : 2);
  candidates.sort((a, b) => rank(a.address) - rank(b.address) || a.index - b.index);
  return candidates[0]?.line;
}

/** An Address on one line, from its parts, else its text. */
export function formatAddress(address: unknown): string | undefined {
  if (!isObject(address)) return undefined;
  const region = [text(address.state), text(address.postalCode)].filter(Boolean).join(' ');
  const parts = [...texts(address.line), text(address.city), region, text(address.country)].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : text(address.text);
}

function phoneHref(value: string): string | undefined {
  // RFC 3966 keeps digits and a few visual separators; anything else means it is not a plain number.
  if (!/^[\d\s()+.\-/x#*]+$/i.test(value)) return undefined;
  const [number] = value.split(/x/i);
  const dialable = (number ?? '').replace(/[^\d+]/g, '');
  return /\d{3,}/.test(dialable) ? `tel:${dialable}` : undefined;
}

function useRank(point: JsonObject): number {
  return USE_RANK[typeof point.use === 'string' ? point.use : 'none'] ?? 2;
}

function contactRank(point: JsonObject): number {
  return typeof point.rank === 'number' && point.rank > 0 ? point.rank : Number.MAX_SAFE_INTEGER;
}
