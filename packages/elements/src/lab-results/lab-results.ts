import { consume } from '@lit/context';
import { html, LitElement, nothing, svg, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Resource } from '@medplum/fhirtypes';
import {
  basicUnitConverter,
  isAboutAnotherPatient,
  loadLabs,
  loadUnitConverter,
  parseLabCodes,
  parseLabPanelSelection,
  selectLabPanels,
  toLabsView,
  type ClinicalQueryFailure,
  type ClinicalRecords,
  type FhirSource,
  type LabFlagView,
  type LabPanelView,
  type LabResultView,
  type LabSection,
  type LabSelection,
  type LabsView,
  type LabTrend,
  type UnitConverter,
} from '@ehr-elements/core';
import { contextStatusContext, sourceContext, type ContextStatus } from '../context/source-context.js';
import { PatientDataController } from '../shared/patient-data-controller.js';
import { frameProperties, frameStyles } from '../shared/frame.styles.js';
import { clampHeadingLevel, errorReason, renderEmpty, renderHeading, renderLoadError, renderLoading, renderNoPatient } from '../shared/state-views.js';
import { stateStyles } from '../shared/states.styles.js';
import { tokens, visuallyHidden } from '../styles/tokens.styles.js';
import { LabResultsSelectEvent } from './events.js';
import { styles } from './lab-results.styles.js';
import { renderSparkline } from './sparkline.js';

/** Panels rendered at first; "Show older panels" adds this many more. */
export const LAB_PANELS_PAGE_SIZE = 40;
/** A history shows this many results at first (newest first); "Show all" shows the rest. */
const HISTORY_ROWS = 25;
/** With `panels="latest"`, this many panels are open at first (every one when fewer). */
const LATEST_OPEN_LIMIT = 12;

// What a failed search of a partial load means for the person reading the results.
const FAILED: Readonly<Record<string, { readonly failed: string; readonly shown: string }>> = {
  DiagnosticReport: {
    failed: 'Lab reports could not be loaded.',
    shown: 'Results are shown without their reports: panel names, report status and conclusions may be missing.',
  },
  Observation: {
    failed: 'Lab results outside reports could not be loaded.',
    shown: 'Only results listed in lab reports are shown.',
  },
};

/** When UCUM could not be loaded, what the fast paths cannot convert is final: a gap that says why. */
const FINAL_BASIC_CONVERTER: UnitConverter = { complete: true, convert: (value, from, to) => basicUnitConverter.convert(value, from, to) };

const ICON_PATHS = {
  high: svg`<path d="M12 19V5M6 11l6-6 6 6" />`,
  low: svg`<path d="M12 5v14M6 13l6 6 6-6" />`,
  abnormal: svg`<path d="M12 4v10M12 18.5v.5" />`,
  critical: svg`<path d="M12 3 2 20.5h20zM12 9.5v5M12 17.5v.5" />`,
};

/** The icon beside a flag's words: an arrow up or down, "!" for abnormal, a warning triangle when critical. */
function flagIcon(flag: LabFlagView): TemplateResult {
  const path = flag.severity === 'critical' ? ICON_PATHS.critical : flag.direction === 'high' ? ICON_PATHS.high : flag.direction === 'low' ? ICON_PATHS.low : ICON_PATHS.abnormal;
  return html`<svg class="flag-icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${path}</svg>`;
}

type LabAttachment = LabPanelView['attachments'][number];

const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;
const BASE64 = /^[A-Za-z0-9+/=\s]+$/;

/**
 * Where a report document may be opened from, without this element ever fetching it (so
 * never with the SMART access token): inline data as a `data:` URL, or an http(s) url on
 * the FHIR server's origin (a relative url, such as `Binary/123`, is read against the
 * server's base, FHIR R4 Attachment.url). A url elsewhere is not linked: the record does
 * not vouch for it.
 */
function attachmentHref(attachment: LabAttachment, baseUrl: string | undefined): string | undefined {
  if (attachment.data !== undefined) {
    if (!BASE64.test(attachment.data)) return undefined;
    const type = attachment.contentType?.split(';')[0]!.trim();
    return `data:${type && MEDIA_TYPE.test(type) ? type : 'application/octet-stream'};base64,${attachment.data.replace(/\s+/g, '')}`;
  }
  if (attachment.url === undefined || !baseUrl) return undefined;
  try {
    const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    const target = new URL(attachment.url, base);
    return (target.protocol === 'https:' || target.protocol === 'http:') && target.origin === base.origin ? target.href : undefined;
  } catch {
    return undefined;
  }
}

function byteSize(size: number): string {
  return size < 1024 ? plural(size, 'byte', 'bytes') : size < 1024 * 1024 ? `${Math.round(size / 1024)} KB` : `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/**
 * The patient's laboratory results, grouped by report or panel, newest first. Each panel
 * (a lab DiagnosticReport, a panel Observation, or results drawn at the same time) is a
 * collapsible section whose summary says its name, date, status and how many results are
 * abnormal or critical; the newest panels are open. Each is a table (Test, Result, Flag,
 * Reference range, Trend): abnormal values are marked in words, colour and an icon,
 * critical ones emphasised; a flag derived from the reference range (when the lab gave no
 * interpretation) says so; preliminary, corrected and cancelled results are labelled,
 * results entered in error are never shown. The Trend column is a sparkline of the
 * analyte over time (`role="img"`, named with a summary of its values), the reference
 * range shaded and the latest point marked.
 *
 * Activating a test's name fires `ehr-lab-results-select` and, unless the host cancels it,
 * opens that analyte's history (a table of every result) under its row.
 *
 * Reads `DiagnosticReport?patient=<id>&category=LAB&_include=DiagnosticReport:result` and
 * `Observation?patient=<id>&category=laboratory` from the source of the enclosing
 * `<ehr-context>` (or the patient in `patient-id`), or shows the Observations and
 * DiagnosticReports given as the `.resources` property. Every state is rendered: loading (a
 * skeleton, `aria-busy`, progress), an error with Retry (never "No results"), a partial
 * load (what loaded, and a warning with Retry), "No lab results recorded" (or, with a
 * `code` filter, which tests have none), and the results.
 *
 * FHIR strings are shown as text only.
 *
 * @tag ehr-lab-results
 * @summary Laboratory results by panel, with flags and trends.
 *
 * @fires ehr-lab-results-select - {LabResultsSelectEvent} The user activated a test (`event.observation`, `event.observations` of the same analyte newest first, `event.result`, `event.trend`). Cancelable: cancel it to keep the built-in history closed.
 *
 * @csspart base - The element's frame, in every state.
 * @csspart heading - The heading ("Lab results" and the count).
 * @csspart toolbar - Expand all / Collapse all.
 * @csspart panel - Each panel (a `<details>`).
 * @csspart panel-summary - A panel's summary: name, date, badges.
 * @csspart badge - Each badge (status, abnormal and critical counts).
 * @csspart table - A panel's results table.
 * @csspart row - Each result row.
 * @csspart analyte - A test's name: a button that fires `ehr-lab-results-select` and opens its history.
 * @csspart value - A result's value.
 * @csspart flag - A result's flag (words and icon).
 * @csspart range - A result's reference range.
 * @csspart sparkline - A trend's SVG.
 * @csspart history - The history of an analyte, under its row.
 * @csspart conclusion - A report's conclusion.
 * @csspart attachments - A report's documents (presentedForm).
 * @csspart attachment - Each document: its title (a link when it can be opened), type and size.
 * @csspart notice - Notes: an incomplete load, results a report lists that could not be loaded.
 * @csspart warning - A partial failure: what could not be loaded, with Retry.
 * @csspart more-button - "Show older panels".
 * @csspart state - The loading, error and empty states.
 * @csspart retry-button - The Retry button of the error state and of a warning.
 *
 * @cssprop --ehr-lab-results-background - Background. Default: `--ehr-color-surface`.
 * @cssprop --ehr-lab-results-color - Text colour. Default: `--ehr-color-text`.
 * @cssprop --ehr-lab-results-muted-color - Dates, units, ranges, labels. Default: `--ehr-color-text-muted`.
 * @cssprop --ehr-lab-results-border - Border shorthand. Default: `1px solid` `--ehr-color-border`.
 * @cssprop --ehr-lab-results-border-radius - Corner radius. Default: `--ehr-radius`.
 * @cssprop --ehr-lab-results-font-family - Font. Default: `--ehr-font-family`.
 * @cssprop --ehr-lab-results-font-size - Base font size. Default: 0.875rem.
 * @cssprop --ehr-lab-results-padding - Inner spacing. Default: 0.75rem 1rem.
 * @cssprop --ehr-lab-results-divider-color - Lines between panels and rows. Default: `--ehr-color-border`.
 * @cssprop --ehr-lab-results-header-background - Table headers, badges and the history panel. Default: `--ehr-color-surface-muted`.
 * @cssprop --ehr-lab-results-abnormal-color - Abnormal values and flags. Default: `--ehr-color-danger`.
 * @cssprop --ehr-lab-results-critical-color - Critical values and flags. Default: `--ehr-color-danger`.
 * @cssprop --ehr-lab-results-critical-background - Background of a critical row and badge. Default: `--ehr-color-danger-surface`.
 * @cssprop --ehr-lab-results-status-color - Preliminary / corrected labels and warnings. Default: `--ehr-color-warning`.
 * @cssprop --ehr-lab-results-status-background - Their background. Default: `--ehr-color-warning-surface`.
 * @cssprop --ehr-lab-results-trend-color - The sparkline's line. Default: `--ehr-color-accent`.
 * @cssprop --ehr-lab-results-range-band - The reference range band of a sparkline. Default: `--ehr-color-surface-muted`.
 * @cssprop --ehr-lab-results-link-color - Buttons that act like links. Default: `--ehr-color-accent`.
 */
export class LabResultsElement extends LitElement {
  static override styles = [tokens, visuallyHidden, frameProperties('lab-results'), frameStyles, stateStyles, styles];

  /** Observations and DiagnosticReports (and a Patient, Organizations) to show as given; nothing is loaded. */
  @property({ attribute: false }) resources?: Resource[];

  /** The id of a patient to show instead of the patient in context. */
  @property({ attribute: 'patient-id' }) patientId?: string;

  /** The level of the heading, 1–6. Default 2. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** Leave out the heading (the host page has its own); the section is still named "Lab results". */
  @property({ type: Boolean, attribute: 'no-heading' }) noHeading = false;

  /** Which panels: `all` (default), `latest` (the newest of each kind), or a number (the newest N). */
  @property() panels = 'all';

  /** Only these tests: LOINC codes separated by commas (a panel code shows the whole panel). */
  @property() code?: string;

  /** The FHIR source to read from; provided by the enclosing `<ehr-context>`, or set directly. */
  @consume({ context: sourceContext, subscribe: true })
  @property({ attribute: false })
  source?: FhirSource;

  /** Where the enclosing `<ehr-context>` stands (a SMART launch in progress is loading, not "no patient"). */
  @consume({ context: contextStatusContext, subscribe: true })
  @state()
  contextStatus?: ContextStatus;

  /** Panels the user opened or closed (by key); the others follow the default (the newest open). */
  @state() private toggled = new Map<string, boolean>();

  /** Histories open, by `<panel key>|<result key>`. */
  @state() private histories = new Set<string>();

  /** Histories showing every result, not only the newest. */
  @state() private fullHistories = new Set<string>();

  /** Panels rendered so far. */
  @state() private shownCount = LAB_PANELS_PAGE_SIZE;

  /** The unit converter: the built-in fast paths until a trend needs UCUM. */
  @state() private converter: UnitConverter = basicUnitConverter;
  @state() private converterError?: unknown;

  private readonly data = new PatientDataController<ClinicalRecords>(this, {
    load: (source, patientId, options) => loadLabs(source, patientId, options),
    direct: () => this.directRecords(),
  });

  private directMemo?: { readonly input: readonly Resource[]; readonly patientId?: string; readonly output: ClinicalRecords };

  private converterLoading = false;
  private viewMemo?: { readonly key: readonly unknown[]; readonly view: LabsView };
  private selectionMemo?: { readonly key: readonly unknown[]; readonly selection: LabSelection };
  private readonly ids = new Map<string, string>();
  /** Whether each panel was rendered open: a `toggle` that only echoes it is not a choice. */
  private readonly renderedOpen = new Map<string, boolean>();

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // A different record or selection starts from the defaults again.
    if (changed.has('resources') || changed.has('patientId') || changed.has('source') || changed.has('panels') || changed.has('code')) {
      if (this.toggled.size) this.toggled = new Map();
      if (this.histories.size) this.histories = new Set();
      if (this.fullHistories.size) this.fullHistories = new Set();
      this.shownCount = LAB_PANELS_PAGE_SIZE;
    }
  }

  /** Loads the results again (after an error, or to pick up changes). */
  reload(): Promise<void> {
    return this.data.reload();
  }

  /** Opens every panel shown. */
  expandAll(): void {
    const toggled = new Map(this.toggled);
    for (const panel of this.shownPanels()) toggled.set(panel.key, true);
    this.toggled = toggled;
  }

  /** Closes every panel shown. */
  collapseAll(): void {
    const toggled = new Map(this.toggled);
    for (const panel of this.shownPanels()) toggled.set(panel.key, false);
    this.toggled = toggled;
  }

  private get locale(): string | undefined {
    return this.closest('[lang]')?.getAttribute('lang') || undefined;
  }

  /**
   * `.resources` as given, but with `patient-id` set, without those about another patient
   * (a subject naming another Patient, or another Patient itself), counted for the notice:
   * as when loading, another patient's results are never shown.
   */
  private directRecords(): ClinicalRecords | undefined {
    const resources = this.resources;
    if (resources == null) return undefined;
    const patientId = this.patientId || undefined;
    if (this.directMemo?.input === resources && this.directMemo.patientId === patientId) return this.directMemo.output;
    const list = Array.isArray(resources) ? resources : [];
    const kept = patientId
      ? list.filter((resource) => {
          if (resource?.resourceType === 'Patient') return resource.id === undefined || resource.id === patientId;
          return !isAboutAnotherPatient(resource as { subject?: { reference?: unknown } } | null, patientId);
        })
      : list;
    const output: ClinicalRecords = { resources: kept, matches: kept.length, complete: true, failures: [], otherPatient: list.length - kept.length };
    this.directMemo = { input: resources, patientId, output };
    return output;
  }

  private buildView(records: ClinicalRecords): LabsView {
    const converter = this.converterError && !this.converter.complete ? FINAL_BASIC_CONVERTER : this.converter;
    const key = [records.resources, this.locale, converter];
    if (this.viewMemo && this.viewMemo.key.every((value, index) => value === key[index])) return this.viewMemo.view;
    const view = toLabsView(records.resources, { locale: this.locale, converter });
    this.viewMemo = { key, view };
    if (view.pendingConversions.length > 0 && !converter.complete) void this.loadConverter();
    return view;
  }

  private select(view: LabsView): LabSelection {
    const key = [view, this.panels, this.code];
    if (this.selectionMemo && this.selectionMemo.key.every((value, index) => value === key[index])) return this.selectionMemo.selection;
    const selection = selectLabPanels(view, { panels: parseLabPanelSelection(this.panels), codes: parseLabCodes(this.code) });
    this.selectionMemo = { key, selection };
    return selection;
  }

  /** The panels rendered now (for Expand all / Collapse all). */
  private shownPanels(): readonly LabPanelView[] {
    return this.selectionMemo?.selection.panels.slice(0, this.shownCount) ?? [];
  }

  /** Loads UCUM (once) when a trend or a range needs a conversion off the fast paths. */
  private async loadConverter(): Promise<void> {
    if (this.converterLoading || this.converterError) return;
    this.converterLoading = true;
    try {
      this.converter = await loadUnitConverter();
    } catch (error) {
      this.converterError = error;
    } finally {
      this.converterLoading = false;
    }
  }

  /** A stable, unique id for an element of the shadow tree (keys hold characters ids should not). */
  private idFor(key: string): string {
    let id = this.ids.get(key);
    if (!id) {
      id = `lab-${this.ids.size + 1}`;
      this.ids.set(key, id);
    }
    return id;
  }

  private isOpen(panel: LabPanelView, position: number, selection: LabSelection): boolean {
    const chosen = this.toggled.get(panel.key);
    if (chosen !== undefined) return chosen;
    if (parseLabPanelSelection(this.panels) === 'latest') return position < LATEST_OPEN_LIMIT;
    // The newest panels are open: every panel of the newest one's day (a CBC and a metabolic panel drawn together).
    const newest = selection.panels[0];
    if (position === 0) return true;
    return newest?.date !== undefined && panel.date !== undefined && newest.date.day === panel.date.day;
  }

  private handleRetry = (): void => {
    void this.reload();
  };

  private handleToggle(panel: LabPanelView, event: Event): void {
    const open = (event.currentTarget as HTMLDetailsElement).open;
    if ((this.toggled.get(panel.key) ?? this.renderedOpen.get(panel.key)) === open) return;
    const toggled = new Map(this.toggled);
    toggled.set(panel.key, open);
    this.toggled = toggled;
  }

  private handleSelect(panel: LabPanelView, result: LabResultView, trend: LabTrend | undefined): void {
    const event = new LabResultsSelectEvent(result, trend);
    this.dispatchEvent(event);
    const key = `${panel.key}|${result.key}`;
    const histories = new Set(this.histories);
    if (histories.has(key)) histories.delete(key);
    else if (!event.defaultPrevented) histories.add(key);
    else return;
    this.histories = histories;
  }

  private handleShowMore = (): void => {
    this.shownCount += LAB_PANELS_PAGE_SIZE;
  };

  private handleExpandAll = (): void => this.expandAll();
  private handleCollapseAll = (): void => this.collapseAll();

  // -------------------------------------------------------------------------

  private renderFlag(flag: LabFlagView | undefined): TemplateResult | typeof nothing {
    if (!flag || flag.severity === 'normal') return nothing;
    return html`<span part="flag" class="flag ${flag.severity} ${flag.direction}">${flag.severity === 'other' ? nothing : flagIcon(flag)}<span>${flag.label}</span></span>${flag.source ===
    'derived'
      ? html`<span class="derived">derived<span class="visually-hidden"> from the reference range</span></span>`
      : nothing}`;
  }

  private renderRange(result: LabResultView): TemplateResult | typeof nothing {
    const range = result.range;
    if (!range) return nothing;
    return html`${range.text}${range.qualifier ? html`<span class="qualifier">${range.qualifier}</span>` : nothing}`;
  }

  private renderValue(result: LabResultView): TemplateResult {
    const { value } = result;
    let content: TemplateResult | string = value.text;
    if (value.unit && value.text.endsWith(` ${value.unit}`)) {
      content = html`${value.text.slice(0, -value.unit.length - 1)} <span class="unit">${value.unit}</span>`;
    }
    const wrap = value.kind !== 'quantity' && value.kind !== 'integer';
    const inlineRange = result.range ? html`<span class="range-inline">Range ${result.range.text}</span>` : nothing;
    return html`<td part="value" class="value ${wrap ? 'wrap' : ''} ${value.kind === 'absent' || value.kind === 'none' ? 'absent' : ''}">${content}${inlineRange}</td>`;
  }

  private handleFullHistory(key: string): void {
    this.fullHistories = new Set(this.fullHistories).add(key);
  }

  private renderHistory(key: string, result: LabResultView, trend: LabTrend | undefined, id: string): TemplateResult {
    const results = trend?.results ?? [result];
    const gaps = trend?.gaps ?? [];
    // Years of results make a long table: the newest first, the rest on request (always down to this row's result).
    const limit = this.fullHistories.has(key) ? results.length : Math.max(HISTORY_ROWS, results.indexOf(result) + 1);
    const shown = results.length > limit ? results.slice(0, limit) : results;
    return html`<tr class="history-row" id=${id}>
      <td colspan="5">
        <div part="history" class="history">
          <table>
            <caption>
              ${result.name}: ${results.length === 1 ? 'the only result' : `${results.length.toLocaleString('en-US')} results, newest first`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Result</th>
                <th scope="col">Flag</th>
                <th scope="col">Reference range</th>
              </tr>
            </thead>
            <tbody>
              ${shown.map(
                (item) => html`<tr aria-current=${item === result ? 'true' : nothing}>
                  <th scope="row">${item.date?.display ?? item.issued?.display ?? 'Date not recorded'}${item === result
                    ? html`<span class="visually-hidden"> (this result)</span>`
                    : nothing}${item.statusLabel ? html` <span class="badge status">${item.statusLabel}</span>` : nothing}</th>
                  <td>${item.value.text}</td>
                  <td>${this.renderFlag(item.flag)}</td>
                  <td>${this.renderRange(item)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
          ${shown.length < results.length
            ? html`<div><button class="text-button" type="button" @click=${() => this.handleFullHistory(key)}>
                Show all ${results.length.toLocaleString('en-US')} results
              </button></div>`
            : nothing}
          ${gaps.length
            ? html`<p>Not in the trend:</p>
                <ul class="gaps">
                  ${gaps.map((gap) => html`<li>${gap.result.date?.display ?? gap.result.issued?.display ?? 'Undated'}: ${gap.result.value.text} (${gap.reason})</li>`)}
                </ul>`
            : nothing}
        </div>
      </td>
    </tr>`;
  }

  private renderRow(panel: LabPanelView, result: LabResultView, view: LabsView): TemplateResult {
    const trend = view.trends.get(result.analyteKey);
    const severity = result.flag?.severity;
    const historyKey = `${panel.key}|${result.key}`;
    const open = this.histories.has(historyKey);
    const historyId = this.idFor(`history|${historyKey}`);
    const collected = result.date && panel.time !== undefined && result.time !== panel.time ? result.date : undefined;
    const classes = ['row', severity === 'critical' ? 'critical' : severity === 'abnormal' ? 'abnormal' : '', result.status === 'cancelled' ? 'cancelled' : ''].join(' ');
    return html`<tr part="row" class=${classes}>
        <th scope="row" class="test">
          <button
            part="analyte"
            class="analyte ${result.nameSource === 'code' || result.nameSource === 'none' ? 'uncoded' : ''}"
            type="button"
            aria-expanded=${open ? 'true' : 'false'}
            aria-controls=${open ? historyId : nothing}
            @click=${() => this.handleSelect(panel, result, trend)}
          >${result.name}</button>${result.statusLabel ? html` <span part="badge" class="badge status">${result.statusLabel}</span>` : nothing}
          ${collected ? html`<span class="sub">Collected ${collected.display}</span>` : nothing}
          ${result.performer && result.performer !== panel.performer ? html`<span class="sub">${result.performer}</span>` : nothing}
          ${result.notes.map((note) => html`<span class="sub">Note: ${note}</span>`)}
        </th>
        ${this.renderValue(result)}
        <td class="flag-cell">${this.renderFlag(result.flag)}</td>
        <td part="range" class="range range-column">${this.renderRange(result)}</td>
        <td class="trend">${renderSparkline(trend, result)}</td>
      </tr>
      ${open ? this.renderHistory(historyKey, result, trend, historyId) : nothing}`;
  }

  private renderSection(panel: LabPanelView, section: LabSection, view: LabsView): TemplateResult {
    return html`<tbody>
      ${section.name ? html`<tr class="section-row"><th scope="colgroup" colspan="5">${section.name}</th></tr>` : nothing}
      ${section.results.map((result) => this.renderRow(panel, result, view))}
    </tbody>`;
  }

  private renderPanelBody(panel: LabPanelView, view: LabsView): TemplateResult {
    const meta: (TemplateResult | string)[] = [];
    if (panel.issued) meta.push(`Reported ${panel.issued.display}`);
    if (panel.performer) meta.push(panel.performer);
    if (panel.kind === 'standalone') meta.push(panel.results.length === 1 ? 'Not part of a report' : 'Results not part of a report, taken at the same time');
    const dateText = panel.date?.display ?? 'date not recorded';
    return html`<div class="panel-body">
      ${meta.length ? html`<ul class="panel-meta" role="list">${meta.map((item) => html`<li>${item}</li>`)}</ul>` : nothing}
      ${panel.results.length
        ? html`<table part="table">
            <caption class="visually-hidden">${panel.name}, ${dateText}</caption>
            <colgroup>
              <col class="col-test" />
              <col class="col-result" />
              <col class="col-flag" />
              <col class="col-range range-column" />
              <col class="col-trend" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Test</th>
                <th scope="col">Result</th>
                <th scope="col">Flag</th>
                <th scope="col" class="range-column">Reference range</th>
                <th scope="col">Trend</th>
              </tr>
            </thead>
            ${panel.sections.map((section) => this.renderSection(panel, section, view))}
          </table>`
        : panel.attachments.length
          ? nothing
          : html`<p class="notice">${panel.status === 'cancelled' ? 'This report was cancelled: it has no results.' : 'This report lists no results.'}</p>`}
      ${this.renderAttachments(panel)}
      ${panel.unavailable.length
        ? html`<p part="notice" class="notice">
            ${plural(panel.unavailable.length, 'result', 'results')} listed in this report could not be loaded: ${panel.unavailable.join(', ')}.
          </p>`
        : nothing}
      ${panel.conclusion || panel.conclusionCodes.length
        ? html`<p part="conclusion" class="conclusion">
            <strong>Conclusion:</strong> ${panel.conclusion ?? ''}${panel.conclusionCodes.length
              ? html`${panel.conclusion ? ' ' : ''}(${panel.conclusionCodes.join(', ')})`
              : nothing}
          </p>`
        : nothing}
    </div>`;
  }

  private renderAttachments(panel: LabPanelView): TemplateResult | typeof nothing {
    if (panel.attachments.length === 0) return nothing;
    const baseUrl = this.source?.server.baseUrl;
    return html`<div part="attachments" class="attachments">
      <p class="attachments-heading">${panel.results.length ? 'The report as a document:' : 'This report is a document:'}</p>
      <ul role="list">
        ${panel.attachments.map((attachment) => {
          const href = attachmentHref(attachment, baseUrl);
          const meta = [attachment.contentType, attachment.size !== undefined ? byteSize(attachment.size) : undefined, attachment.creation ? `created ${attachment.creation.display}` : undefined].filter(
            (item): item is string => item !== undefined,
          );
          const inline = attachment.data !== undefined;
          return html`<li part="attachment" class="attachment">
            ${href
              ? html`<a href=${href} target=${inline ? nothing : '_blank'} rel="noopener noreferrer" download=${inline ? attachment.title : nothing}>${attachment.title}</a>`
              : html`<span class="attachment-title">${attachment.title}</span>`}
            ${meta.length ? html`<span class="attachment-meta">(${meta.join(', ')})</span>` : nothing}
            ${!href && attachment.url !== undefined ? html`<span class="attachment-meta">: held elsewhere, not linked</span>` : nothing}
            ${!href && attachment.url === undefined && attachment.data === undefined ? html`<span class="attachment-meta">: no copy in the record</span>` : nothing}
            ${attachment.text !== undefined ? html`<pre class="attachment-text">${attachment.text}</pre>` : nothing}
          </li>`;
        })}
      </ul>
    </div>`;
  }

  private renderPanel(panel: LabPanelView, position: number, selection: LabSelection, view: LabsView): TemplateResult {
    const open = this.isOpen(panel, position, selection);
    this.renderedOpen.set(panel.key, open);
    return html`<details part="panel" class="panel ${panel.kind}" ?open=${open} @toggle=${(event: Event) => this.handleToggle(panel, event)}>
      <summary part="panel-summary">
        <span class="panel-title">
          <span class="panel-name">${panel.name}</span>
          <span class="panel-date">${panel.date?.display ?? 'Date not recorded'}</span>
        </span>
        <span class="badges">
          ${panel.statusLabel ? html`<span part="badge" class="badge status">${panel.statusLabel}</span>` : nothing}
          ${panel.critical
            ? html`<span part="badge" class="badge critical">${flagIcon({ label: '', severity: 'critical', direction: 'none', source: 'interpretation' })}${panel.critical} critical</span>`
            : nothing}
          ${panel.abnormal ? html`<span part="badge" class="badge abnormal">${panel.abnormal} abnormal</span>` : nothing}
          <span class="badge">${plural(panel.results.length, 'result', 'results')}</span>
        </span>
      </summary>
      ${open ? this.renderPanelBody(panel, view) : nothing}
    </details>`;
  }

  private renderFailures(failures: readonly ClinicalQueryFailure[]) {
    return failures.map((failure) => {
      const kind = FAILED[failure.resourceType];
      const reason = errorReason(failure.error);
      return html`<div part="warning" class="warning-box">
        <p role="alert">
          <strong>${kind?.failed ?? `${failure.resourceType} could not be loaded.`}</strong>${reason ? html` <span>${reason}</span>` : nothing}
          ${kind ? html` <span>${kind.shown}</span>` : nothing}
        </p>
        <button part="retry-button" type="button" @click=${this.handleRetry}>Retry</button>
      </div>`;
    });
  }

  private renderEmpty(records: ClinicalRecords, selection: LabSelection): TemplateResult {
    if (records.failures.length) return renderEmpty('No lab results in what could be loaded.');
    const codes = parseLabCodes(this.code);
    if (codes.length) {
      const others = selection.filteredOut;
      return renderEmpty(
        `No lab results recorded for ${codes.length === 1 ? 'LOINC' : 'LOINC codes'} ${codes.join(', ')}`,
        others > 0 ? `${plural(others, 'other lab result is', 'other lab results are')} not shown.` : undefined,
      );
    }
    return renderEmpty('No lab results recorded');
  }

  private renderRecords(records: ClinicalRecords, view: LabsView, selection: LabSelection): TemplateResult {
    const notices = html`${records.complete
      ? nothing
      : html`<p part="notice" class="notice">These results may be incomplete: not every result on the server could be loaded.</p>`}${records.otherPatient > 0
      ? html`<p part="notice" class="notice">
          ${plural(records.otherPatient, 'record', 'records')} the server returned for another patient ${records.otherPatient === 1 ? 'was' : 'were'} left out.
        </p>`
      : nothing}${this.converterError
      ? html`<p part="notice" class="notice">Some results in other units could not be converted, so they are not in the trends.</p>`
      : nothing}`;
    const failures = this.renderFailures(records.failures);
    if (selection.panels.length === 0) return html`${failures}${this.renderEmpty(records, selection)}${notices}`;
    const shown = selection.panels.slice(0, this.shownCount);
    const hidden = selection.panels.length - shown.length;
    return html`${failures}
      <div class="panels">${shown.map((panel, position) => this.renderPanel(panel, position, selection, view))}</div>
      ${hidden > 0
        ? html`<div class="more">
            <button part="more-button" type="button" @click=${this.handleShowMore}>
              Show older panels (${hidden.toLocaleString('en-US')} more)
            </button>
          </div>`
        : nothing}
      <p class="legend">
        Trend: <span class="legend-band" aria-hidden="true"></span> reference range, <span class="legend-dot" aria-hidden="true"></span> latest result.
        Select a test to see all its results.
      </p>
      ${notices}`;
  }

  protected override render() {
    let count: number | undefined;
    let toolbar: TemplateResult | typeof nothing = nothing;
    const body = this.data.render({
      pending: (progress) => renderLoading('Loading lab results', progress),
      error: (error) => renderLoadError('Lab results could not be loaded.', error, this.handleRetry),
      complete: (records) => {
        const view = this.buildView(records);
        const selection = this.select(view);
        count = selection.resultCount;
        if (selection.panels.length > 1) {
          toolbar = html`<div part="toolbar" class="toolbar">
            <button class="text-button" type="button" @click=${this.handleExpandAll}>Expand all</button>
            <button class="text-button" type="button" @click=${this.handleCollapseAll}>Collapse all</button>
          </div>`;
        }
        return this.renderRecords(records, view, selection);
      },
      noPatient: () => renderNoPatient(),
    });
    const latest = parseLabPanelSelection(this.panels) === 'latest';
    const title = html`Lab results${latest ? ', latest of each' : ''}${count === undefined ? nothing : html` <span class="count">(${count.toLocaleString('en-US')})</span>`}`;
    return html`<section part="base" class="base" aria-labelledby=${this.noHeading ? nothing : 'heading'} aria-label=${this.noHeading ? 'Lab results' : nothing}>
      <div class="top">${this.noHeading ? nothing : renderHeading(clampHeadingLevel(this.headingLevel), title, 'heading')} ${toolbar}</div>
      ${body}
    </section>`;
  }
}
