import { html, nothing, type TemplateResult } from 'lit';
import type { NegationSummary } from '@ehr-elements/core';

/** A negation record as a list names it: its name, and who recorded it when. */
export interface StatementRecord {
  readonly name: string;
  /** "Recorded Mar 20, 2014 by Ronald Bone, MD". */
  readonly detail?: string;
}

/** The words of one list's statements. */
export interface StatementWords {
  /** "No known medications". */
  readonly noKnown: string;
  /** "No information about medications". */
  readonly noInformation: string;
  /** What the list's records are called, plural: "medications". */
  readonly records: string;
}

/**
 * A clinical list's negation records (core `splitNegations`): the list's statement ("No
 * known medications", never to be confused with "No medications recorded"), or "No
 * information about medications"; and negations that records in force contradict, shown as
 * a conflict to reconcile, never as the patient's status.
 */
export function renderStatements<T>(summary: NegationSummary<T>, words: StatementWords, describe: (item: T) => StatementRecord): TemplateResult {
  const conflicts = summary.contradicted.map((item) => {
    const { name, detail } = describe(item);
    return html`<p part="conflict" class="conflict" role="note">
      <strong>Conflicting record:</strong> “${name}” is also on file${detail ? ` (${detail.charAt(0).toLowerCase()}${detail.slice(1)})` : ''}, but the
      ${words.records} below are recorded. Review and reconcile the list.
    </p>`;
  });
  const first = summary.noKnown[0] ?? summary.noInformation[0];
  if (!first) return html`${conflicts}`;
  const title = summary.noKnown.length > 0 ? words.noKnown : words.noInformation;
  const detail = describe(first).detail;
  return html`${conflicts}<div part="no-known" class="no-known" role="status">
    <p><strong>${title}</strong>${detail ? html` <span class="meta">${detail}.</span>` : nothing}</p>
  </div>`;
}
