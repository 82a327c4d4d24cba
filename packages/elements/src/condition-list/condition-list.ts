import { html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { Resource } from '@medplum/fhirtypes';
import { loadConditions, NO_INFORMATION_ABOUT_PROBLEMS, NO_KNOWN_PROBLEMS, toConditionList, type ClinicalRecords, type ConditionListView, type ConditionView, type FhirSource } from '@ehr-elements/core';
import { clinicalListStyles } from '../shared/clinical-list.styles.js';
import type { PatientDataLoadOptions } from '../shared/patient-data-controller.js';
import { PatientListElement } from '../shared/patient-list-element.js';
import { renderStatements } from '../shared/list-statements.js';
import { renderEmpty } from '../shared/state-views.js';
import { stateStyles } from '../shared/states.styles.js';
import { tokens, visuallyHidden } from '../styles/tokens.styles.js';
import { styles } from './condition-list.styles.js';
import { ConditionSelectEvent } from './events.js';

// How an empty list names the category filter: "No conditions recorded on the problem list".
const CATEGORY_PHRASES: Readonly<Record<string, string>> = {
  'problem-list-item': 'on the problem list',
  'encounter-diagnosis': 'as encounter diagnoses',
  'health-concern': 'as health concerns',
};

/**
 * The patient's conditions: active problems first, then resolved ones (collapsed),
 * refuted ones apart and labelled; conditions entered in error are never shown (FHIR R4
 * Condition.verificationStatus). Each shows its name, onset (a partial date stays partial,
 * "at age 45"), how it ended, category, severity, verification status when it is not
 * confirmed, and who recorded it. Newest onset first, unknown onset last.
 *
 * Reads `Condition?patient=<id>` from the source of the enclosing `<ehr-context>` (or the
 * patient in `patient-id`), or shows Conditions given as the `.resources` property. Every
 * state is rendered: loading (a skeleton, `aria-busy`, progress), an error with Retry
 * (never an empty list), "No conditions recorded" (or, with a category filter, which
 * kind of empty), "No known problems" when a negation record (SNOMED CT 160245001, IPS
 * `no-known-problems`) says so and no condition in force contradicts it, and the list.
 *
 * @tag ehr-condition-list
 * @summary The patient's problem list and diagnoses.
 *
 * @fires ehr-condition-select - {ConditionSelectEvent} The user activated a condition (`event.resource`, `event.condition`).
 *
 * @csspart base - The list's frame, in every state.
 * @csspart heading - The heading ("Conditions" and the count).
 * @csspart group - Each group: Active and Status not recorded (open), Resolved and Refuted (collapsed `<details>`).
 * @csspart group-summary - The summary that opens a collapsed group.
 * @csspart list - Each group's list.
 * @csspart item - Each condition.
 * @csspart name - The condition's name: a button that fires `ehr-condition-select`.
 * @csspart badge - Each label (Provisional, Refuted, Recurrence, severity, "Active, but an end date is recorded"...).
 * @csspart meta - The line of details under a name.
 * @csspart state - The loading, error and empty states.
 * @csspart retry-button - The Retry button of the error state.
 * @csspart notice - A note that the list is incomplete.
 * @csspart no-known - The list's statement from a negation record: "No known problems", "No information about problems".
 * @csspart conflict - A negation record that conditions in force contradict, to be reconciled.
 *
 * @cssprop --ehr-condition-list-background - Background. Default: `--ehr-color-surface`.
 * @cssprop --ehr-condition-list-color - Text colour. Default: `--ehr-color-text`.
 * @cssprop --ehr-condition-list-muted-color - Details, counts and group titles. Default: `--ehr-color-text-muted`.
 * @cssprop --ehr-condition-list-border - Border shorthand. Default: `1px solid` `--ehr-color-border`.
 * @cssprop --ehr-condition-list-border-radius - Corner radius. Default: `--ehr-radius`.
 * @cssprop --ehr-condition-list-font-family - Font. Default: `--ehr-font-family`.
 * @cssprop --ehr-condition-list-font-size - Base font size. Default: 0.875rem.
 * @cssprop --ehr-condition-list-padding - Inner spacing. Default: 0.75rem 1rem.
 * @cssprop --ehr-condition-list-item-padding - Spacing of each item. Default: 0.5rem 0.
 * @cssprop --ehr-condition-list-divider-color - Lines between items. Default: `--ehr-color-border`.
 * @cssprop --ehr-condition-list-name-color - Condition names. Default: `--ehr-color-text`.
 * @cssprop --ehr-condition-list-badge-color - Label text. Default: `--ehr-color-text-muted`.
 * @cssprop --ehr-condition-list-badge-background - Label background. Default: `--ehr-color-surface-muted`.
 * @cssprop --ehr-condition-list-warning-color - Provisional, unconfirmed and differential labels, and a record that contradicts itself. Default: `--ehr-color-warning`.
 * @cssprop --ehr-condition-list-warning-background - Their background. Default: `--ehr-color-warning-surface`.
 * @cssprop --ehr-condition-list-alert-color - Recurrence, relapse and severe labels. Default: `--ehr-color-danger`.
 * @cssprop --ehr-condition-list-alert-background - Their background. Default: `--ehr-color-danger-surface`.
 */
export class ConditionListElement extends PatientListElement<ConditionListView, ConditionView> {
  static override styles = [tokens, visuallyHidden, stateStyles, clinicalListStyles, styles];

  /**
   * Show only these categories: codes separated by commas or spaces, any system
   * (`problem-list-item`, `encounter-diagnosis`, `health-concern`). Default: every category.
   */
  @property() category?: string;

  protected readonly listName = 'Conditions';

  private get categories(): string[] {
    return (this.category ?? '')
      .split(/[\s,]+/)
      .map((code) => code.trim().toLowerCase())
      .filter(Boolean);
  }

  protected loadRecords(source: FhirSource, patientId: string, options: PatientDataLoadOptions): Promise<ClinicalRecords> {
    return loadConditions(source, patientId, options);
  }

  protected toView(resources: readonly Resource[], locale: string | undefined): ConditionListView {
    return toConditionList(resources, { locale, categories: this.categories });
  }

  protected override viewKey(): unknown {
    return this.category;
  }

  private handleSelect(condition: ConditionView): void {
    this.dispatchEvent(new ConditionSelectEvent(condition));
  }

  private renderBadges(condition: ConditionView) {
    const badges: TemplateResult[] = [];
    // A record that contradicts itself (R4 con-4) is said to, first: it is listed as active, but may not be.
    if (condition.inconsistency) badges.push(html`<span part="badge" class="badge warning">${condition.inconsistency}</span>`);
    if (condition.verification) {
      const kind = condition.verification.code === 'refuted' ? '' : 'warning';
      badges.push(html`<span part="badge" class="badge ${kind}">${condition.verification.label}</span>`);
    }
    const clinical = condition.clinicalStatus;
    if (clinical && clinical.code !== 'active' && clinical.code !== 'resolved') {
      const kind = clinical.code === 'recurrence' || clinical.code === 'relapse' ? 'alert' : '';
      badges.push(html`<span part="badge" class="badge ${kind}">${clinical.label}</span>`);
    }
    if (condition.severity) {
      const severe = /severe/i.test(condition.severity);
      badges.push(
        html`<span part="badge" class="badge ${severe ? 'alert' : ''}"><span class="visually-hidden">Severity </span>${condition.severity}</span>`,
      );
    }
    return badges;
  }

  private renderMeta(condition: ConditionView) {
    const items: (TemplateResult | string)[] = [];
    if (condition.onset) items.push(condition.onset.kind === 'string' ? `Onset: ${condition.onset.text}` : `Onset ${condition.onset.text}`);
    if (condition.abatement) items.push(condition.abatement.label);
    if (condition.categories.length) {
      items.push(html`<span class="visually-hidden">Category </span>${condition.categories.map((category) => category.label).join(', ')}`);
    }
    if (condition.bodySites.length) items.push(`Site: ${condition.bodySites.join(', ')}`);
    if (condition.recorded || condition.recorder) {
      items.push(`Recorded${condition.recorded ? ` ${condition.recorded.display}` : ''}${condition.recorder ? ` by ${condition.recorder}` : ''}`);
    }
    if (condition.asserter) items.push(`Asserted by ${condition.asserter}`);
    if (items.length === 0) return nothing;
    return html`<ul part="meta" class="meta" role="list">
      ${items.map((item) => html`<li>${item}</li>`)}
    </ul>`;
  }

  protected renderItem(condition: ConditionView): TemplateResult {
    return html`<li part="item" class="item ${condition.group === 'active' ? '' : 'inactive'}">
      <div class="item-head">
        <button part="name" class="name ${condition.nameSource === 'text' || condition.nameSource === 'display' ? '' : 'uncoded'}" type="button"
          @click=${() => this.handleSelect(condition)}>${condition.name}</button>
        ${this.renderBadges(condition)}
      </div>
      ${this.renderMeta(condition)}
    </li>`;
  }

  private renderEmptyList(view: ConditionListView): TemplateResult {
    const categories = this.categories;
    if (categories.length === 0) return renderEmpty('No conditions recorded');
    const phrase = categories.length === 1 ? (CATEGORY_PHRASES[categories[0]!] ?? `in the category “${categories[0]}”`) : 'in the selected categories';
    const others = view.filteredOut;
    return renderEmpty(
      `No conditions recorded ${phrase}`,
      others > 0 ? `${others} ${others === 1 ? 'condition' : 'conditions'} in other categories ${others === 1 ? 'is' : 'are'} not shown.` : undefined,
    );
  }

  protected renderRecords(records: ClinicalRecords, view: ConditionListView): TemplateResult {
    const notices = this.renderNotices(records);
    const statements = renderStatements(view, { noKnown: NO_KNOWN_PROBLEMS, noInformation: NO_INFORMATION_ABOUT_PROBLEMS, records: 'conditions' }, (condition) => ({
      name: condition.name,
      ...(condition.recorded || condition.recorder
        ? { detail: `Recorded${condition.recorded ? ` ${condition.recorded.display}` : ''}${condition.recorder ? ` by ${condition.recorder}` : ''}` }
        : {}),
    }));
    if (view.count === 0) {
      // "No known problems" is what the record says; "No conditions recorded" is that it says nothing.
      if (view.noKnown.length > 0 || view.noInformation.length > 0) return html`${statements}${notices}`;
      return html`${this.renderEmptyList(view)}${notices}`;
    }
    return html`${statements}${this.renderOpenGroup('active', 'Active', view.active, 'No active conditions')}
    ${view.unknown.length ? this.renderOpenGroup('unknown', 'Status not recorded', view.unknown) : nothing}
    ${view.resolved.length ? this.renderCollapsedGroup('resolved', 'Resolved', view.resolved) : nothing}
    ${view.refuted.length ? this.renderCollapsedGroup('refuted', 'Refuted', view.refuted) : nothing} ${notices}`;
  }
}
