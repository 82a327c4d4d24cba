import { consume, provide } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { FhirSource } from '@ehr-elements/core';
import { contextStatusContext, sourceContext, type ContextStatus } from '../context/source-context.js';
import type { AllergyListElement } from '../allergy-list/allergy-list.js';
import { tokens } from '../styles/tokens.styles.js';
import { styles } from './record.styles.js';

/** The sections `<ehr-record>` can show, in layout order. */
export const RECORD_SECTIONS = [
  'banner',
  'allergies',
  'conditions',
  'medications',
  'immunizations',
  'vitals',
  'labs',
  'timeline',
] as const;

export type RecordSection = (typeof RECORD_SECTIONS)[number];

/** Sections in the narrow first column (the lists a clinician scans) vs the wide second one. */
const SUMMARY_SECTIONS: readonly RecordSection[] = ['allergies', 'conditions', 'medications', 'immunizations'];
const MAIN_SECTIONS: readonly RecordSection[] = ['vitals', 'labs', 'timeline'];

/** Parses `sections="banner allergies vitals"` (spaces or commas); unknown names are ignored (the element warns of them). */
export function parseRecordSections(value: string | null | undefined): RecordSection[] {
  if (value == null || value.trim() === '') return [...RECORD_SECTIONS];
  const asked = new Set(value.split(/[\s,]+/).map((name) => name.trim().toLowerCase()));
  return RECORD_SECTIONS.filter((section) => asked.has(section));
}

/** The names in `sections="..."` that are not sections (`labz`), as written and lower-cased. */
function unknownSectionNames(value: string | null | undefined): string[] {
  if (value == null) return [];
  const known: readonly string[] = RECORD_SECTIONS;
  return [...new Set(value.split(/[\s,]+/).map((name) => name.trim().toLowerCase()))].filter((name) => name !== '' && !known.includes(name));
}

/**
 * The whole record in one tag: banner, allergies, conditions, medications,
 * immunizations, vital signs, lab results and the timeline, in a responsive layout (one
 * column on narrow containers, lists beside charts on wide ones).
 *
 * Every section is its own element with its own request: one that fails says so with a
 * Retry, and the others still render. Reads from the enclosing `<ehr-context>`, or from a
 * `.source` set on it, which it passes on to its sections.
 *
 * @tag ehr-record
 * @summary A patient's comprehensive record, composed.
 *
 * @csspart layout - The grid of sections.
 * @csspart notice - The message shown when `sections` names no known section.
 * @csspart section - Each section's frame (also `section-<name>`, e.g. `section-allergies`).
 *
 * @cssprop --ehr-record-gap - Space between sections. Default: 1rem.
 * @cssprop --ehr-record-section-background - Section background. Default: transparent (each element frames itself).
 * @cssprop --ehr-record-section-border - Section border. Default: none.
 * @cssprop --ehr-record-section-padding - Section padding. Default: 0.
 */
export class RecordElement extends LitElement {
  static override styles = [tokens, styles];

  /** Which sections to show, separated by spaces or commas (default: all): banner, allergies, conditions, medications, immunizations, vitals, labs, timeline. */
  @property() sections?: string;

  /** The id of a patient to show instead of the patient in context. */
  @property({ attribute: 'patient-id' }) patientId?: string;

  /** The heading level of the sections' headings (default 2). */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** Units of the vital signs: `metric` (default) or `us`. */
  @property() units?: 'metric' | 'us';

  /** The FHIR source; provided by the enclosing `<ehr-context>`, or set directly. Passed on to every section. */
  @consume({ context: sourceContext, subscribe: true })
  @property({ attribute: false })
  source?: FhirSource;

  @consume({ context: contextStatusContext, subscribe: true })
  @state()
  private outerStatus?: ContextStatus;

  // The record provides to its sections what it was given, so a `.source` set on the record
  // reaches every section as if an <ehr-context> surrounded them. (A provider ignores
  // requests from its own host, so the record still consumes from above.)
  @provide({ context: sourceContext })
  @state()
  private provided?: FhirSource;

  @provide({ context: contextStatusContext })
  @state()
  private providedStatus: ContextStatus = 'idle';

  /** The `sections` value last warned about, so a page is told once, not on every render. */
  private warnedSections?: string;

  protected override willUpdate(): void {
    this.provided = this.source;
    this.providedStatus = this.source ? 'ready' : (this.outerStatus ?? 'idle');
    const unknown = unknownSectionNames(this.sections);
    if (unknown.length > 0 && this.warnedSections !== this.sections) {
      this.warnedSections = this.sections;
      console.warn(`<ehr-record>: unknown section name${unknown.length === 1 ? '' : 's'} in sections="${this.sections}": ${unknown.join(', ')}. Known sections: ${RECORD_SECTIONS.join(', ')}.`);
    }
  }

  private handleAllergiesRequested(event: Event): void {
    // The banner's allergy alert asks to show the list: focus the list of this record.
    const list = this.renderRoot.querySelector<AllergyListElement>('ehr-allergy-list');
    if (!list) return;
    event.stopPropagation();
    list.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    list.focusList();
  }

  private renderSection(section: RecordSection): TemplateResult {
    const patientId = this.patientId || nothing;
    const level = this.headingLevel;
    let content: TemplateResult;
    switch (section) {
      case 'banner':
        return html`<div class="banner" part="section section-banner">
          <ehr-patient-banner patient-id=${patientId} @ehr-patient-banner-allergies=${this.handleAllergiesRequested}></ehr-patient-banner>
        </div>`;
      case 'allergies':
        content = html`<ehr-allergy-list patient-id=${patientId} heading-level=${level}></ehr-allergy-list>`;
        break;
      case 'conditions':
        content = html`<ehr-condition-list patient-id=${patientId} heading-level=${level}></ehr-condition-list>`;
        break;
      case 'medications':
        content = html`<ehr-medication-list patient-id=${patientId} heading-level=${level}></ehr-medication-list>`;
        break;
      case 'immunizations':
        content = html`<ehr-immunization-list patient-id=${patientId} heading-level=${level}></ehr-immunization-list>`;
        break;
      case 'vitals':
        content = html`<ehr-vitals-chart patient-id=${patientId} heading-level=${level} units=${this.units ?? nothing}></ehr-vitals-chart>`;
        break;
      case 'labs':
        content = html`<ehr-lab-results patient-id=${patientId} heading-level=${level}></ehr-lab-results>`;
        break;
      case 'timeline':
        content = html`<ehr-timeline patient-id=${patientId} heading-level=${level}></ehr-timeline>`;
        break;
    }
    return html`<section part="section section-${section}" data-section=${section}>${content}</section>`;
  }

  protected override render() {
    const shown = new Set(parseRecordSections(this.sections));
    if (shown.size === 0) {
      // Only unknown names: say so, rather than an empty record a page author cannot explain.
      return html`<p part="notice" class="notice">
        No sections to show: sections="${this.sections}" names none of the known sections (${RECORD_SECTIONS.join(', ')}).
      </p>`;
    }
    const summary = SUMMARY_SECTIONS.filter((section) => shown.has(section));
    const main = MAIN_SECTIONS.filter((section) => shown.has(section));
    return html`<div class="layout" part="layout">
      ${shown.has('banner') ? this.renderSection('banner') : nothing}
      ${summary.length > 0 ? html`<div class="column summary">${summary.map((section) => this.renderSection(section))}</div>` : nothing}
      ${main.length > 0 ? html`<div class="column main">${main.map((section) => this.renderSection(section))}</div>` : nothing}
    </div>`;
  }
}
