import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Resource } from '@medplum/fhirtypes';
import {
  loadMedications,
  toMedicationList,
  type ClinicalQueryFailure,
  type ClinicalRecords,
  type FhirSource,
  type MedicationListView,
  type MedicationView,
} from '@ehr-elements/core';
import { contextStatusContext, sourceContext, type ContextStatus } from '../context/source-context.js';
import { clinicalListStyles } from '../shared/clinical-list.styles.js';
import { PatientDataController } from '../shared/patient-data-controller.js';
import { errorReason, renderEmpty, renderHeading, renderLoadError, renderLoading, renderNoPatient } from '../shared/state-views.js';
import { stateStyles } from '../shared/states.styles.js';
import { tokens, visuallyHidden } from '../styles/tokens.styles.js';
import { MedicationSelectEvent } from './events.js';
import { styles } from './medication-list.styles.js';

// What each search brings, for messages about a partial failure.
const KINDS: Readonly<Record<string, { readonly failed: string; readonly loaded: string; readonly none: string }>> = {
  MedicationRequest: {
    failed: 'Prescriptions could not be loaded.',
    loaded: 'The list shows reported medications (medication statements) only.',
    none: 'No reported medications recorded',
  },
  MedicationStatement: {
    failed: 'Reported medications (medication statements) could not be loaded.',
    loaded: 'The list shows prescriptions only.',
    none: 'No prescriptions recorded',
  },
};

// Statuses whose badge draws the eye: the medication may not be taken as listed.
const WARNING_STATUSES = new Set(['on-hold', 'draft', 'unknown']);

/**
 * The patient's medications: prescriptions (MedicationRequest) and what the patient or
 * others report taking (MedicationStatement, tagged "Reported"), loaded in parallel.
 * Active and on-hold first, then draft or unknown status (labelled), then stopped,
 * completed and cancelled (collapsed); records entered in error are never shown. Each
 * shows the medication's name (resolving a `medicationReference` from a contained,
 * included or separately read Medication), the dose as prescribed ("10 mL bid", or built
 * from the structured dosage: "1 tablet by mouth twice daily"), route, prescriber and date.
 *
 * When one of the two searches fails, what loaded is shown with a warning saying what is
 * missing and a Retry: the list is never silently incomplete. When both fail, an error
 * with Retry replaces the list.
 *
 * @summary The patient's medication list: prescriptions and reported medications.
 *
 * @fires ehr-medication-select - {MedicationSelectEvent} The user activated a medication (`event.resource`, `event.medication`).
 *
 * @csspart base - The list's frame, in every state.
 * @csspart heading - The heading ("Medications" and the count).
 * @csspart group - Each group: Active and Draft or status unknown (open), Stopped (collapsed `<details>`).
 * @csspart group-summary - The summary that opens the Stopped group.
 * @csspart list - Each group's list.
 * @csspart item - Each medication.
 * @csspart name - The medication's name: a button that fires `ehr-medication-select`.
 * @csspart badge - Each label (Do not give, On hold, Stopped, Reported, Plan...).
 * @csspart meta - The line of details under a name (dose, route, prescriber, date).
 * @csspart warning - The partial-failure message, with its Retry.
 * @csspart state - The loading, error and empty states.
 * @csspart retry-button - The Retry buttons (error state and partial failure).
 * @csspart notice - A note that the list is incomplete or that some medications could not be named.
 *
 * @cssprop --ehr-medication-list-background - Background. Default: `--ehr-color-surface`.
 * @cssprop --ehr-medication-list-color - Text colour. Default: `--ehr-color-text`.
 * @cssprop --ehr-medication-list-muted-color - Details, counts and group titles. Default: `--ehr-color-text-muted`.
 * @cssprop --ehr-medication-list-border - Border shorthand. Default: `1px solid` `--ehr-color-border`.
 * @cssprop --ehr-medication-list-border-radius - Corner radius. Default: `--ehr-radius`.
 * @cssprop --ehr-medication-list-font-family - Font. Default: `--ehr-font-family`.
 * @cssprop --ehr-medication-list-font-size - Base font size. Default: 0.875rem.
 * @cssprop --ehr-medication-list-padding - Inner spacing. Default: 0.75rem 1rem.
 * @cssprop --ehr-medication-list-item-padding - Spacing of each item. Default: 0.5rem 0.
 * @cssprop --ehr-medication-list-divider-color - Lines between items. Default: `--ehr-color-border`.
 * @cssprop --ehr-medication-list-name-color - Medication names. Default: `--ehr-color-text`.
 * @cssprop --ehr-medication-list-badge-color - Label text. Default: `--ehr-color-text-muted`.
 * @cssprop --ehr-medication-list-badge-background - Label background. Default: `--ehr-color-surface-muted`.
 * @cssprop --ehr-medication-list-warning-color - On hold, draft and unknown labels; the partial-failure message. Default: `--ehr-color-warning`.
 * @cssprop --ehr-medication-list-warning-background - Their background. Default: `--ehr-color-warning-surface`.
 * @cssprop --ehr-medication-list-alert-color - The "Do not give" label of an order not to give a medication. Default: `--ehr-color-danger`.
 * @cssprop --ehr-medication-list-alert-background - Their background. Default: `--ehr-color-danger-surface`.
 */
export class MedicationListElement extends LitElement {
  static override styles = [tokens, visuallyHidden, stateStyles, clinicalListStyles, styles];

  /**
   * MedicationRequests and MedicationStatements (and the Medications and Practitioners
   * they reference) to show as given; nothing is loaded.
   */
  @property({ attribute: false }) resources?: Resource[];

  /** The id of a patient to show instead of the patient in context. */
  @property({ attribute: 'patient-id' }) patientId?: string;

  /** The level of the list's heading, 1–6 (group titles are one level below). Default 2. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** Leave out the heading (the host page has its own); the list is still named "Medications". */
  @property({ type: Boolean, attribute: 'no-heading' }) noHeading = false;

  /** The FHIR source to read from; provided by the enclosing `<ehr-context>`, or set directly. */
  @consume({ context: sourceContext, subscribe: true })
  @property({ attribute: false })
  source?: FhirSource;

  /** Where the enclosing `<ehr-context>` stands (a SMART launch in progress is loading, not "no patient"). */
  @consume({ context: contextStatusContext, subscribe: true })
  @state()
  contextStatus?: ContextStatus;

  private readonly data = new PatientDataController<ClinicalRecords>(this, {
    load: (source, patientId, options) => loadMedications(source, patientId, options),
    direct: () => (this.resources ? { resources: this.resources, matches: this.resources.length, complete: true, failures: [], otherPatient: 0 } : undefined),
  });

  private memo?: { resources: readonly Resource[]; locale?: string; view: MedicationListView };

  /** Loads the medications again (after an error or a partial failure, or to pick up changes). */
  reload(): Promise<void> {
    return this.data.reload();
  }

  private get locale(): string | undefined {
    return this.closest('[lang]')?.getAttribute('lang') || undefined;
  }

  private listView(records: ClinicalRecords): MedicationListView {
    const locale = this.locale;
    const memo = this.memo;
    if (memo && memo.resources === records.resources && memo.locale === locale) return memo.view;
    const view = toMedicationList(records.resources, { locale });
    this.memo = { resources: records.resources, locale, view };
    return view;
  }

  private handleRetry = (): void => {
    void this.reload();
  };

  private handleSelect(medication: MedicationView): void {
    this.dispatchEvent(new MedicationSelectEvent(medication));
  }

  private renderBadges(medication: MedicationView) {
    const badges: TemplateResult[] = [];
    // An order NOT to give a medication: said first, in the alert colour, so it is never read as a prescription.
    if (medication.doNotPerform) badges.push(html`<span part="badge" class="badge alert">Do not give</span>`);
    const code = medication.status.code;
    if (code !== 'active') {
      badges.push(html`<span part="badge" class="badge ${code === undefined || WARNING_STATUSES.has(code) ? 'warning' : ''}">${medication.status.label}</span>`);
    }
    if (medication.intent) badges.push(html`<span part="badge" class="badge">${medication.intent.label}</span>`);
    if (medication.reported) badges.push(html`<span part="badge" class="badge">Reported</span>`);
    return badges;
  }

  private renderMeta(medication: MedicationView) {
    const items: (TemplateResult | string)[] = [];
    if (medication.dosage) items.push(html`<span class="dose"><span class="visually-hidden">Dose </span>${medication.dosage}</span>`);
    if (medication.route) items.push(html`<span class="visually-hidden">Route </span>${medication.route}`);
    if (medication.date) {
      const by = medication.kind === 'request' && medication.prescriber ? ` by ${medication.prescriber}` : '';
      items.push(`${medication.date.label} ${medication.date.text}${by}`);
    } else if (medication.prescriber) {
      items.push(`Prescribed by ${medication.prescriber}`);
    }
    if (medication.reportedBy) items.push(`Reported by ${medication.reportedBy}`);
    if (medication.statusReason) items.push(`Reason: ${medication.statusReason}`);
    if (items.length === 0) return nothing;
    return html`<ul part="meta" class="meta" role="list">
      ${items.map((item) => html`<li>${item}</li>`)}
    </ul>`;
  }

  private renderItem(medication: MedicationView): TemplateResult {
    const uncoded = medication.nameSource !== 'text' && medication.nameSource !== 'display';
    return html`<li part="item" class="item ${medication.group === 'active' ? '' : 'inactive'}">
      <div class="item-head">
        <button part="name" class="name ${uncoded ? 'uncoded' : ''}" type="button" @click=${() => this.handleSelect(medication)}>${medication.name}</button>
        ${this.renderBadges(medication)}
      </div>
      ${this.renderMeta(medication)}
    </li>`;
  }

  private renderList(medications: readonly MedicationView[]): TemplateResult {
    return html`<ul part="list" class="list" role="list">
      ${medications.map((medication) => this.renderItem(medication))}
    </ul>`;
  }

  private renderOpenGroup(key: string, title: string, medications: readonly MedicationView[], emptyText?: string): TemplateResult {
    const level = Math.min(6, clampLevel(this.headingLevel) + 1);
    return html`<section part="group" class="group ${key}" aria-labelledby="group-${key}">
      <div class="group-title" role="heading" aria-level=${level} id="group-${key}">
        ${title} <span class="count">(${medications.length})</span>
      </div>
      ${medications.length ? this.renderList(medications) : html`<p class="empty-group">${emptyText}</p>`}
    </section>`;
  }

  private renderFailures(failures: readonly ClinicalQueryFailure[]) {
    if (failures.length === 0) return nothing;
    return html`${failures.map((failure) => {
      const kind = KINDS[failure.resourceType];
      const reason = errorReason(failure.error);
      return html`<div part="warning" class="warning-box">
        <p role="alert">
          <strong>${kind?.failed ?? `${failure.resourceType} could not be loaded.`}</strong>${reason ? html` <span>${reason}</span>` : nothing}
          ${kind ? html` <span>${kind.loaded}</span>` : nothing}
        </p>
        <button part="retry-button" type="button" @click=${this.handleRetry}>Retry</button>
      </div>`;
    })}`;
  }

  private renderRecords(records: ClinicalRecords, view: MedicationListView): TemplateResult {
    const notices = html`${view.unresolved > 0
      ? html`<p part="notice" class="notice">
          The details of ${view.unresolved} referenced ${view.unresolved === 1 ? 'medication' : 'medications'} could not be loaded from the server.
        </p>`
      : nothing}${records.complete
      ? nothing
      : html`<p part="notice" class="notice">This list may be incomplete: the server had more medications than could be loaded.</p>`}${records.otherPatient > 0
      ? html`<p part="notice" class="notice">
          ${records.otherPatient} ${records.otherPatient === 1 ? 'record' : 'records'} the server returned for another patient ${records.otherPatient === 1 ? 'was' : 'were'} left out.
        </p>`
      : nothing}`;
    const failures = this.renderFailures(records.failures);
    if (view.count === 0) {
      // With one search failed, "none" would be a lie: say what the other search found.
      const failed = records.failures[0]?.resourceType;
      const none = failed ? KINDS[failed]?.none : undefined;
      return html`${failures}${renderEmpty(none ?? 'No medications recorded')}${notices}`;
    }
    return html`${failures}${this.renderOpenGroup('active', 'Active', view.active, 'No active medications')}
    ${view.other.length ? this.renderOpenGroup('other', 'Draft or status unknown', view.other) : nothing}
    ${view.stopped.length
      ? html`<details part="group" class="group stopped">
          <summary part="group-summary">Stopped <span class="count">(${view.stopped.length})</span></summary>
          ${this.renderList(view.stopped)}
        </details>`
      : nothing}
    ${notices}`;
  }

  protected override render() {
    let count: number | undefined;
    const body = this.data.render({
      pending: (progress) => renderLoading('Loading medications', progress),
      error: (error) => renderLoadError('Medications could not be loaded.', error, this.handleRetry),
      complete: (records) => {
        const view = this.listView(records);
        count = view.count;
        return this.renderRecords(records, view);
      },
      noPatient: () => renderNoPatient(),
    });
    return html`<section part="base" class="base" aria-labelledby=${this.noHeading ? nothing : 'heading'} aria-label=${this.noHeading ? 'Medications' : nothing}>
      ${this.noHeading
        ? nothing
        : renderHeading(clampLevel(this.headingLevel), html`Medications${count === undefined ? nothing : html` <span class="count">(${count})</span>`}`, 'heading')}
      ${body}
    </section>`;
  }
}

function clampLevel(level: number): number {
  return Number.isInteger(level) && level >= 1 && level <= 6 ? level : 2;
}
