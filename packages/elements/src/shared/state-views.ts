import { html, nothing, type TemplateResult } from 'lit';
import type { CacheProvenance, SearchProgress } from '@ehr-elements/core';

const count = new Intl.NumberFormat('en-US');

/** "1,200 of 3,400 loaded" (or "1,200 loaded" when the server gives no total). */
export function progressText(progress: SearchProgress | undefined): string | undefined {
  if (!progress || progress.pages === 0) return undefined;
  return progress.total !== undefined
    ? `${count.format(progress.loaded)} of ${count.format(progress.total)} loaded`
    : `${count.format(progress.loaded)} loaded`;
}

/**
 * Loading: a skeleton of `rows` lines inside a region that says what is loading and is
 * `aria-busy`, with visible progress once pages arrive.
 */
export function renderLoading(label: string, progress?: SearchProgress, rows = 3): TemplateResult {
  const text = progressText(progress);
  return html`<div part="state" class="state loading" role="status" aria-busy="true" aria-label=${label}>
    ${Array.from({ length: rows }, (_, index) => html`<span class="bone ${index === rows - 1 ? 'short' : ''}"></span>`)}
    ${text ? html`<p class="progress">${text}</p>` : nothing}
  </div>`;
}

/** The message of a failure, as a sentence for people (FhirError messages are written so). */
export function errorReason(error: unknown): string | undefined {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return undefined;
}

/**
 * Could not load: says what failed and why, with a Retry. An element shows this instead
 * of any empty state: "could not load" is never "none".
 */
export function renderLoadError(title: string, error: unknown, onRetry: () => void): TemplateResult {
  const reason = errorReason(error);
  return html`<div part="state" class="state error">
    <p role="alert"><strong>${title}</strong>${reason ? html` <span>${reason}</span>` : nothing}</p>
    <button part="retry-button" type="button" @click=${onRetry}>Retry</button>
  </div>`;
}

/** An empty state: says which kind of empty ("No known allergies" is not "None recorded"). */
export function renderEmpty(text: string, detail?: string): TemplateResult {
  return html`<div part="state" class="state empty" role="status">
    <p><strong>${text}</strong>${detail ? html` <span>${detail}</span>` : nothing}</p>
  </div>`;
}

/** No source or no patient in context. */
export function renderNoPatient(): TemplateResult {
  return renderEmpty('No patient selected');
}

/** A `heading-level` as the host page gave it, made a heading level: 1–6, else the default 2. */
export function clampHeadingLevel(level: number): number {
  return Number.isInteger(level) && level >= 1 && level <= 6 ? level : 2;
}

/** A heading whose level the host page chooses (`heading-level`), default 2. */
export function renderHeading(level: number, content: unknown, id?: string): TemplateResult {
  return html`<div part="heading" class="heading" role="heading" aria-level=${clampHeadingLevel(level)} id=${id ?? nothing}>${content}</div>`;
}

/**
 * A list's heading: its name and, once known, how many it shows ("Conditions (3)"). Its id
 * is `heading`, which the list's frame names in `aria-labelledby`.
 */
export function renderListHeading(level: number, name: string, count: number | undefined): TemplateResult {
  return renderHeading(level, html`${name}${count === undefined ? nothing : html` <span class="count">(${count})</span>`}`, 'heading');
}

const asOfFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** Data older than this is labelled with its time, even while online. */
const SHOW_AGE_AFTER_MS = 60_000;

/**
 * Where cached data stands: "Offline · showing data as of Nov 25, 2026, 10:42 AM" when the
 * server could not be reached, "As of …" when the data shown is more than a minute old.
 * Nothing for data just read from the server.
 */
export function renderFreshness(freshness: CacheProvenance | undefined, now = Date.now()): TemplateResult | typeof nothing {
  if (!freshness) return nothing;
  const time = Date.parse(freshness.asOf);
  if (Number.isNaN(time)) return nothing;
  const when = asOfFormat.format(time);
  if (freshness.state === 'expired') {
    // An alert, not a status: the data will not refresh until the user signs in again.
    return html`<p part="freshness" class="freshness offline" role="alert">
      <strong>Session expired</strong> · sign in again to see current data. Showing data as of
      <time datetime=${freshness.asOf}>${when}</time>
    </p>`;
  }
  if (freshness.state === 'offline') {
    return html`<p part="freshness" class="freshness offline" role="status">
      <strong>Offline</strong> · showing data as of <time datetime=${freshness.asOf}>${when}</time>
    </p>`;
  }
  if (now - time < SHOW_AGE_AFTER_MS) return nothing;
  return html`<p part="freshness" class="freshness" role="status">As of <time datetime=${freshness.asOf}>${when}</time></p>`;
}
