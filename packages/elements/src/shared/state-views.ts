import { html, nothing, type TemplateResult } from 'lit';
import type { SearchProgress } from '@ehr-elements/core';

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

/** A heading whose level the host page chooses (`heading-level`), default 2. */
export function renderHeading(level: number, content: unknown, id?: string): TemplateResult {
  const safe = Number.isInteger(level) && level >= 1 && level <= 6 ? level : 2;
  return html`<div part="heading" class="heading" role="heading" aria-level=${safe} id=${id ?? nothing}>${content}</div>`;
}
