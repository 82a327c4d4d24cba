import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Resource } from '@medplum/fhirtypes';
import {
  groupImmunizationsByVaccine,
  loadImmunizations,
  toImmunizationList,
  type ClinicalRecords,
  type FhirSource,
  type ImmunizationGroupView,
  type ImmunizationListView,
  type ImmunizationView,
} from '@ehr-elements/core';
import { contextStatusContext, sourceContext, type ContextStatus } from '../context/source-context.js';
import { clinicalListStyles } from '../shared/clinical-list.styles.js';
import { PatientDataController } from '../shared/patient-data-controller.js';
import { renderEmpty, renderHeading, renderLoadError, renderLoading, renderNoPatient } from '../shared/state-views.js';
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
 * immunizations recorded", and the list.
 *
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
export class ImmunizationListElement extends LitElement {
  static override styles = [tokens, visuallyHidden, stateStyles, clinicalListStyles, styles];

  /** Immunizations (and the Practitioners, Organizations and Locations they reference) to show as given; nothing is loaded. */
  @property({ attribute: false }) resources?: Resource[];

  /** The id of a patient to show instead of the patient in context. */
  @property({ attribute: 'patient-id' }) patientId?: string;

  /** `vaccine`: group the doses of each vaccine under its name. Default `none`: one list, newest first. */
  @property({ attribute: 'group-by', reflect: true }) groupBy: ImmunizationGrouping = 'none';

  /** The level of the list's heading, 1–6 (vaccine names are one level below when grouped). Default 2. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** Leave out the heading (the host page has its own); the list is still named "Immunizations". */
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
    load: (source, patientId, options) => loadImmunizations(source, patientId, options),
    direct: () => (this.resources ? { resources: this.resources, matches: this.resources.length, complete: true, failures: [], otherPatient: 0 } : undefined),
  });

  private memo?: { resources: readonly Resource[]; locale?: string; view: ImmunizationListView };

  /** Loads the immunizations again (after an error, or to pick up changes). */
  reload(): Promise<void> {
    return this.data.reload();
  }

  private get locale(): string | undefined {
    return this.closest('[lang]')?.getAttribute('lang') || undefined;
  }

  private listView(records: ClinicalRecords): ImmunizationListView {
    const locale = this.locale;
    const memo = this.memo;
    if (memo && memo.resources === records.resources && memo.locale === locale) return memo.view;
    const view = toImmunizationList(records.resources, { locale });
    this.memo = { resources: records.resources, locale, view };
    return view;
  }

  private handleRetry = (): void => {
    void this.reload();
  };

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

  private renderItem(immunization: ImmunizationView, grouped: boolean): TemplateResult {
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
    const level = Math.min(6, clampLevel(this.headingLevel) + 1);
    const given = group.given === 0 ? 'none given' : `${group.given} ${group.given === 1 ? 'dose' : 'doses'}`;
    return html`<section part="group" class="group vaccine" aria-labelledby="vaccine-${index}">
      <div class="group-title" role="heading" aria-level=${level} id="vaccine-${index}">
        ${group.name} <span class="count">(${given}${group.latest ? `, latest ${group.latest.display}` : ''})</span>
      </div>
      <ul part="list" class="list" role="list">
        ${group.items.map((item) => this.renderItem(item, true))}
      </ul>
    </section>`;
  }

  private renderRecords(records: ClinicalRecords, view: ImmunizationListView): TemplateResult {
    const notices = html`${records.complete
      ? nothing
      : html`<p part="notice" class="notice">This list may be incomplete: the server had more immunizations than could be loaded.</p>`}${records.otherPatient > 0
      ? html`<p part="notice" class="notice">
          ${records.otherPatient} ${records.otherPatient === 1 ? 'record' : 'records'} the server returned for another patient ${records.otherPatient === 1 ? 'was' : 'were'} left out.
        </p>`
      : nothing}`;
    if (view.count === 0) return html`${renderEmpty('No immunizations recorded')}${notices}`;
    if (this.groupBy === 'vaccine') {
      return html`${groupImmunizationsByVaccine(view.items, { locale: this.locale }).map((group, index) => this.renderGroup(group, index))}${notices}`;
    }
    return html`<ul part="list" class="list" role="list">
        ${view.items.map((item) => this.renderItem(item, false))}
      </ul>
      ${notices}`;
  }

  protected override render() {
    let count: number | undefined;
    const body = this.data.render({
      pending: (progress) => renderLoading('Loading immunizations', progress),
      error: (error) => renderLoadError('Immunizations could not be loaded.', error, this.handleRetry),
      complete: (records) => {
        const view = this.listView(records);
        count = view.count;
        return this.renderRecords(records, view);
      },
      noPatient: () => renderNoPatient(),
    });
    return html`<section part="base" class="base" aria-labelledby=${this.noHeading ? nothing : 'heading'} aria-label=${this.noHeading ? 'Immunizations' : nothing}>
      ${this.noHeading
        ? nothing
        : renderHeading(clampLevel(this.headingLevel), html`Immunizations${count === undefined ? nothing : html` <span class="count">(${count})</span>`}`, 'heading')}
      ${body}
    </section>`;
  }
}

function clampLevel(level: number): number {
  return Number.isInteger(level) && level >= 1 && level <= 6 ? level : 2;
}
