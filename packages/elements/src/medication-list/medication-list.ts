import { html, nothing, type TemplateResult } from 'lit';
import type { Resource } from '@medplum/fhirtypes';
import {
  loadMedications,
  NO_INFORMATION_ABOUT_MEDICATIONS,
  NO_KNOWN_MEDICATIONS,
  toMedicationList,
  type ClinicalQueryFailure,
  type ClinicalRecords,
  type FhirSource,
  type MedicationListView,
  type MedicationView,
} from '@ehr-elements/core';
import { clinicalListStyles } from '../shared/clinical-list.styles.js';
import type { PatientDataLoadOptions } from '../shared/patient-data-controller.js';
import { PatientListElement } from '../shared/patient-list-element.js';
import { renderStatements } from '../shared/list-statements.js';
import { errorReason, renderEmpty } from '../shared/state-views.js';
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
 * Or shows the MedicationRequests and MedicationStatements (and the Medications and
 * Practitioners they reference) given as the `.resources` property.
 *
 * When one of the two searches fails, what loaded is shown with a warning saying what is
 * missing and a Retry: the list is never silently incomplete. A negation record (SNOMED CT
 * 787481004, IPS `no-known-medications` or `no-medication-info`) is the list's statement
 * ("No known medications"), never a medication, and never shown as the patient's status
 * beside a medication in force. When both fail, an error
 * with Retry replaces the list.
 *
 * @tag ehr-medication-list
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
 * @csspart no-known - The list's statement from a negation record: "No known medications", "No information about medications".
 * @csspart conflict - A negation record that medications in force contradict, to be reconciled.
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
export class MedicationListElement extends PatientListElement<MedicationListView, MedicationView> {
  static override styles = [tokens, visuallyHidden, stateStyles, clinicalListStyles, styles];

  protected readonly listName = 'Medications';

  protected loadRecords(source: FhirSource, patientId: string, options: PatientDataLoadOptions): Promise<ClinicalRecords> {
    return loadMedications(source, patientId, options);
  }

  protected toView(resources: readonly Resource[], locale: string | undefined): MedicationListView {
    return toMedicationList(resources, { locale });
  }

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

  protected renderItem(medication: MedicationView): TemplateResult {
    const uncoded = medication.nameSource !== 'text' && medication.nameSource !== 'display';
    return html`<li part="item" class="item ${medication.group === 'active' ? '' : 'inactive'}">
      <div class="item-head">
        <button part="name" class="name ${uncoded ? 'uncoded' : ''}" type="button" @click=${() => this.handleSelect(medication)}>${medication.name}</button>
        ${this.renderBadges(medication)}
      </div>
      ${this.renderMeta(medication)}
    </li>`;
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

  protected renderRecords(records: ClinicalRecords, view: MedicationListView): TemplateResult {
    const notices = html`${view.unresolved > 0
      ? html`<p part="notice" class="notice">
          The details of ${view.unresolved} referenced ${view.unresolved === 1 ? 'medication' : 'medications'} could not be loaded from the server.
        </p>`
      : nothing}${this.renderNotices(records)}`;
    const failures = this.renderFailures(records.failures);
    const statements = renderStatements(view, { noKnown: NO_KNOWN_MEDICATIONS, noInformation: NO_INFORMATION_ABOUT_MEDICATIONS, records: 'medications' }, (medication) => {
      const when = medication.dateAsserted ?? medication.authoredOn;
      const by = medication.reportedBy ?? medication.prescriber;
      return { name: medication.name, ...(when || by ? { detail: `Recorded${when ? ` ${when.display}` : ''}${by ? ` by ${by}` : ''}` } : {}) };
    });
    if (view.count === 0) {
      // "No known medications" is what the record says; "No medications recorded" is that it says nothing.
      if (view.noKnown.length > 0 || view.noInformation.length > 0) return html`${failures}${statements}${notices}`;
      // With one search failed, "none" would be a lie: say what the other search found.
      const failed = records.failures[0]?.resourceType;
      const none = failed ? KINDS[failed]?.none : undefined;
      return html`${failures}${renderEmpty(none ?? 'No medications recorded')}${notices}`;
    }
    return html`${failures}${statements}${this.renderOpenGroup('active', 'Active', view.active, 'No active medications')}
    ${view.other.length ? this.renderOpenGroup('other', 'Draft or status unknown', view.other) : nothing}
    ${view.stopped.length ? this.renderCollapsedGroup('stopped', 'Stopped', view.stopped) : nothing}
    ${notices}`;
  }
}
