import { html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { Resource } from '@medplum/fhirtypes';
import {
  groupImmunizationsByVaccine,
  loadImmunizations,
  NO_INFORMATION_ABOUT_IMMUNIZATIONS,
  NO_KNOWN_IMMUNIZATIONS,
  toImmunizationList,
  type ClinicalRecords,
  type FhirSource,
  type ImmunizationGroupView,
  type ImmunizationListView,
  type ImmunizationView,
} from '@ehr-elements/core';
import { clinicalListStyles } from '../shared/clinical-list.styles.js';
import type { PatientDataLoadOptions } from '../shared/patient-data-controller.js';
import { PatientListElement } from '../shared/patient-list-element.js';
import { renderStatements } from '../shared/list-statements.js';
import { renderEmpty } from '../shared/state-views.js';
import { stateStyles } from '../shared/states.styles.js';
import { tokens, visuallyHidden } from '../styles/tokens.styles.js';
import { ImmunizationSelectEvent } from './events.js';
import { styles } from './immunization-list.styles.js';

/** `none` (default): one list, newest first; `vaccine`: the doses of each vaccine together. */
export type ImmunizationGrouping = 'none' | 'vaccine';

/**
 * The patient's immunizations, newest first, or grouped by vaccine (`group-by="vaccine"`).
 * Each shows the vaccine, the date (a partial date stays partial), the dose in its series,
 * lot number, site and route, who gave it and where. A vaccine not given is shown as
 * "Not given" with the reason (FHIR R4 Immunization.status `not-done`); a record reported
 * by someone other than who gave it (`primarySource: false`) is tagged "Reported"; records
 * entered in error are never shown.
 *
 * Reads `Immunization?patient=<id>` from the source of the enclosing `<ehr-context>` (or the
 * patient in `patient-id`), or shows Immunizations given as the `.resources` property.
 * Every state is rendered: loading, an error with Retry (never an empty list), "No
 * immunizations recorded", "No known immunizations" when a negation record (IPS
 * `no-known-immunizations`) says so and no dose given contradicts it, and the list.
 *
 * @tag ehr-immunization-list
 * @summary The patient's immunization history.
 *
 * @fires ehr-immunization-select - {ImmunizationSelectEvent} The user activated an immunization (`event.resource`, `event.immunization`).
 *
 * @csspart base - The list's frame, in every state.
 * @csspart heading - The heading ("Immunizations" and the count).
 * @csspart group - Each vaccine's group, with `group-by="vaccine"`.
 * @csspart list - A list of immunizations.
 * @csspart item - Each immunization.
 * @csspart name - The vaccine's name (the date, when grouped by vaccine): a button that fires `ehr-immunization-select`.
 * @csspart badge - Each label (Not given, Subpotent dose, Reported, Status unknown).
 * @csspart meta - The line of details under a name (date, dose, lot, site, route, performer, location).
 * @csspart state - The loading, error and empty states.
 * @csspart retry-button - The Retry button of the error state.
 * @csspart notice - A note that the list is incomplete.
 * @csspart no-known - The list's statement from a negation record: "No known immunizations", "No information about immunizations".
 * @csspart conflict - A negation record that doses given contradict, to be reconciled.
 *
 * @cssprop --ehr-immunization-list-background - Background. Default: `--ehr-color-surface`.
 * @cssprop --ehr-immunization-list-color - Text colour. Default: `--ehr-color-text`.
 * @cssprop --ehr-immunization-list-muted-color - Details, counts and group titles. Default: `--ehr-color-text-muted`.
 * @cssprop --ehr-immunization-list-border - Border shorthand. Default: `1px solid` `--ehr-color-border`.
 * @cssprop --ehr-immunization-list-border-radius - Corner radius. Default: `--ehr-radius`.
 * @cssprop --ehr-immunization-list-font-family - Font. Default: `--ehr-font-family`.
 * @cssprop --ehr-immunization-list-font-size - Base font size. Default: 0.875rem.
 * @cssprop --ehr-immunization-list-padding - Inner spacing. Default: 0.75rem 1rem.
 * @cssprop --ehr-immunization-list-item-padding - Spacing of each item. Default: 0.5rem 0.
 * @cssprop --ehr-immunization-list-divider-color - Lines between items. Default: `--ehr-color-border`.
 * @cssprop --ehr-immunization-list-name-color - Vaccine names. Default: `--ehr-color-text`.
 * @cssprop --ehr-immunization-list-badge-color - Label text. Default: `--ehr-color-text-muted`.
 * @cssprop --ehr-immunization-list-badge-background - Label background. Default: `--ehr-color-surface-muted`.
 * @cssprop --ehr-immunization-list-warning-color - "Not given", "Subpotent dose" and "Status unknown" labels. Default: `--ehr-color-warning`.
 * @cssprop --ehr-immunization-list-warning-background - Their background. Default: `--ehr-color-warning-surface`.
 * @cssprop --ehr-immunization-list-alert-color - Reserved for alerts. Default: `--ehr-color-danger`.
 * @cssprop --ehr-immunization-list-alert-background - Their background. Default: `--ehr-color-danger-surface`.
 */
export class ImmunizationListElement extends PatientListElement<ImmunizationListView, ImmunizationView> {
  static override styles = [tokens, visuallyHidden, stateStyles, clinicalListStyles, styles];

  /** `vaccine`: group the doses of each vaccine under its name. Default `none`: one list, newest first. */
  @property({ attribute: 'group-by', reflect: true }) groupBy: ImmunizationGrouping = 'none';

  protected readonly listName = 'Immunizations';

  protected loadRecords(source: FhirSource, patientId: string, options: PatientDataLoadOptions): Promise<ClinicalRecords> {
    return loadImmunizations(source, patientId, options);
  }

  protected toView(resources: readonly Resource[], locale: string | undefined): ImmunizationListView {
    return toImmunizationList(resources, { locale });
  }

  private handleSelect(immunization: ImmunizationView): void {
    this.dispatchEvent(new ImmunizationSelectEvent(immunization));
  }

  private renderBadges(immunization: ImmunizationView) {
    return html`${immunization.statusLabel ? html`<span part="badge" class="badge warning">${immunization.statusLabel}</span>` : nothing}${immunization.subpotent
      ? html`<span part="badge" class="badge warning">Subpotent dose</span>`
      : nothing}${immunization.reported
      ? html`<span part="badge" class="badge">Reported</span>`
      : nothing}`;
  }

  private renderMeta(immunization: ImmunizationView, grouped: boolean) {
    const items: (TemplateResult | string)[] = [];
    if (!grouped && immunization.date) items.push(immunization.date.text);
    if (immunization.status === 'not-done' && immunization.statusReason) items.push(`Reason: ${immunization.statusReason}`);
    if (immunization.dose) items.push(immunization.series ? `${immunization.dose} (${immunization.series})` : immunization.dose);
    else if (immunization.series) items.push(immunization.series);
    if (immunization.lotNumber) items.push(`Lot ${immunization.lotNumber}`);
    if (immunization.site) items.push(html`<span class="visually-hidden">Site </span>${immunization.site}`);
    if (immunization.route) items.push(html`<span class="visually-hidden">Route </span>${immunization.route}`);
    if (immunization.performers.length) items.push(`${immunization.status === 'not-done' ? 'By' : 'Given by'} ${immunization.performers.join(', ')}`);
    if (immunization.location) items.push(`At ${immunization.location}`);
    if (immunization.reported && immunization.reportOrigin) items.push(`Source: ${immunization.reportOrigin}`);
    if (items.length === 0) return nothing;
    return html`<ul part="meta" class="meta" role="list">
      ${items.map((item) => html`<li>${item}</li>`)}
    </ul>`;
  }

  protected renderItem(immunization: ImmunizationView, grouped = false): TemplateResult {
    const uncoded = immunization.nameSource !== 'text' && immunization.nameSource !== 'display';
    // Grouped under the vaccine's name, each dose is named by its date.
    const label = grouped ? (immunization.date?.text ?? 'Date not recorded') : immunization.name;
    return html`<li part="item" class="item ${immunization.status === 'completed' ? '' : 'inactive'}">
      <div class="item-head">
        <button part="name" class="name ${!grouped && uncoded ? 'uncoded' : ''}" type="button" @click=${() => this.handleSelect(immunization)}>${label}</button>
        ${this.renderBadges(immunization)}
      </div>
      ${this.renderMeta(immunization, grouped)}
    </li>`;
  }

  private renderGroup(group: ImmunizationGroupView, index: number): TemplateResult {
    const given = group.given === 0 ? 'none given' : `${group.given} ${group.given === 1 ? 'dose' : 'doses'}`;
    // A subpotent dose does not count (FHIR R4 Immunization.isSubpotent): said apart, never as "latest".
    const subpotent = group.subpotent > 0 ? `, ${group.subpotent} subpotent` : '';
    return html`<section part="group" class="group vaccine" aria-labelledby="vaccine-${index}">
      <div class="group-title" role="heading" aria-level=${this.groupLevel} id="vaccine-${index}">
        ${group.name} <span class="count">(${given}${subpotent}${group.latest ? `, latest ${group.latest.display}` : ''})</span>
      </div>
      <ul part="list" class="list" role="list">
        ${group.items.map((item) => this.renderItem(item, true))}
      </ul>
    </section>`;
  }

  protected renderRecords(records: ClinicalRecords, view: ImmunizationListView): TemplateResult {
    const notices = this.renderNotices(records);
    const statements = renderStatements(
      view,
      { noKnown: NO_KNOWN_IMMUNIZATIONS, noInformation: NO_INFORMATION_ABOUT_IMMUNIZATIONS, records: 'immunizations' },
      (immunization) => ({ name: immunization.name, ...(immunization.date ? { detail: `Recorded ${immunization.date.text}` } : {}) }),
    );
    if (view.count === 0) {
      // "No known immunizations" is what the record says; "No immunizations recorded" is that it says nothing.
      if (view.noKnown.length > 0 || view.noInformation.length > 0) return html`${statements}${notices}`;
      return html`${renderEmpty('No immunizations recorded')}${notices}`;
    }
    if (this.groupBy === 'vaccine') {
      return html`${statements}${groupImmunizationsByVaccine(view.items, { locale: this.locale }).map((group, index) => this.renderGroup(group, index))}${notices}`;
    }
    return html`${statements}${this.renderList(view.items)}
      ${notices}`;
  }
}
