/** The locale used when none is given and the document does not declare one. */
export const FALLBACK_LOCALE = 'en-US';

/**
 * A BCP 47 locale Intl accepts: `candidate` when it is valid, else the document's
 * `lang`, else {@link FALLBACK_LOCALE}. Never throws (Intl throws a RangeError on
 * a malformed tag such as `en_US`, which FHIR data and host pages do contain).
 */
export function resolveLocale(candidate?: unknown): string {
  return canonicalLocale(candidate) ?? canonicalLocale(documentLanguage()) ?? FALLBACK_LOCALE;
}

/** True when the locale's language is English, where clinical abbreviations ("14 mo", "52 y") are used. */
export function isEnglish(locale: string): boolean {
  return /^en(?:-|$)/i.test(locale);
}

function canonicalLocale(candidate: unknown): string | undefined {
  if (typeof candidate !== 'string' || candidate.trim() === '') return undefined;
  try {
    return Intl.getCanonicalLocales(candidate.trim())[0];
  } catch {
    return undefined;
  }
}

function documentLanguage(): string | undefined {
  // Core has no DOM dependency: the document is read only when there is one.
  return typeof document === 'undefined' ? undefined : document.documentElement?.lang;
}
