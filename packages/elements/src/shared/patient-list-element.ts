import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Resource } from '@medplum/fhirtypes';
import type { ClinicalRecords, FhirSource } from '@ehr-elements/core';
import { contextStatusContext, sourceContext, type ContextStatus } from '../context/source-context.js';
import { PatientDataController, type PatientDataLoadOptions } from './patient-data-controller.js';
import { clampHeadingLevel, renderListHeading, renderLoadError, renderLoading, renderNoPatient } from './state-views.js';

/** What a clinical list builds from its records: a view model that knows how many it shows. */
export interface PatientListView {
  readonly count: number;
}

/**
 * The base of the clinical lists (`<ehr-condition-list>`, `<ehr-medication-list>`,
 * `<ehr-immunization-list>`): the properties they share, loading one patient's records
 * (or showing `resources` as given), building the list's view only when the records or
 * the page language change, and the frame every state is drawn in: a `base` section named
 * by its heading ("Conditions (3)"), or by `aria-label` under `no-heading`.
 *
 * A list says what it is called (`listName`), how it loads (`loadRecords`), how it builds
 * its view (`toView`) and how it draws its records and each item (`renderRecords`,
 * `renderItem`). Its class JSDoc documents its parts, custom properties and events.
 */
export abstract class PatientListElement<View extends PatientListView, Item> extends LitElement {
  /** FHIR resources to show as given: the list's records and the resources they reference. Nothing is loaded. */
  @property({ attribute: false }) resources?: Resource[];

  /** The id of a patient to show instead of the patient in context. */
  @property({ attribute: 'patient-id' }) patientId?: string;

  /** The level of the list's heading, 1–6 (titles within the list are one level below). Default 2. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** Leave out the heading (the host page has its own); the list is still named by its `aria-label`. */
  @property({ type: Boolean, attribute: 'no-heading' }) noHeading = false;

  /** The FHIR source to read from; provided by the enclosing `<ehr-context>`, or set directly. */
  @consume({ context: sourceContext, subscribe: true })
  @property({ attribute: false })
  source?: FhirSource;

  /** Where the enclosing `<ehr-context>` stands (a SMART launch in progress is loading, not "no patient"). */
  @consume({ context: contextStatusContext, subscribe: true })
  @state()
  contextStatus?: ContextStatus;

  /** The list's name, in its heading and messages ("Conditions": "Loading conditions"). */
  protected abstract readonly listName: string;

  private readonly data = new PatientDataController<ClinicalRecords>(this, {
    load: (source, patientId, options) => this.loadRecords(source, patientId, options),
    direct: () => (this.resources ? { resources: this.resources, matches: this.resources.length, complete: true, failures: [], otherPatient: 0 } : undefined),
  });

  private memo?: { resources: readonly Resource[]; locale?: string; key: unknown; view: View };

  /** Loads the list again (after an error or a partial failure, or to pick up changes). */
  reload(): Promise<void> {
    return this.data.reload();
  }

  /** Reads the list's records for one patient (a core query). */
  protected abstract loadRecords(source: FhirSource, patientId: string, options: PatientDataLoadOptions): Promise<ClinicalRecords>;

  /** Builds the list's view of its records (a core model function). */
  protected abstract toView(resources: readonly Resource[], locale: string | undefined): View;

  /** What else the view depends on besides the records and the language (a filter); a change builds it again. */
  protected viewKey(): unknown {
    return undefined;
  }

  /** The language of the page around the element, for dates and names. */
  protected get locale(): string | undefined {
    return this.closest('[lang]')?.getAttribute('lang') || undefined;
  }

  /** The level of the titles within the list: one below its heading. */
  protected get groupLevel(): number {
    return Math.min(6, clampHeadingLevel(this.headingLevel) + 1);
  }

  private listView(records: ClinicalRecords): View {
    const locale = this.locale;
    const key = this.viewKey();
    const memo = this.memo;
    if (memo && memo.resources === records.resources && memo.locale === locale && memo.key === key) return memo.view;
    const view = this.toView(records.resources, locale);
    this.memo = { resources: records.resources, locale, key, view };
    return view;
  }

  protected handleRetry = (): void => {
    void this.reload();
  };

  /** The list's records, loaded or given: its groups or items, an empty state, and notices. */
  protected abstract renderRecords(records: ClinicalRecords, view: View): TemplateResult;

  /** One item of the list. */
  protected abstract renderItem(item: Item): TemplateResult;

  protected renderList(items: readonly Item[]): TemplateResult {
    return html`<ul part="list" class="list" role="list">
      ${items.map((item) => this.renderItem(item))}
    </ul>`;
  }

  /** A group shown open: a title with its count, then its items, or `emptyText` when it has none. */
  protected renderOpenGroup(key: string, title: string, items: readonly Item[], emptyText?: string): TemplateResult {
    return html`<section part="group" class="group ${key}" aria-labelledby="group-${key}">
      <div class="group-title" role="heading" aria-level=${this.groupLevel} id="group-${key}">
        ${title} <span class="count">(${items.length})</span>
      </div>
      ${items.length ? this.renderList(items) : html`<p class="empty-group">${emptyText}</p>`}
    </section>`;
  }

  /** A group collapsed in a `<details>`, its summary the title with its count. */
  protected renderCollapsedGroup(key: string, title: string, items: readonly Item[]): TemplateResult {
    return html`<details part="group" class="group ${key}">
      <summary part="group-summary">${title} <span class="count">(${items.length})</span></summary>
      ${this.renderList(items)}
    </details>`;
  }

  /** Notes that the list is incomplete (paging stopped early) or left out another patient's records. */
  protected renderNotices(records: ClinicalRecords): TemplateResult {
    return html`${records.complete
      ? nothing
      : html`<p part="notice" class="notice">This list may be incomplete: not every ${this.listName.toLowerCase().replace(/s$/, '')} record on the server could be loaded.</p>`}${records.otherPatient > 0
      ? html`<p part="notice" class="notice">
          ${records.otherPatient} ${records.otherPatient === 1 ? 'record' : 'records'} the server returned for another patient ${records.otherPatient === 1 ? 'was' : 'were'} left out.
        </p>`
      : nothing}`;
  }

  protected override render() {
    const name = this.listName;
    let count: number | undefined;
    const body = this.data.render({
      pending: (progress) => renderLoading(`Loading ${name.toLowerCase()}`, progress),
      error: (error) => renderLoadError(`${name} could not be loaded.`, error, this.handleRetry),
      complete: (records) => {
        const view = this.listView(records);
        count = view.count;
        return this.renderRecords(records, view);
      },
      noPatient: () => renderNoPatient(),
    });
    return html`<section part="base" class="base" aria-labelledby=${this.noHeading ? nothing : 'heading'} aria-label=${this.noHeading ? name : nothing}>
      ${this.noHeading ? nothing : renderListHeading(this.headingLevel, name, count)}
      ${body}
    </section>`;
  }
}
