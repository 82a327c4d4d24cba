import type { CalendarDate } from '../format/fhir-date.js';
import { isCurrentPeriod, isObject, objects, text, texts, type JsonObject } from './read.js';

/** The parts of a HumanName that were given, whitespace-normalised. */
export interface NameParts {
  readonly prefix: readonly string[];
  readonly given: readonly string[];
  readonly family?: string;
  readonly suffix: readonly string[];
}

// HumanName.use (FHIR R4 name-use): which name to show when there are several.
// `old` and `anonymous` names are never shown; a name whose period has ended is skipped.
const DISPLAY_RANK: Readonly<Record<string, number>> = { official: 0, usual: 1, none: 2, temp: 3, nickname: 3, maiden: 3 };
const NEVER_SHOWN = new Set(['old', 'anonymous']);

/** The HumanNames of a resource that may be shown today, each with something in it. */
export function currentNames(value: unknown, today: CalendarDate): JsonObject[] {
  return objects(value).filter(
    (name) => !NEVER_SHOWN.has(String(name.use)) && isCurrentPeriod(name.period, today) && formatHumanName(name) !== undefined,
  );
}

/**
 * The name to display: use `official` > `usual` > no use > any other use
 * (temp, nickname, maiden); in data order within a rank.
 */
export function selectDisplayName(names: readonly JsonObject[]): JsonObject | undefined {
  let best: JsonObject | undefined;
  let bestRank = Infinity;
  for (const name of names) {
    const rank = DISPLAY_RANK[typeof name.use === 'string' ? name.use : 'none'] ?? 3;
    if (rank < bestRank) {
      best = name;
      bestRank = rank;
    }
  }
  return best;
}

export function nameParts(name: JsonObject): NameParts {
  return { prefix: texts(name.prefix), given: texts(name.given), family: text(name.family), suffix: texts(name.suffix) };
}

/** "Dr. Amy V. Shaw Jr." from the parts, else `HumanName.text`; undefined when the name is empty. */
export function formatHumanName(name: unknown): string | undefined {
  if (!isObject(name)) return undefined;
  const { prefix, given, family, suffix } = nameParts(name);
  const fromParts = [...prefix, ...given, ...(family ? [family] : []), ...suffix].join(' ');
  return fromParts || text(name.text);
}

/** One or two capital letters for an avatar: first given + family, else first + last word of the text. */
export function nameInitials(name: JsonObject, locale: string): string {
  const { given, family } = nameParts(name);
  let words: string[];
  if (given.length > 0 || family) words = [given[0] ?? '', family ?? ''];
  else {
    const all = (text(name.text) ?? '').split(' ');
    words = all.length > 1 ? [all[0]!, all[all.length - 1]!] : all;
  }
  return words
    .map((word) => firstLetter(word))
    .join('')
    .toLocaleUpperCase(locale);
}

/**
 * A preferred name to show beside the display name ("Bob" for Robert): a current
 * `nickname`, else a `usual` name, that reads differently from the display name.
 * Only the given names are shown when the family name is the same.
 */
export function preferredName(names: readonly JsonObject[], display: JsonObject | undefined): string | undefined {
  const displayText = display ? formatHumanName(display) : undefined;
  const displayParts = display ? nameParts(display) : undefined;
  const candidates = [...names.filter((name) => name.use === 'nickname'), ...names.filter((name) => name.use === 'usual')];
  for (const candidate of candidates) {
    if (candidate === display) continue;
    const parts = nameParts(candidate);
    let label: string | undefined;
    if (parts.given.length > 0) {
      const sameFamily = !parts.family || same(parts.family, displayParts?.family);
      label = sameFamily ? parts.given.join(' ') : [...parts.given, parts.family].join(' ');
    } else {
      label = formatHumanName(candidate);
    }
    if (!label || same(label, displayText) || same(label, displayParts?.given.join(' '))) continue;
    return label;
  }
  return undefined;
}

function firstLetter(word: string): string {
  // Letters only (\p{L}, any script): punctuation or markup in a name makes no initial.
  return /\p{L}/u.exec(word)?.[0] ?? '';
}

function same(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}
