import { consume } from '@lit/context';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Resource } from '@medplum/fhirtypes';
import {
  basicUnitConverter,
  formatVitalDate,
  formatVitalNumber,
  formatVitalRange,
  formatVitalReading,
  formatVitalValue,
  isAboutAnotherPatient,
  loadUnitConverter,
  loadVitals,
  parseVitalKinds,
  readingFlag,
  readingsBetween,
  resolveLocale,
  toVitalsView,
  VITAL_DEFINITIONS,
  type FhirSource,
  type UnitConverter,
  type VitalKind,
  type VitalReading,
  type VitalSeries,
  type VitalsResult,
  type VitalsView,
  type VitalUnitSystem,
  type VitalValue,
} from '@ehr-elements/core';
import { contextStatusContext, sourceContext, type ContextStatus } from '../context/source-context.js';
import { PatientDataController } from '../shared/patient-data-controller.js';
import { errorReason, renderEmpty, renderHeading, renderLoadError, renderLoading, renderNoPatient } from '../shared/state-views.js';
import { stateStyles } from '../shared/states.styles.js';
import { tokens, visuallyHidden } from '../styles/tokens.styles.js';
import { VitalsChartRangeChangeEvent, VitalsChartViewChangeEvent, type VitalsChartView, type VitalsRange } from './events.js';
import { MediaQueryController } from './media-query-controller.js';
import { formatTimeRange } from './time-ticks.js';
import { styles } from './vitals-chart.styles.js';
import type { Plot, PlotColors, PlotSpec } from './vitals-plot.js';

type PlotModule = typeof import('./vitals-plot.js');

/** What the element charts: Observations, from the source or given directly. */
interface VitalsData {
  readonly observations: readonly unknown[];
  readonly complete: boolean;
  readonly incompleteReason?: VitalsResult['incompleteReason'];
  /** Observations the server returned about another patient, left out. */
  readonly otherPatient: number;
}

// Visible "1 y", read "1 year": the rest of the word is visually hidden, so the accessible
// name starts with the visible label (WCAG 2.5.3 label in name).
const RANGES: readonly { readonly value: VitalsRange; readonly label: string; readonly rest: string; readonly years?: number }[] = [
  { value: '1y', label: '1 y', rest: 'ear', years: 1 },
  { value: '5y', label: '5 y', rest: 'ears', years: 5 },
  { value: 'all', label: 'All', rest: '' },
];

/** Table rows per page: a long ICU record stays a table a screen reader can move through. */
export const VITALS_TABLE_PAGE_SIZE = 100;

const FINAL_BASIC_CONVERTER: UnitConverter = { convert: basicUnitConverter.convert, complete: true };

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';
const MEDIA = [REDUCED_MOTION, '(prefers-color-scheme: dark)', '(forced-colors: active)'];
const COLOR_KEYS: readonly (keyof PlotColors)[] = ['line', 'systolic', 'diastolic', 'abnormal', 'range', 'grid', 'text', 'surface'];

/**
 * A patient's vital signs over time: blood pressure (systolic and diastolic, paired),
 * heart rate, respiratory rate, temperature, oxygen saturation, weight, height, BMI and
 * head circumference, each in its own panel on a shared time axis over the whole history,
 * with zoom to the last year or five years.
 *
 * The latest value of each vital is always shown as text ("Blood pressure 128/82 mmHg ·
 * Mar 3, 2026"), and a data table of exactly the charted readings (the same range) replaces
 * the charts at the press of a button: the table is the accessible view of the chart, with
 * flags as text ("H", "L"). Reference ranges from the record are shaded; abnormal readings
 * (by interpretation, else by reference range) are marked with a triangle. Missing values
 * (dataAbsentReason, a missing blood pressure half) are gaps, never zeros.
 *
 * Units are converted with UCUM (`units="us"` for lb, in and °F; `displayUnits` per vital).
 * Chart.js is loaded only when a chart is first drawn, and the UCUM library only when a
 * value needs a conversion the built-in, verified fast paths do not cover.
 *
 * Data comes from the enclosing `<ehr-context>` (every page of
 * `Observation?patient=<id>&category=vital-signs`) or directly from the `resources`
 * property (Observations with or without the vital-signs category).
 *
 * @tag ehr-vitals-chart
 * @summary Vital signs over time: charts, a data table and the latest values.
 *
 * @fires ehr-vitals-chart-range-change - {VitalsChartRangeChangeEvent} The user chose a time range (`event.range`).
 * @fires ehr-vitals-chart-view-change - {VitalsChartViewChangeEvent} The user switched between chart and table (`event.view`).
 *
 * @csspart base - The frame, in every state.
 * @csspart heading - The heading ("Vital signs").
 * @csspart latest - The list of latest values.
 * @csspart latest-item - One latest value.
 * @csspart toolbar - The range and view controls.
 * @csspart range-button - Each time-range button (1 y, 5 y, All).
 * @csspart view-button - The Chart and Table buttons.
 * @csspart panel - One vital's chart (a figure).
 * @csspart canvas - The chart's canvas (`role="img"`, labelled with a summary).
 * @csspart table - One vital's data table.
 * @csspart flag - An abnormal flag ("H", "L").
 * @csspart state - Loading, empty and error states.
 * @csspart retry-button - The Retry button of the error state.
 *
 * @cssprop --ehr-vitals-chart-background - Background. Default: `--ehr-color-surface`.
 * @cssprop --ehr-vitals-chart-color - Text colour. Default: `--ehr-color-text`.
 * @cssprop --ehr-vitals-chart-muted-color - Secondary text. Default: `--ehr-color-text-muted`.
 * @cssprop --ehr-vitals-chart-border - Border shorthand of the frame. Default: `1px solid` `--ehr-color-border`.
 * @cssprop --ehr-vitals-chart-border-radius - Corner radius. Default: `--ehr-radius`.
 * @cssprop --ehr-vitals-chart-font-family - Font. Default: `--ehr-font-family`.
 * @cssprop --ehr-vitals-chart-font-size - Base font size. Default: 0.875rem.
 * @cssprop --ehr-vitals-chart-padding - Inner spacing of the frame. Default: 0.75rem 1rem.
 * @cssprop --ehr-vitals-chart-panel-height - Height of each chart. Default: 11rem.
 * @cssprop --ehr-vitals-chart-panel-min-width - Narrowest chart before panels stack. Default: 20rem.
 * @cssprop --ehr-vitals-chart-line-color - Line of single-value vitals. Default: `--ehr-color-accent`.
 * @cssprop --ehr-vitals-chart-systolic-color - Systolic line. Default: a red that suits light and dark.
 * @cssprop --ehr-vitals-chart-diastolic-color - Diastolic line. Default: `--ehr-color-accent`.
 * @cssprop --ehr-vitals-chart-abnormal-color - Abnormal points and flags. Default: `--ehr-color-danger`.
 * @cssprop --ehr-vitals-chart-range-color - Reference range band. Default: a green that suits light and dark.
 * @cssprop --ehr-vitals-chart-grid-color - Grid lines and axes. Default: `--ehr-color-border`.
 * @cssprop --ehr-vitals-chart-axis-color - Axis labels. Default: `--ehr-color-text-muted`.
 * @cssprop --ehr-vitals-chart-selected-background - The pressed range and view buttons. Default: `--ehr-color-accent`.
 * @cssprop --ehr-vitals-chart-selected-color - Text of the pressed buttons. Default: `--ehr-color-accent-contrast`.
 */
export class VitalsChartElement extends LitElement {
  static override styles = [tokens, visuallyHidden, stateStyles, styles];

  /** Observations given directly (other resource types are ignored). When set, nothing is loaded. */
  @property({ attribute: false }) resources?: readonly Resource[];

  /** The id of a patient to show instead of the patient in context. */
  @property({ attribute: 'patient-id' }) patientId?: string;

  /** `metric` (default: kg, cm, °C) or `us` (lb, in, °F). */
  @property({ reflect: true }) units: VitalUnitSystem = 'metric';

  /** The vitals to show, in any order: `bp,hr,rr,temp,spo2,weight,height,bmi,head`. Default: every vital recorded. */
  @property() vitals?: string;

  /** A UCUM display unit per vital, overriding `units` (e.g. `{ weight: 'g' }`). */
  @property({ attribute: false }) displayUnits?: Partial<Record<VitalKind, string>>;

  /** The time range shown: `1y` or `5y` before the latest reading, or `all` (default). */
  @property({ reflect: true }) range: VitalsRange = 'all';

  /** `chart` (default) or `table`: the same readings as a data table. */
  @property({ reflect: true }) view: VitalsChartView = 'chart';

  /** The level of the heading (1–6). Default 2. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** The FHIR source to read from; provided by the enclosing `<ehr-context>`, or set directly. */
  @consume({ context: sourceContext, subscribe: true })
  @property({ attribute: false })
  source?: FhirSource;

  /** @internal The enclosing `<ehr-context>`'s status: loading while a SMART launch completes. */
  @consume({ context: contextStatusContext, subscribe: true })
  @state()
  contextStatus?: ContextStatus;

  /** The unit converter: the built-in fast paths until a value needs UCUM. */
  @state() private converter: UnitConverter = basicUnitConverter;
  @state() private converterError?: unknown;
  @state() private plotModule?: PlotModule;
  @state() private plotError?: unknown;
  /** Table page per vital. */
  @state() private pages: Partial<Record<VitalKind, number>> = {};

  private readonly data = new PatientDataController<VitalsData>(this, {
    load: (source, patientId, { signal, onProgress }) => loadVitals(source, patientId, { signal, onProgress }),
    direct: () => this.directData(),
  });

  private readonly media = new MediaQueryController(this, MEDIA);

  private directMemo?: { readonly input: readonly Resource[]; readonly patientId?: string; readonly output: VitalsData };
  private viewMemo?: { readonly key: readonly unknown[]; readonly output: VitalsView };
  private converterLoading = false;
  private plotLoading = false;
  private readonly plots = new Map<VitalKind, { readonly canvas: HTMLCanvasElement; readonly plot: Plot; spec: PlotSpec }>();
  private colors?: PlotColors;

  override connectedCallback(): void {
    super.connectedCallback();
    // Charts are destroyed when the element leaves the page: draw them again on return.
    if (this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.destroyPlots();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('range') || changed.has('resources') || changed.has('vitals') || changed.has('units')) this.pages = {};
  }

  protected override updated(): void {
    this.syncPlots();
  }

  /** Loads the vital signs again (after an error, or to pick up new readings). */
  reload(): Promise<void> {
    return this.data.reload();
  }

  /** The vital signs as shown (series in display units), once loaded; for host pages that export or summarise them. */
  get vitalsView(): VitalsView | undefined {
    const data = this.data.value;
    return data ? this.buildView(data) : undefined;
  }

  /** The page's language where the element sits (a valid BCP 47 tag), else `en-US`. */
  private get locale(): string {
    return resolveLocale(this.closest('[lang]')?.getAttribute('lang'));
  }

  /** `range`, or `all` when it is not one of the ranges offered. */
  private get activeRange(): VitalsRange {
    return RANGES.some((range) => range.value === this.range) ? this.range : 'all';
  }

  private get kinds(): VitalKind[] | undefined {
    const kinds = parseVitalKinds(this.vitals);
    return kinds.length > 0 ? kinds : undefined;
  }

  /** `resources` as VitalsData; Observations about another patient than `patient-id` are dropped. */
  private directData(): VitalsData | undefined {
    const resources = this.resources;
    if (resources == null) return undefined;
    const patientId = this.patientId || undefined;
    if (this.directMemo?.input === resources && this.directMemo.patientId === patientId) return this.directMemo.output;
    const list = Array.isArray(resources) ? resources : [];
    const observations = patientId
      ? list.filter((resource) => !isAboutAnotherPatient(resource as { subject?: { reference?: unknown } } | null, patientId))
      : list;
    const output: VitalsData = { observations, complete: true, otherPatient: list.length - observations.length };
    this.directMemo = { input: resources, patientId, output };
    return output;
  }

  private buildView(data: VitalsData): VitalsView {
    const key = [data, this.units, this.vitals, this.displayUnits, this.converter, this.converterError];
    if (this.viewMemo && this.viewMemo.key.every((value, index) => value === key[index])) return this.viewMemo.output;
    // When UCUM could not be loaded, what the fast paths cannot convert is final (a gap that says why).
    const converter = this.converterError && !this.converter.complete ? FINAL_BASIC_CONVERTER : this.converter;
    const output = toVitalsView(data.observations, {
      units: this.units === 'us' ? 'us' : 'metric',
      displayUnits: this.displayUnits,
      kinds: this.kinds,
      converter,
    });
    this.viewMemo = { key, output };
    if (output.pendingConversions.length > 0 && !this.converter.complete) void this.loadConverter();
    return output;
  }

  /** Loads UCUM (once) when a value needs a conversion off the fast paths. */
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

  private async loadPlotModule(): Promise<void> {
    if (this.plotLoading || this.plotModule || this.plotError) return;
    this.plotLoading = true;
    try {
      this.plotModule = await import('./vitals-plot.js');
    } catch (error) {
      this.plotError = error;
    } finally {
      this.plotLoading = false;
    }
  }

  /** The time window: `range` before the latest reading of the vitals shown, to the latest. */
  private window(view: VitalsView): { start: number; end: number } | undefined {
    let earliest = Infinity;
    let latest = -Infinity;
    for (const series of view.series) {
      if (series.readings.length === 0) continue;
      earliest = Math.min(earliest, series.readings[0]!.time);
      latest = Math.max(latest, series.readings[series.readings.length - 1]!.time);
    }
    if (!Number.isFinite(latest)) return undefined;
    const years = RANGES.find((range) => range.value === this.activeRange)?.years;
    if (years === undefined) return { start: earliest, end: latest };
    const start = new Date(latest);
    start.setFullYear(start.getFullYear() - years);
    return { start: start.getTime(), end: latest };
  }

  private readColors(): PlotColors | undefined {
    const probes = this.renderRoot.querySelector('.probes');
    if (!probes) return undefined;
    const colors = {} as Record<keyof PlotColors, string>;
    for (const key of COLOR_KEYS) {
      const probe = probes.querySelector(`.probe-${key}`);
      colors[key] = probe ? getComputedStyle(probe).color : 'gray';
    }
    const previous = this.colors;
    // Keep the same object while nothing changed, so plots are not updated for nothing.
    if (previous && COLOR_KEYS.every((key) => previous[key] === colors[key])) return previous;
    this.colors = colors;
    return colors;
  }

  private syncPlots(): void {
    const canvases = [...this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-kind]')];
    const wanted = new Set<VitalKind>();
    const data = this.data.value;
    const view = data ? this.buildView(data) : undefined;
    const window = view ? this.window(view) : undefined;
    if (canvases.length > 0 && !this.plotModule) void this.loadPlotModule();
    if (view && window && this.plotModule && canvases.length > 0) {
      const colors = this.readColors();
      const locale = this.locale;
      const animate = !this.media.matches(REDUCED_MOTION);
      for (const canvas of canvases) {
        const kind = canvas.dataset.kind as VitalKind;
        const series = view.series.find((item) => item.kind === kind);
        if (!series || !colors) continue;
        wanted.add(kind);
        const existing = this.plots.get(kind);
        const previous = existing?.spec;
        const same =
          previous &&
          previous.series === series &&
          previous.start === window.start &&
          previous.end === window.end &&
          previous.colors === colors &&
          previous.locale === locale &&
          previous.animate === animate;
        const spec: PlotSpec = same ? previous : { series, start: window.start, end: window.end, colors, locale, animate, sourceLabel: this.source?.server?.label };
        if (existing && existing.canvas === canvas) {
          existing.plot.update(spec);
          existing.spec = spec;
        } else {
          existing?.plot.destroy();
          this.plots.set(kind, { canvas, plot: this.plotModule.createPlot(canvas, spec), spec });
        }
      }
    }
    for (const [kind, entry] of this.plots) {
      if (!wanted.has(kind) || !entry.canvas.isConnected) {
        entry.plot.destroy();
        this.plots.delete(kind);
      }
    }
  }

  private destroyPlots(): void {
    for (const entry of this.plots.values()) entry.plot.destroy();
    this.plots.clear();
  }

  private handleRetry(): void {
    void this.reload();
  }

  private handleRange(range: VitalsRange): void {
    if (range === this.activeRange) return;
    this.range = range;
    this.dispatchEvent(new VitalsChartRangeChangeEvent(range));
  }

  private handleView(view: VitalsChartView): void {
    if (view === this.view) return;
    this.view = view;
    this.dispatchEvent(new VitalsChartViewChangeEvent(view));
  }

  private handleConverterRetry(): void {
    this.converterError = undefined;
    void this.loadConverter();
  }

  private handlePlotRetry(): void {
    this.plotError = undefined;
    void this.loadPlotModule();
  }

  private handlePage(kind: VitalKind, page: number): void {
    this.pages = { ...this.pages, [kind]: page };
  }

  // ------------------------------------------------------------------ rendering

  private renderFrame(content: unknown): TemplateResult {
    return html`<section part="base" class="base" aria-labelledby="heading">
      ${renderHeading(this.headingLevel, 'Vital signs', 'heading')} ${content}
    </section>`;
  }

  private renderLatest(view: VitalsView): TemplateResult | typeof nothing {
    const items = view.series.filter((series) => series.latest);
    if (items.length === 0) return nothing;
    const locale = this.locale;
    return html`<ul part="latest" class="latest" aria-label="Latest values">
      ${items.map((series) => {
        const reading = series.latest!;
        const flag = readingFlag(reading);
        return html`<li part="latest-item" class=${flag ? 'abnormal' : ''}>
          <span class="latest-label">${series.label}</span>
          <span class="latest-value">${formatVitalReading(reading, series, locale)} <span class="unit">${series.unitLabel}</span>${this.renderFlag(flag)}</span>
          <span class="latest-date">${formatVitalDate(reading, { locale, time: false })}</span>
        </li>`;
      })}
    </ul>`;
  }

  private renderFlag(flag: VitalValue['flag']): TemplateResult | typeof nothing {
    if (!flag) return nothing;
    return html` <span part="flag" class="flag" title=${flag.label}>${flag.code}<span class="visually-hidden">, ${flag.label.toLowerCase()}</span></span>`;
  }

  private renderToolbar(window: { start: number; end: number }): TemplateResult {
    const locale = this.locale;
    return html`<div part="toolbar" class="toolbar">
      <div class="segmented" role="group" aria-label="Time range">
        ${RANGES.map(
          (range) =>
            html`<button part="range-button" type="button" aria-pressed=${this.activeRange === range.value ? 'true' : 'false'} @click=${() => this.handleRange(range.value)}>${range.label}${range.rest
              ? html`<span class="visually-hidden">${range.rest}</span>`
              : nothing}</button>`,
        )}
      </div>
      <span class="range-text">${formatTimeRange(window.start, window.end, locale)}</span>
      <div class="segmented view" role="group" aria-label="View">
        <button part="view-button" type="button" aria-pressed=${this.view === 'chart' ? 'true' : 'false'} @click=${() => this.handleView('chart')}>Chart</button>
        <button part="view-button" type="button" aria-pressed=${this.view === 'table' ? 'true' : 'false'} @click=${() => this.handleView('table')}>Table</button>
      </div>
    </div>`;
  }

  private renderNotices(data: VitalsData, view: VitalsView, kinds: VitalKind[] | undefined): TemplateResult {
    const missing = kinds?.filter((kind) => !view.series.some((series) => series.kind === kind)) ?? [];
    return html`${data.complete
      ? nothing
      : html`<p class="notice" role="status">Only part of the record was loaded (${data.observations.length.toLocaleString(this.locale)} readings): the server has more.</p>`}
    ${data.otherPatient > 0
      ? html`<p part="notice" class="notice">
          ${data.otherPatient} ${data.otherPatient === 1 ? 'record' : 'records'} the server returned for another patient ${data.otherPatient === 1 ? 'was' : 'were'} left out.
        </p>`
      : nothing}
    ${this.converterError
      ? html`<div class="notice error">
          <p role="alert">Some values could not be converted to the display units. ${errorReason(this.converterError) ?? ''}</p>
          <button type="button" @click=${this.handleConverterRetry}>Retry</button>
        </div>`
      : nothing}
    ${this.plotError && this.view === 'chart'
      ? html`<div class="notice error">
          <p role="alert">The charts could not be loaded. ${errorReason(this.plotError) ?? ''} The table shows the same readings.</p>
          <button type="button" @click=${this.handlePlotRetry}>Retry</button>
          <button type="button" @click=${() => this.handleView('table')}>Show table</button>
        </div>`
      : nothing}
    ${missing.length > 0 ? html`<p class="undated">Not recorded: ${missing.map((kind) => VITAL_DEFINITIONS[kind].label.toLowerCase()).join(', ')}.</p>` : nothing}`;
  }

  private chartSummary(series: VitalSeries, readings: readonly VitalReading[], locale: string): string {
    if (readings.length === 0) return `${series.label}: no readings in this range.`;
    const first = readings[0]!;
    const last = readings[readings.length - 1]!;
    const parts = [`${series.label} in ${series.unitLabel}: ${readings.length.toLocaleString(this.locale)} ${readings.length === 1 ? 'reading' : 'readings'}`];
    parts[0] += readings.length === 1 ? ` on ${formatVitalDate(first, { locale, time: false })}` : ` from ${formatVitalDate(first, { locale, time: false })} to ${formatVitalDate(last, { locale, time: false })}`;
    const extremes = series.measures.map((measure, index) => {
      let low = Infinity;
      let high = -Infinity;
      for (const reading of readings) {
        const value = reading.values[index]?.value;
        if (value == null) continue;
        if (value < low) low = value;
        if (value > high) high = value;
      }
      if (!Number.isFinite(low)) return undefined;
      const name = series.measures.length > 1 ? `${measure.label.toLowerCase()} ` : '';
      return low === high
        ? `${name}${formatVitalNumber(low, series.decimals, locale)}`
        : `${name}${formatVitalNumber(low, series.decimals, locale)} to ${formatVitalNumber(high, series.decimals, locale)}`;
    });
    const ranges = extremes.filter(Boolean);
    if (ranges.length > 0) parts.push(`range ${ranges.join(', ')}`);
    const latest = [...readings].reverse().find((reading) => reading.values.some((value) => value.value !== null));
    if (latest) parts.push(`latest ${formatVitalReading(latest, series, locale)} on ${formatVitalDate(latest, { locale, time: false })}`);
    const flagged = readings.filter((reading) => readingFlag(reading)).length;
    if (flagged > 0) parts.push(`${flagged} flagged abnormal`);
    return `${parts.join('; ')}.`;
  }

  private renderUndated(series: VitalSeries): TemplateResult | typeof nothing {
    if (series.undated.length === 0) return nothing;
    const locale = this.locale;
    const count = series.undated.length;
    return html`<p class="undated">
      ${count} ${count === 1 ? 'reading has' : 'readings have'} no date and ${count === 1 ? 'is' : 'are'} not charted:
      ${series.undated.map((reading) => `${formatVitalReading(reading, series, locale)} ${series.unitLabel}`).join(', ')}.
    </p>`;
  }

  private renderCharts(view: VitalsView, window: { start: number; end: number }): TemplateResult {
    const locale = this.locale;
    return html`<div class="panels">
      ${repeat(
        view.series,
        (series) => series.kind,
        (series) => {
          const inRange = readingsBetween(series, window.start, window.end);
          return html`<figure part="panel" class="panel">
            <figcaption>
              <span>${series.label} <span class="unit">${series.unitLabel}</span></span>
              ${series.kind === 'bp'
                ? html`<span class="legend" aria-hidden="true"
                    ><span><span class="swatch systolic"></span>Systolic</span> <span><span class="swatch diastolic"></span>Diastolic</span></span
                  >`
                : nothing}
            </figcaption>
            <div class="plot">
              <canvas part="canvas" role="img" data-kind=${series.kind} aria-label=${this.chartSummary(series, inRange, locale)}></canvas>
              ${this.renderPlotMessage(inRange.length)}
            </div>
            ${this.renderUndated(series)}
          </figure>`;
        },
      )}
    </div>`;
  }

  private renderPlotMessage(count: number): TemplateResult | typeof nothing {
    if (this.plotError) return html`<div class="panel-message"><p>Chart unavailable</p></div>`;
    if (!this.plotModule) return html`<div class="panel-message" aria-hidden="true"><span class="bone" style="inline-size: 100%"></span></div>`;
    if (count === 0) return html`<div class="panel-message" aria-hidden="true"><p>No readings in this range</p></div>`;
    return nothing;
  }

  private renderValueCell(value: VitalValue, series: VitalSeries): TemplateResult {
    const locale = this.locale;
    if (value.value === null) {
      return html`<td class="number"><span class="value">—</span>${value.absent ? html` <span class="absent">(${value.absent})</span>` : nothing}</td>`;
    }
    return html`<td class="number">
      <span class="value">${formatVitalValue(value, series, locale)}</span>${this.renderFlag(value.flag)}${value.original
        ? html` <span class="recorded">(recorded ${formatVitalNumber(value.original.value, 2, locale)} ${value.original.unit})</span>`
        : nothing}
    </td>`;
  }

  private renderTables(view: VitalsView, window: { start: number; end: number }): TemplateResult {
    const locale = this.locale;
    const rangeText = formatTimeRange(window.start, window.end, locale);
    return html`<div class="tables">
      ${view.series.map((series) => {
        const inRange = readingsBetween(series, window.start, window.end);
        const pageCount = Math.max(1, Math.ceil(inRange.length / VITALS_TABLE_PAGE_SIZE));
        const page = Math.min(this.pages[series.kind] ?? 0, pageCount - 1);
        // Newest first, as a clinician reads a flowsheet.
        const rows: VitalReading[] = [];
        const from = inRange.length - 1 - page * VITALS_TABLE_PAGE_SIZE;
        for (let i = from; i >= 0 && rows.length < VITALS_TABLE_PAGE_SIZE; i--) rows.push(inRange[i]!);
        const details = series.readings.some((reading) => reading.codeText || reading.status);
        // The chart shades the reference range: the table, its accessible equivalent, lists it.
        const ranges = series.readings.some((reading) => reading.values.some((value) => value.range));
        const columns = 2 + series.measures.length + (details ? 1 : 0) + (ranges ? 1 : 0);
        return html`<div class="table-wrap">
          <table part="table">
            <caption>
              ${series.label} (${series.unitLabel})
              <span class="caption-detail"
                >${inRange.length.toLocaleString(this.locale)} ${inRange.length === 1 ? 'reading' : 'readings'}, ${rangeText}, newest first</span
              >
            </caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                ${series.measures.map((measure) => html`<th scope="col">${series.measures.length > 1 ? measure.label : 'Value'}</th>`)}
                ${ranges ? html`<th scope="col">Reference range</th>` : nothing}
                ${details ? html`<th scope="col">Details</th>` : nothing}
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              ${rows.length === 0
                ? html`<tr>
                    <td colspan=${columns}>No readings in this range.</td>
                  </tr>`
                : rows.map(
                    (reading) => html`<tr>
                      <th scope="row">${formatVitalDate(reading, { locale, time: true })}</th>
                      ${reading.values.map((value) => this.renderValueCell(value, series))}
                      ${ranges ? html`<td class="range">${reading.values.map((value) => formatVitalRange(value, series, locale)).join(' / ')}</td>` : nothing}
                      ${details ? html`<td>${[reading.codeText, reading.status].filter(Boolean).join(' · ')}</td>` : nothing}
                      <td>${reading.performer ?? this.source?.server?.label ?? '—'}</td>
                    </tr>`,
                  )}
            </tbody>
          </table>
          ${pageCount > 1 ? this.renderPager(series, page, pageCount, inRange.length) : nothing}
          ${this.renderUndated(series)}
        </div>`;
      })}
    </div>`;
  }

  private renderPager(series: VitalSeries, page: number, pageCount: number, total: number): TemplateResult {
    const first = page * VITALS_TABLE_PAGE_SIZE + 1;
    const last = Math.min(total, first + VITALS_TABLE_PAGE_SIZE - 1);
    return html`<nav class="pager" aria-label=${`${series.label} table pages`}>
      <button type="button" ?disabled=${page === 0} @click=${() => this.handlePage(series.kind, page - 1)}>Newer</button>
      <span role="status">Rows ${first.toLocaleString(this.locale)}–${last.toLocaleString(this.locale)} of ${total.toLocaleString(this.locale)}</span>
      <button type="button" ?disabled=${page >= pageCount - 1} @click=${() => this.handlePage(series.kind, page + 1)}>Older</button>
    </nav>`;
  }

  private renderComplete(data: VitalsData): TemplateResult {
    const view = this.buildView(data);
    const kinds = this.kinds;
    // Values still waiting for the UCUM library would show as gaps: keep the loading state a moment longer.
    if (view.pendingConversions.length > 0 && !this.converter.complete && !this.converterError) {
      return this.renderFrame(renderLoading('Loading vital signs'));
    }
    const window = this.window(view);
    if (view.series.length === 0 || !window) {
      const which = kinds ? kinds.map((kind) => VITAL_DEFINITIONS[kind].label.toLowerCase()).join(', ') : undefined;
      const undated = view.series.flatMap((series) => (series.undated.length > 0 ? [series] : []));
      return this.renderFrame(
        html`${renderEmpty('No vital signs recorded', which ? `(${which})` : undefined)}${undated.map((series) => this.renderUndated(series))}`,
      );
    }
    return this.renderFrame(html`
      ${this.renderLatest(view)} ${this.renderToolbar(window)} ${this.renderNotices(data, view, kinds)}
      ${this.view === 'table' ? this.renderTables(view, window) : this.renderCharts(view, window)}
      <span class="probes" aria-hidden="true">${COLOR_KEYS.map((key) => html`<span class="probe-${key}"></span>`)}</span>
    `);
  }

  protected override render() {
    return this.data.render({
      pending: (progress) => this.renderFrame(renderLoading('Loading vital signs', progress)),
      error: (error) => this.renderFrame(renderLoadError('Vital signs could not be loaded.', error, () => this.handleRetry())),
      complete: (data) => this.renderComplete(data),
      noPatient: () => this.renderFrame(renderNoPatient()),
    });
  }
}
