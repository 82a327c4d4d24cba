export {
  daysInMonth,
  fhirDateBounds,
  fhirDateInstant,
  formatFhirDate,
  parseFhirDate,
  type CalendarDate,
  type FhirDatePrecision,
  type FormatFhirDateOptions,
  type ParsedFhirDate,
} from './fhir-date.js';
export { calculateAge, formatAge, formatAgeValue, type Age, type AgeOptions, type AgeUnit, type AgeValue, type FormatAgeOptions } from './age.js';
export { FALLBACK_LOCALE, isEnglish, resolveLocale } from './locale.js';
