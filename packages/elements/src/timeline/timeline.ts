import { consume } from '@lit/context';
import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
// The flow layout given up front: left to itself the virtualizer imports it on first render,
// a second request (a network round trip on a real page) before any row can appear.
import { flow } from '@lit-labs/virtualizer/layouts/flow.js';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Resource } from '@medplum/fhirtypes';
import {
  buildTimeline,
  filterTimeline,
  formatFhirDate,
  groupTimeline,
  isEmptyTimelineFilter,
  loadTimeline,
  mergeTimelineLoads,
  prepareTimelineSearch,
  resolveLocale,
  TIMELINE_KIND_LABELS,
  TIMELINE_KINDS,
  type FhirSource,
  type Timeline,
  type TimelineDate,
  type TimelineEvent,
  type TimelineFilter,
  type TimelineFilterResult,
  type TimelineGroup,
  type TimelineGrouping,
  type TimelineKind,
  type TimelineLoad,
  type TimelineObservationSelection,
  type TimelineTypeResult,
} from '@ehr-elements/core';
import { contextStatusContext, sourceContext, type ContextStatus } from '../context/source-context.js';
import { PatientDataController } from '../shared/patient-data-controller.js';
import { errorReason, renderEmpty, renderHeading, renderLoadError, renderLoading, renderNoPatient } from '../shared/state-views.js';
import { stateStyles } from '../shared/states.styles.js';
import { tokens, visuallyHidden } from '../styles/tokens.styles.js';
import { TimelineSelectEvent } from './events.js';
import { flagIcon, kindIcon } from './icons.js';
import { styles } from './timeline.styles.js';

/** A row of the virtual list: a group header, or an event (no wrapper object per row: 20,000 rows allocate nothing). */
type Row = TimelineGroup | TimelineEvent;

function isGroup(row: Row): row is TimelineGroup {
  return 'events' in row;
}

/** What the filter controls show and change. Kinds: undefined means every kind. */
export interface TimelineFilterState {
  readonly kinds?: readonly TimelineKind[];
  readonly from?: string;
  readonly to?: string;
  readonly text?: string;
}

// Names of the searches, for "Procedures could not be loaded."
const TYPE_LABELS: Readonly<Record<string, string>> = {
  Encounter: 'Encounters',
  Condition: 'Conditions',
  Procedure: 'Procedures',
  Immunization: 'Immunizations',
  MedicationRequest: 'Medication orders',
  MedicationStatement: 'Medication statements',
  DiagnosticReport: 'Reports',
  DocumentReference: 'Documents',
  AllergyIntolerance: 'Allergies',
  Observation: 'Observations',
};

const GROUPINGS: readonly TimelineGrouping[] = ['date', 'encounter', 'none'];
const GROUPING_LABELS: Readonly<Record<TimelineGrouping, string>> = { date: 'Month', encounter: 'Encounter', none: 'No grouping' };
const PAGE_STEP = 10;
/** The User Timing measure of each model build. */
const BUILD_MEASURE = 'ehr-timeline: build model';
const numberFormat = new Intl.NumberFormat('en-US');

/** `kinds` attribute: kind names separated by spaces or commas; unknown names are ignored. */
const kindsConverter = {
  fromAttribute(value: string | null): TimelineKind[] | undefined {
    if (value === null) return undefined;
    const kinds = value.split(/[\s,]+/).filter((kind): kind is TimelineKind => (TIMELINE_KINDS as readonly string[]).includes(kind));
    return kinds;
  },
  toAttribute(value: readonly TimelineKind[] | undefined): string | null {
    return value ? value.join(' ') : null;
  },
};

/** `observations` attribute: `notable` (default), `all` or `none`. */
const observationsConverter = {
  fromAttribute(value: string | null): TimelineObservationSelection | undefined {
    return value === 'all' || value === 'none' ? value : undefined;
  },
  toAttribute(value: TimelineObservationSelection | undefined): string | null {
    return typeof value === 'string' ? value : null;
  },
};

/** "1 event", "4,329 events". */
function eventCount(count: number): string {
  return `${numberFormat.format(count)} ${count === 1 ? 'event' : 'events'}`;
}

/** "Procedures", "Procedures and Documents", "Procedures, Documents and Reports". */
function listOf(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** A full day for `<input type="date">` from a filter bound (partial allowed: `2020` from -> 2020-01-01). */
function inputDay(value: string | undefined, edge: 'from' | 'to'): string {
  if (!value) return '';
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value);
  if (!match) return '';
  const [, year, month, day] = match;
  if (day) return `${year}-${month}-${day}`;
  if (month) {
    if (edge === 'from') return `${year}-${month}-01`;
    const last = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
    return `${year}-${month}-${String(last).padStart(2, '0')}`;
  }
  return edge === 'from' ? `${year}-01-01` : `${year}-12-31`;
}

/**
 * The patient's comprehensive record as one stream of events, newest first: encounters,
 * conditions (onset and resolution), procedures, immunizations, medications, diagnostic
 * reports, documents, allergies and notable observations (abnormal lab results and social
 * history by default; see `observations`). Grouped by month (`group-by="date"`), under the
 * encounter each event belongs to (`group-by="encounter"`), or not at all.
 *
 * Built for large records: 20,000 events keep a small DOM through virtual scrolling
 * (`@lit-labs/virtualizer`), group headers are rows of the same list, and filtering by
 * kind, date range (partial dates overlap-aware) and free text answers within a frame.
 *
 * Every state is rendered: loading (with "1,200 of 3,400 loaded" while pages arrive), an
 * error with Retry when nothing could be loaded, per-type failures ("Procedures could not
 * be loaded.", with Retry) above the events that did load, "No events recorded", and "No
 * events match the filters" with a button that clears them. A failed load is never shown
 * as an empty timeline.
 *
 * Keyboard: Tab reaches the list once; Arrow Up/Down, Home/End and Page Up/Down move
 * between events; Enter or Space selects one (`ehr-timeline-select`).
 *
 * Data comes from the enclosing `<ehr-context>` (every type searched in parallel, all
 * pages) or directly from the `resources` property. FHIR strings are shown as text only.
 *
 * @tag ehr-timeline
 * @summary A virtualised, filterable timeline of the whole record.
 *
 * @fires ehr-timeline-select - {TimelineSelectEvent} The user chose an event (`event.event`, `event.resource`).
 *
 * @csspart base - The frame, in every state.
 * @csspart header - The heading and the summary line.
 * @csspart heading - The heading.
 * @csspart summary - "Showing 238 of 4,329 events".
 * @csspart filters - The filter bar.
 * @csspart kind-toggle - Each kind's toggle button (pressed = shown).
 * @csspart search - The search box.
 * @csspart date-input - The From and To date inputs.
 * @csspart group-by - The grouping select.
 * @csspart clear-button - The Clear filters buttons.
 * @csspart failures - The messages of types that could not be loaded.
 * @csspart retry-button - Each Retry button.
 * @csspart list - The scrolling list.
 * @csspart group-header - A group's header row.
 * @csspart row - An event's row.
 * @csspart item - An event's button (focusable, selectable).
 * @csspart marker - The kind icon on the rail.
 * @csspart badge - A status or flag badge.
 * @csspart state - Loading, empty and error states.
 *
 * @cssprop --ehr-timeline-background - Background. Default: `--ehr-color-surface`.
 * @cssprop --ehr-timeline-color - Text colour. Default: `--ehr-color-text`.
 * @cssprop --ehr-timeline-muted-color - Secondary text. Default: `--ehr-color-text-muted`.
 * @cssprop --ehr-timeline-border - Border shorthand of the frame. Default: `1px solid` `--ehr-color-border`.
 * @cssprop --ehr-timeline-border-radius - Corner radius. Default: `--ehr-radius`.
 * @cssprop --ehr-timeline-font-family - Font. Default: `--ehr-font-family`.
 * @cssprop --ehr-timeline-font-size - Base font size. Default: 0.875rem.
 * @cssprop --ehr-timeline-padding - Inner spacing of the frame. Default: 0.75rem 1rem.
 * @cssprop --ehr-timeline-height - Height of the scrolling list. Default: 32rem.
 * @cssprop --ehr-timeline-rail-color - The vertical line joining events. Default: `--ehr-color-border`.
 * @cssprop --ehr-timeline-group-background - Group header rows. Default: `--ehr-color-surface-muted`.
 * @cssprop --ehr-timeline-selected-background - The selected event. Default: accent at 12%.
 * @cssprop --ehr-timeline-accent - Focus, selection and pressed toggles. Default: `--ehr-color-accent`.
 * @cssprop --ehr-timeline-flag-color - Abnormal result and notable status badges. Default: `--ehr-color-danger`.
 * @cssprop --ehr-timeline-encounter-color - Kind colour (icon and marker) of encounters.
 * @cssprop --ehr-timeline-condition-color - Kind colour of conditions.
 * @cssprop --ehr-timeline-procedure-color - Kind colour of procedures.
 * @cssprop --ehr-timeline-immunization-color - Kind colour of immunizations.
 * @cssprop --ehr-timeline-medication-color - Kind colour of medications.
 * @cssprop --ehr-timeline-report-color - Kind colour of diagnostic reports.
 * @cssprop --ehr-timeline-document-color - Kind colour of documents.
 * @cssprop --ehr-timeline-allergy-color - Kind colour of allergies.
 * @cssprop --ehr-timeline-observation-color - Kind colour of observations.
 * @cssprop --ehr-color-scheme - Global: `light dark` (default: follow `prefers-color-scheme`), `light` or `dark`.
 */
export class TimelineElement extends LitElement {
  static override styles = [tokens, visuallyHidden, stateStyles, styles];

  /**
   * FHIR resources given directly (any mix of the types the timeline shows, plus the
   * Practitioners, Organizations and Medications they name). When set, nothing is loaded.
   */
  @property({ attribute: false }) resources?: readonly Resource[];

  /** The id of a patient to show instead of the patient in context. */
  @property({ attribute: 'patient-id' }) patientId?: string;

  /** `date` (by month, default), `encounter` (under each encounter) or `none`. */
  @property({ attribute: 'group-by', reflect: true }) groupBy: TimelineGrouping = 'date';

  /** The level of the timeline's heading (1–6); group headers are one level below. Default 2. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** The heading's text. Default "Timeline". */
  @property() heading = 'Timeline';

  /** Only these kinds are loaded and shown (attribute: names separated by spaces, e.g. `encounter procedure`). Default: every kind. */
  @property({ converter: kindsConverter }) kinds?: TimelineKind[];

  /**
   * Which Observations are events: `notable` (default: abnormal lab results and social
   * history), `all`, `none`; as a property, also a rule or a predicate.
   */
  @property({ converter: observationsConverter }) observations?: TimelineObservationSelection;

  /** The filters in force (kinds, from, to, text). Set it to filter from the page; the controls update it. */
  @property({ attribute: false }) filter: TimelineFilterState = {};

  /** The `key` of the selected event (shown as current). Set by selecting an event, or by the page. */
  @property({ attribute: 'selected-key' }) selectedKey?: string;

  /** Hide the filter bar (a compact timeline). */
  @property({ type: Boolean, attribute: 'no-filters' }) noFilters = false;

  /** The FHIR source to read from; provided by the enclosing `<ehr-context>`, or set directly. */
  @consume({ context: sourceContext, subscribe: true })
  @property({ attribute: false })
  source?: FhirSource;

  /** @internal The enclosing `<ehr-context>`'s status: loading while a SMART launch completes. */
  @consume({ context: contextStatusContext, subscribe: true })
  @state()
  contextStatus?: ContextStatus;

  /** Types being loaded again after a failure. */
  @state() private retrying: ReadonlySet<string> = new Set();

  /** A load with failed types loaded again, valid while the load it was merged into is current. */
  @state() private retried?: { readonly base: TimelineLoad; readonly value: TimelineLoad };

  /** The row that holds the list's one tab stop (roving tabindex). */
  @state() private activeIndex = -1;

  /**
   * Whether the virtualizer has rows in the DOM. Until it has (the list is below the fold,
   * or not laid out yet), the scrollable list itself is the tab stop, so it stays reachable
   * by keyboard (WCAG 2.1.1; axe `scrollable-region-focusable`).
   */
  @state() private rowsRendered = false;

  private readonly data = new PatientDataController<TimelineLoad>(this, {
    load: (source, patientId, { signal, onProgress }) =>
      loadTimeline(source, patientId, { signal, onProgress, kinds: this.kinds, observations: this.observations }),
    direct: () => this.directLoad(),
  });

  private directMemo?: { readonly input: readonly Resource[]; readonly output: TimelineLoad };
  private timelineMemo?: { readonly load: TimelineLoad; readonly kinds?: readonly TimelineKind[]; readonly observations?: TimelineObservationSelection; readonly output: Timeline };
  private filteredMemo?: { readonly timeline: Timeline; readonly filter: TimelineFilterState; readonly output: TimelineFilterResult };
  private rowsMemo?: { readonly filtered: TimelineFilterResult; readonly groupBy: TimelineGrouping; readonly locale: string; readonly output: Row[] };
  private readonly dateTexts = new Map<string, string>();
  /** The row holding the tab stop in this render: the active row, else the first focusable one. */
  private tabStop = -1;
  /** The row focus is moving to (it may first have to be scrolled into the DOM). */
  private focusTarget?: number;
  /** Whether the list is scrolled away from its top (read in scroll events, when layout is fresh). */
  private listScrolled = false;
  private searchWarmup?: { readonly timeline: Timeline; next: number; handle?: number };
  /** Aborts the retries of the current load when a new load replaces it, or the element leaves the page. */
  private retryAbort = new AbortController();

  // -------------------------------------------------------------------------
  // Lifecycle

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('filter')) this.activeIndex = -1;
    // Other kinds or Observations mean other searches: the previous load no longer answers.
    if (this.hasUpdated && !this.resources && (changed.has('kinds') || changed.has('observations'))) void this.reload();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // New results start at the top. Only when scrolled: setting scrollTop forces a layout.
    if (changed.has('filter') && this.listScrolled) {
      const list = this.listElement;
      if (list) list.scrollTop = 0;
      this.listScrolled = false;
    }
    this.scheduleSearchWarmup();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cancelSearchWarmup();
    this.abortRetries();
  }

  // -------------------------------------------------------------------------
  // Public methods

  /** Loads the timeline again (after an error, or to pick up changes). */
  reload(): Promise<void> {
    this.retried = undefined;
    this.retrying = new Set();
    this.abortRetries();
    return this.data.reload();
  }

  /** Loads the resource types that failed again, keeping what did load. */
  async retryFailed(resourceTypes?: readonly string[]): Promise<void> {
    const base = this.currentLoad;
    const source = this.source;
    const patientId = this.data.patientId;
    if (!base || !source || !patientId || this.resources) return;
    const types = (resourceTypes ?? base.failures.map((failure) => failure.resourceType)).filter((type) => !this.retrying.has(type));
    if (types.length === 0) return;
    const taskValue = this.data.value;
    this.retrying = new Set([...this.retrying, ...types]);
    const signal = this.retryAbort.signal;
    let merged: TimelineLoad;
    try {
      const again = await loadTimeline(source, patientId, { signal, kinds: this.kinds, observations: this.observations, resourceTypes: types });
      merged = mergeTimelineLoads(this.currentLoad ?? base, again);
    } catch (error) {
      if (signal.aborted) return;
      // Every type retried failed again: keep their new error.
      const failed = base.results
        .filter((result) => types.includes(result.resourceType))
        .map((result): TimelineTypeResult => ({ ...result, resources: [], error, complete: false }));
      merged = mergeTimelineLoads(this.currentLoad ?? base, { patientId, resources: [], results: failed, failures: failed });
    }
    // A newer load (another patient, Reload) has replaced the one these types belong to.
    if (this.data.value !== taskValue) return;
    this.retried = { base: taskValue!, value: merged };
    this.retrying = new Set([...this.retrying].filter((type) => !types.includes(type)));
  }

  /** Clears every filter (kinds, dates, text). */
  clearFilters(): void {
    this.filter = {};
  }

  private abortRetries(): void {
    this.retryAbort.abort();
    this.retryAbort = new AbortController();
  }

  // -------------------------------------------------------------------------
  // Derived data

  private directLoad(): TimelineLoad | undefined {
    const input = this.resources;
    if (!input) return undefined;
    if (this.directMemo?.input !== input) {
      this.directMemo = { input, output: { patientId: this.patientId ?? '', resources: input as Resource[], results: [], failures: [] } };
    }
    return this.directMemo.output;
  }

  /** The load shown: the controller's, or the same with failed types loaded again. */
  private get currentLoad(): TimelineLoad | undefined {
    const value = this.data.value;
    if (value && this.retried?.base === value) return this.retried.value;
    return value;
  }

  private timelineOf(load: TimelineLoad): Timeline {
    const memo = this.timelineMemo;
    if (memo && memo.load === load && memo.kinds === this.kinds && memo.observations === this.observations) return memo.output;
    const started = performance.now();
    const output = buildTimeline(load.resources, { kinds: this.kinds, observations: this.observations });
    // A User Timing entry: the cost shows in the browser's performance panel (and the benchmark reads it).
    try {
      performance.measure(BUILD_MEASURE, { start: started, end: performance.now(), detail: { events: output.events.length } });
    } catch {
      // performance.measure with options is missing in older browsers: nothing to record.
    }
    this.timelineMemo = { load, kinds: this.kinds, observations: this.observations, output };
    this.dateTexts.clear();
    return output;
  }

  private filteredOf(timeline: Timeline): TimelineFilterResult {
    const memo = this.filteredMemo;
    if (memo && memo.timeline === timeline && memo.filter === this.filter) return memo.output;
    const filter: TimelineFilter = this.filter;
    const output = filterTimeline(timeline.events, filter);
    this.filteredMemo = { timeline, filter: this.filter, output };
    return output;
  }

  private rowsOf(filtered: TimelineFilterResult, timeline: Timeline): Row[] {
    const locale = resolveLocale(this.locale);
    const memo = this.rowsMemo;
    if (memo && memo.filtered === filtered && memo.groupBy === this.groupBy && memo.locale === locale) return memo.output;
    const groupBy = GROUPINGS.includes(this.groupBy) ? this.groupBy : 'date';
    const groups = groupTimeline(filtered.events, groupBy, { locale, encounters: timeline.encounters });
    const rows: Row[] = [];
    for (const group of groups) {
      // Ungrouped: no header row above the one list of events.
      if (group.type !== 'all') rows.push(group);
      for (const event of group.events) rows.push(event);
    }
    this.rowsMemo = { filtered, groupBy: this.groupBy, locale, output: rows };
    return rows;
  }

  private get locale(): string | undefined {
    return this.closest('[lang]')?.getAttribute('lang') || undefined;
  }

  private get listElement(): (HTMLElement & VirtualizerHostElement) | null {
    return this.renderRoot.querySelector<HTMLElement & VirtualizerHostElement>('[part~="list"]');
  }

  /** A row's button, when the row is rendered. */
  private rowButton(index: number): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[part~="list"] [data-index="${index}"]`);
  }

  private isFocusable(row: Row | undefined): boolean {
    return row !== undefined && (!isGroup(row) || row.encounter !== undefined);
  }

  /** The first focusable row at or after `index` (or before, with `step` -1). */
  private focusableFrom(rows: readonly Row[], index: number, step: 1 | -1): number {
    for (let i = index; i >= 0 && i < rows.length; i += step) if (this.isFocusable(rows[i])) return i;
    return -1;
  }

  private get rows(): Row[] {
    const load = this.currentLoad;
    if (!load) return [];
    const timeline = this.timelineOf(load);
    return this.rowsOf(this.filteredOf(timeline), timeline);
  }

  private formatDate(date: TimelineDate): string {
    const locale = this.locale;
    const key = `${locale ?? ''}|${date.value}`;
    let text = this.dateTexts.get(key);
    if (text === undefined) {
      text = formatFhirDate(date.parsed, { locale }) ?? date.value;
      this.dateTexts.set(key, text);
    }
    return text;
  }

  /** "May 3, 2024", "May 3, 2024 – May 5, 2024", or what the record says instead of a date. */
  private whenText(event: TimelineEvent): string {
    if (!event.start) return event.dateText ?? 'Date unknown';
    const start = this.formatDate(event.start);
    if (!event.end) return start;
    const end = this.formatDate(event.end);
    return end === start ? start : `${start} – ${end}`;
  }

  // -------------------------------------------------------------------------
  // Idle work: describe events for search before the first keystroke

  private scheduleSearchWarmup(): void {
    const timeline = this.timelineMemo?.output;
    if (!timeline || this.searchWarmup?.timeline === timeline) return;
    this.cancelSearchWarmup();
    const warmup: { timeline: Timeline; next: number; handle?: number } = { timeline, next: 0 };
    this.searchWarmup = warmup;
    const idle = (callback: (deadline?: IdleDeadline) => void): number =>
      typeof requestIdleCallback === 'function' ? requestIdleCallback(callback, { timeout: 1000 }) : window.setTimeout(() => callback(), 50);
    const step = (deadline?: IdleDeadline) => {
      if (this.searchWarmup !== warmup) return;
      const budget = deadline ? Math.max(1, deadline.timeRemaining() - 1) : 8;
      warmup.next = prepareTimelineSearch(timeline.events, warmup.next, budget);
      if (warmup.next < timeline.events.length) warmup.handle = idle(step);
    };
    warmup.handle = idle(step);
  }

  private cancelSearchWarmup(): void {
    const handle = this.searchWarmup?.handle;
    if (handle !== undefined) {
      if (typeof cancelIdleCallback === 'function') cancelIdleCallback(handle);
      clearTimeout(handle);
    }
    this.searchWarmup = undefined;
  }

  // -------------------------------------------------------------------------
  // Handlers

  private setFilter(next: TimelineFilterState): void {
    this.filter = next;
  }

  private handleKindToggle(kind: TimelineKind, present: readonly TimelineKind[]): void {
    const shown = new Set(this.filter.kinds ?? present);
    if (shown.has(kind)) shown.delete(kind);
    else shown.add(kind);
    const kinds = present.every((candidate) => shown.has(candidate)) ? undefined : present.filter((candidate) => shown.has(candidate));
    this.setFilter({ ...this.filter, kinds });
  }

  private handleSearchInput(event: Event): void {
    this.setFilter({ ...this.filter, text: (event.target as HTMLInputElement).value });
  }

  private handleFromChange(event: Event): void {
    this.setFilter({ ...this.filter, from: (event.target as HTMLInputElement).value || undefined });
  }

  private handleToChange(event: Event): void {
    this.setFilter({ ...this.filter, to: (event.target as HTMLInputElement).value || undefined });
  }

  private handleGroupByChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value as TimelineGrouping;
    if (GROUPINGS.includes(value)) {
      this.groupBy = value;
      this.activeIndex = -1;
    }
  }

  private handleClearFilters(): void {
    this.clearFilters();
    // The button that had focus is gone: continue from the search box.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('[part~="search"]')?.focus());
  }

  private handleReload(): void {
    void this.reload();
  }

  private select(row: Row, index: number): void {
    const event = isGroup(row) ? row.encounter : row;
    if (!event) return;
    this.activeIndex = index;
    this.selectedKey = event.key;
    this.dispatchEvent(new TimelineSelectEvent(event));
  }

  private handleListClick(domEvent: MouseEvent): void {
    const button = (domEvent.target as Element).closest<HTMLElement>('[data-index]');
    if (!button) return;
    const index = Number(button.dataset.index);
    const row = this.rows[index];
    if (row) this.select(row, index);
  }

  private handleListFocusIn(domEvent: FocusEvent): void {
    const button = (domEvent.target as Element).closest<HTMLElement>('[data-index]');
    if (button) this.activeIndex = Number(button.dataset.index);
    // The list itself took focus (no rows were rendered then): hand it to the tab-stop row if there is one now.
    else if (domEvent.target === domEvent.currentTarget) this.rowButton(this.tabStop)?.focus();
  }

  private handleRangeChanged(domEvent: Event & { first?: number; last?: number }): void {
    const { first, last } = domEvent;
    const rendered = typeof first === 'number' && typeof last === 'number' && last >= first && last >= 0;
    if (rendered !== this.rowsRendered) this.rowsRendered = rendered;
  }

  private handleListKeyDown(domEvent: KeyboardEvent): void {
    const button = (domEvent.target as Element).closest<HTMLElement>('[data-index]');
    if (!button) return;
    const rows = this.rows;
    const current = Number(button.dataset.index);
    let target = -1;
    switch (domEvent.key) {
      case 'ArrowDown':
        target = this.focusableFrom(rows, current + 1, 1);
        break;
      case 'ArrowUp':
        target = this.focusableFrom(rows, current - 1, -1);
        break;
      case 'Home':
        target = this.focusableFrom(rows, 0, 1);
        break;
      case 'End':
        target = this.focusableFrom(rows, rows.length - 1, -1);
        break;
      case 'PageDown':
        target = this.focusableFrom(rows, Math.min(rows.length - 1, current + PAGE_STEP), 1);
        if (target < 0) target = this.focusableFrom(rows, rows.length - 1, -1);
        break;
      case 'PageUp':
        target = this.focusableFrom(rows, Math.max(0, current - PAGE_STEP), -1);
        if (target < 0) target = this.focusableFrom(rows, 0, 1);
        break;
      default:
        return;
    }
    domEvent.preventDefault();
    if (target >= 0 && target !== current) void this.focusRow(target);
  }

  /**
   * Moves focus to a row. A far row is first scrolled into the list (and so into the DOM);
   * while the virtualizer settles its estimate of row heights it may render that row again,
   * so focus is checked over a few frames and put back on the row until it holds.
   */
  private async focusRow(index: number): Promise<void> {
    this.activeIndex = index;
    this.focusTarget = index;
    try {
      await this.updateComplete;
      if (!this.rowButton(index)) this.listElement?.[virtualizerRef]?.element(index)?.scrollIntoView({ block: 'nearest' });
      let settled = 0;
      for (let frame = 0; frame < 90 && settled < 3 && this.focusTarget === index; frame++) {
        const button = this.rowButton(index);
        if (button && this.shadowRoot?.activeElement === button) settled++;
        else if (button) {
          button.focus();
          settled = 0;
        }
        await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
      }
    } finally {
      if (this.focusTarget === index) this.focusTarget = undefined;
    }
  }

  /** Keeps the list's tab stop on a rendered row when the active one scrolls out of the DOM. */
  private handleVisibilityChanged(domEvent: Event & { first?: number; last?: number }): void {
    const { first, last } = domEvent;
    if (typeof first !== 'number' || typeof last !== 'number') return;
    // While focus travels to a far row, the row it left is gone from the DOM: that is not "focus left the list".
    if (this.focusTarget !== undefined) return;
    const list = this.listElement;
    const focusInList = list !== null && list.contains(this.shadowRoot?.activeElement ?? null);
    if (focusInList) return;
    if (this.tabStop >= first && this.tabStop <= last) return;
    const rows = this.rows;
    const candidate = this.focusableFrom(rows, Math.max(0, first), 1);
    if (candidate >= 0 && candidate <= last) this.activeIndex = candidate;
  }

  private handleListScroll(domEvent: Event): void {
    this.listScrolled = (domEvent.currentTarget as HTMLElement).scrollTop > 0;
  }

  private handleRetryType(resourceType: string): void {
    void this.retryFailed([resourceType]);
  }

  // -------------------------------------------------------------------------
  // Rendering

  private renderFrame(content: unknown, summary?: unknown): TemplateResult {
    return html`<section part="base" class="base" aria-labelledby="heading">
      <div part="header" class="header">${renderHeading(this.headingLevel, this.heading, 'heading')} ${summary ?? nothing}</div>
      ${content}
    </section>`;
  }

  private renderFailures(load: TimelineLoad): TemplateResult | typeof nothing {
    if (load.failures.length === 0 && load.results.every((result) => result.complete && result.otherPatientCount === 0)) return nothing;
    const incomplete = load.results.filter((result) => !result.error && !result.complete);
    const otherPatient = load.results.reduce((sum, result) => sum + result.otherPatientCount, 0);
    return html`<div part="failures" class="failures">
      ${load.failures.map((failure) => {
        const label = TYPE_LABELS[failure.resourceType] ?? failure.resourceType;
        const busy = this.retrying.has(failure.resourceType);
        const reason = errorReason(failure.error);
        return html`<div class="failure" aria-busy=${busy ? 'true' : 'false'}>
          <p role="alert"><strong>${label} could not be loaded.</strong>${reason ? html` <span>${reason}</span>` : nothing}</p>
          <button
            part="retry-button"
            type="button"
            aria-label=${`${busy ? 'Retrying' : 'Retry'} ${label.toLowerCase()}`}
            ?disabled=${busy}
            @click=${() => this.handleRetryType(failure.resourceType)}
          >
            ${busy ? 'Retrying…' : 'Retry'}
          </button>
        </div>`;
      })}
      ${incomplete.map(
        (result) =>
          html`<p class="note" role="note">
            Only the first ${numberFormat.format(result.resources.length)} ${(TYPE_LABELS[result.resourceType] ?? result.resourceType).toLowerCase()}
            were loaded; the server holds more.
          </p>`,
      )}
      ${otherPatient > 0
        ? html`<p class="note" role="note">
            ${numberFormat.format(otherPatient)} ${otherPatient === 1 ? 'record' : 'records'} about another patient ${otherPatient === 1 ? 'was' : 'were'} left
            out.
          </p>`
        : nothing}
    </div>`;
  }

  private renderFilters(timeline: Timeline, filtered: TimelineFilterResult): TemplateResult | typeof nothing {
    if (this.noFilters) return nothing;
    const present = TIMELINE_KINDS.filter((kind) => timeline.kindCounts[kind] > 0);
    const shown = this.filter.kinds ? new Set(this.filter.kinds) : undefined;
    const filtering = !isEmptyTimelineFilter(this.filter);
    return html`<div part="filters" class="filters" role="search" aria-label="Filter events">
      ${present.length > 1
        ? html`<div class="kinds" role="group" aria-label="Kinds of event">
            ${present.map((kind) => {
              const pressed = !shown || shown.has(kind);
              return html`<button
                part="kind-toggle"
                class="kind-toggle"
                type="button"
                data-kind=${kind}
                aria-pressed=${pressed ? 'true' : 'false'}
                @click=${() => this.handleKindToggle(kind, present)}
              >
                ${kindIcon(kind)}<span class="kind-name">${TIMELINE_KIND_LABELS[kind].other}</span>
                <span class="count">${numberFormat.format(filtered.kindCounts[kind])}</span>
              </button>`;
            })}
          </div>`
        : nothing}
      <div class="fields">
        <label class="field search-field"
          ><span class="label">Search</span
          ><input part="search" type="search" autocomplete="off" spellcheck="false" .value=${this.filter.text ?? ''} @input=${this.handleSearchInput}
        /></label>
        <label class="field"
          ><span class="label">From</span
          ><input
            part="date-input"
            type="date"
            .value=${inputDay(this.filter.from, 'from')}
            max=${inputDay(this.filter.to, 'to') || nothing}
            @change=${this.handleFromChange}
        /></label>
        <label class="field"
          ><span class="label">To</span
          ><input
            part="date-input"
            type="date"
            .value=${inputDay(this.filter.to, 'to')}
            min=${inputDay(this.filter.from, 'from') || nothing}
            @change=${this.handleToChange}
        /></label>
        <label class="field"
          ><span class="label">Group by</span
          ><select part="group-by" @change=${this.handleGroupByChange}>
            ${GROUPINGS.map((grouping) => html`<option value=${grouping} ?selected=${grouping === this.groupBy}>${GROUPING_LABELS[grouping]}</option>`)}
          </select></label
        >
        ${filtering
          ? html`<button part="clear-button" class="clear" type="button" @click=${this.handleClearFilters}>Clear filters</button>`
          : nothing}
      </div>
    </div>`;
  }

  private renderSummary(timeline: Timeline, filtered: TimelineFilterResult): TemplateResult {
    const total = timeline.events.length;
    const text = isEmptyTimelineFilter(this.filter) ? eventCount(total) : `Showing ${numberFormat.format(filtered.events.length)} of ${eventCount(total)}`;
    const hidden = filtered.undatedHidden;
    return html`<p part="summary" class="summary" role="status">
      ${text}${hidden > 0 ? html`<span class="hint"> · ${eventCount(hidden)} without a date not shown while a date range is set</span>` : nothing}
    </p>`;
  }

  private renderGroupRow(group: TimelineGroup, index: number, size: number): TemplateResult {
    const level = Math.min(6, Math.max(1, (Number.isInteger(this.headingLevel) ? this.headingLevel : 2) + 1));
    const count = html`<span class="group-count">${eventCount(group.events.length)}</span>`;
    const encounter = group.encounter;
    if (encounter) {
      const current = this.selectedKey === encounter.key;
      const people = [encounter.performer, encounter.organization].filter(Boolean).join(' · ');
      return html`<div part="group-header" class="row group encounter" role="listitem" aria-setsize=${size} aria-posinset=${index + 1}>
        <div role="heading" aria-level=${level}>
          <button
            part="item"
            class="item group-item ${encounter.kind}"
            type="button"
            data-index=${index}
            tabindex=${index === this.tabStop ? 0 : -1}
            aria-current=${current ? 'true' : nothing}
          >
            <span part="marker" class="marker">${kindIcon('encounter')}</span>
            <span class="main">
              <span class="title">${group.label}</span>
              <span class="meta">
                <span class="kind">Encounter</span>
                ${encounter.detail ? html`<span>${encounter.detail}</span>` : nothing}
                ${people ? html`<span>${people}</span>` : nothing}
              </span>
            </span>
            <span class="when"><span class="date">${this.whenText(encounter)}</span> ${count}</span>
          </button>
        </div>
      </div>`;
    }
    return html`<div part="group-header" class="row group ${group.type}" role="listitem" aria-setsize=${size} aria-posinset=${index + 1}>
      <div class="group-title" role="heading" aria-level=${level}>${group.label}</div>
      ${count}
    </div>`;
  }

  private renderEventRow(event: TimelineEvent, index: number, size: number, nested: boolean): TemplateResult {
    const current = this.selectedKey === event.key;
    const status = event.status;
    const flag = event.flag;
    const people = [event.performer, event.organization].filter(Boolean).join(' · ');
    return html`<div part="row" class="row event ${nested ? 'nested' : ''}" role="listitem" aria-setsize=${size} aria-posinset=${index + 1}>
      <button
        part="item"
        class="item ${event.kind}"
        type="button"
        data-index=${index}
        data-kind=${event.kind}
        tabindex=${index === this.tabStop ? 0 : -1}
        aria-current=${current ? 'true' : nothing}
      >
        <span part="marker" class="marker">${kindIcon(event.kind)}</span>
        <span class="main">
          <span class="title">${event.title}</span>
          <span class="meta">
            <span class="kind">${TIMELINE_KIND_LABELS[event.kind].one}</span>
            ${event.detail ? html`<span>${event.detail}</span>` : nothing}
            ${people ? html`<span>${people}</span>` : nothing}
          </span>
        </span>
        <span class="when">
          <span class="date-label">${event.dateLabel}</span>
          <span class="date">${this.whenText(event)}</span>
        </span>
        ${flag
          ? html`<span part="badge" class="badge flag ${flag.critical ? 'critical' : ''}">${flagIcon(flag.code)}${flag.label}</span>`
          : status?.notable
            ? html`<span part="badge" class="badge status status-${status.code}">${status.label}</span>`
            : nothing}
      </button>
    </div>`;
  }

  private renderList(rows: readonly Row[], timeline: Timeline, filtered: TimelineFilterResult): TemplateResult {
    const valid = this.activeIndex >= 0 && this.activeIndex < rows.length && this.isFocusable(rows[this.activeIndex]);
    this.tabStop = valid ? this.activeIndex : this.focusableFrom(rows, 0, 1);
    const size = rows.length;
    const encounters = this.groupBy === 'encounter' ? timeline.encounters : undefined;
    return html`<div
      part="list"
      class="list"
      role="list"
      aria-label=${isEmptyTimelineFilter(this.filter)
        ? `${this.heading}: ${eventCount(timeline.events.length)}`
        : `${this.heading}: ${numberFormat.format(filtered.events.length)} of ${eventCount(timeline.events.length)}`}
      @click=${this.handleListClick}
      @keydown=${this.handleListKeyDown}
      tabindex=${this.rowsRendered ? nothing : 0}
      @focusin=${this.handleListFocusIn}
      @rangeChanged=${this.handleRangeChanged}
      @visibilityChanged=${this.handleVisibilityChanged}
      @scroll=${this.handleListScroll}
    >
      ${virtualize({
        items: rows as Row[],
        scroller: true,
        layout: flow(),
        keyFunction: (row: Row) => (isGroup(row) ? `group:${row.key}` : row.key),
        renderItem: (row: Row, index: number) =>
          isGroup(row)
            ? this.renderGroupRow(row, index, size)
            : this.renderEventRow(row, index, size, row.encounter !== undefined && encounters?.has(row.encounter) === true),
      })}
    </div>`;
  }

  private renderTimeline(load: TimelineLoad): TemplateResult {
    const timeline = this.timelineOf(load);
    const failures = this.renderFailures(load);
    if (timeline.events.length === 0) {
      // Types that failed were not searched successfully: never say "none" about them.
      const content =
        load.failures.length > 0
          ? renderEmpty('No events among the records that did load.')
          : renderEmpty('No events recorded', this.kinds ? `No ${listOf(this.kinds.map((kind) => TIMELINE_KIND_LABELS[kind].other.toLowerCase()))} in this record.` : undefined);
      return this.renderFrame(html`${failures}${content}`);
    }
    const filtered = this.filteredOf(timeline);
    const rows = this.rowsOf(filtered, timeline);
    const list =
      rows.length > 0
        ? this.renderList(rows, timeline, filtered)
        : html`<div part="state" class="state empty no-match" role="status">
            <p><strong>No events match the filters.</strong></p>
            <button part="clear-button" class="clear" type="button" @click=${this.handleClearFilters}>Clear filters</button>
          </div>`;
    return this.renderFrame(html`${this.renderFilters(timeline, filtered)}${failures}${list}`, this.renderSummary(timeline, filtered));
  }

  protected override render() {
    return this.data.render({
      pending: (progress) => this.renderFrame(renderLoading('Loading timeline', progress, 6)),
      error: (error) => this.renderFrame(renderLoadError('The timeline could not be loaded.', error, () => this.handleReload())),
      complete: (load) => this.renderTimeline(this.currentLoad ?? load),
      noPatient: () => this.renderFrame(renderNoPatient()),
    });
  }
}
