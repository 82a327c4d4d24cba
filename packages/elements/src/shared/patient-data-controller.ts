import { initialState, Task, TaskStatus } from '@lit/task';
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { cacheProvenance, type CacheProvenance, type FhirSource, type SearchProgress } from '@ehr-elements/core';
import { renderFreshness } from './state-views.js';
import type { ContextStatus } from '../context/source-context.js';

/** What a data-driven element offers the controller: where to read, and data given directly. */
export interface PatientDataHost extends ReactiveControllerHost, HTMLElement {
  /** The FHIR source (from `<ehr-context>` or set directly). */
  source?: FhirSource;
  /** Another patient than the one in context (`patient-id` attribute). */
  patientId?: string;
  /**
   * The enclosing `<ehr-context>`'s status (consumed from `contextStatusContext`), when the
   * element consumes it: while a SMART launch completes there is no source yet, which is
   * loading, not "no patient"; when it failed, `<ehr-context>` shows the error itself.
   */
  contextStatus?: ContextStatus;
}

export interface PatientDataLoadOptions {
  readonly signal: AbortSignal;
  /** Report paging progress; the element shows "1,200 of 3,400 loaded". */
  readonly onProgress: (progress: SearchProgress) => void;
}

export interface PatientDataOptions<T> {
  /** Reads the data for one patient (a core query). Rejects with a FhirError. */
  load: (source: FhirSource, patientId: string, options: PatientDataLoadOptions) => Promise<T>;
  /** Data given directly through a property: when defined, nothing is loaded. */
  direct?: () => T | undefined;
}

/** The states an element renders, in the words of the house style. */
export interface PatientDataRenderers<T> {
  /** Loading: a skeleton with `aria-busy`, and progress once pages arrive. */
  pending: (progress: SearchProgress | undefined) => TemplateResult | typeof nothing;
  /** Could not load: what failed and a Retry. Never an empty state. */
  error: (error: unknown) => TemplateResult | typeof nothing;
  /** Loaded (possibly empty: the element says which kind of empty). */
  complete: (value: T) => TemplateResult | typeof nothing;
  /** No source or no patient in context. */
  noPatient: () => TemplateResult | typeof nothing;
}

/**
 * Loads one patient's data for an element: the source and patient come from the host
 * (context or properties), the load is a core query given an AbortSignal, a newer load
 * aborts an older one, and data given directly through a property skips loading. Built
 * on `@lit/task`, so a stale response never overwrites a newer one.
 */
export class PatientDataController<T> implements ReactiveController {
  /** Progress of the running load (pages, resources loaded, total when known). */
  progress?: SearchProgress;

  /**
   * Where the shown data came from when a caching source answered: the oldest `asOf` of the
   * load's answers, and `offline` once a background refresh failed. Undefined when uncached.
   */
  freshness?: CacheProvenance;

  private readonly host: PatientDataHost;
  private readonly options: PatientDataOptions<T>;
  private readonly task: Task<readonly [FhirSource | undefined, string | undefined, boolean], T | undefined>;
  /** The source whose cache events this controller listens to. */
  private watched?: FhirSource;
  /** Resource types the last load read, to ignore cache updates that do not concern it. */
  private readTypes = new Set<string>();
  /** The last value shown, kept on screen while a cache update reloads (no flicker). */
  private shown?: T;
  /** Whose data `shown` is: it is only ever shown again for the same source and patient. */
  private shownFor?: { readonly source: FhirSource; readonly patientId: string };
  private refreshing = false;

  constructor(host: PatientDataHost, options: PatientDataOptions<T>) {
    this.host = host;
    this.options = options;
    host.addController(this);
    this.task = new Task(host, {
      task: async ([source, patientId, direct], { signal }) => {
        if (!this.isShownFor(source, patientId)) this.forgetShown();
        if (direct || !source || !patientId) return initialState;
        this.progress = undefined;
        const types = new Set<string>();
        const seen: CacheProvenance[] = [];
        let value: T;
        try {
          value = await options.load(noteProvenance(source, types, seen), patientId, {
            signal,
            onProgress: (progress) => {
              if (signal.aborted) return;
              this.progress = progress;
              host.requestUpdate();
            },
          });
        } catch (error) {
          // A background reload (after a cache update) that fails keeps what is on screen:
          // cached data is never replaced by an error state; the note says it is offline.
          if (!signal.aborted && this.refreshing && this.shown !== undefined && this.isShownFor(source, patientId)) {
            this.refreshing = false;
            const expired = (error as { kind?: unknown } | undefined)?.kind === 'unauthorized';
            if (this.freshness) this.freshness = { ...this.freshness, state: expired ? 'expired' : 'offline' };
            return this.shown;
          }
          this.refreshing = false;
          throw error;
        }
        this.readTypes = types;
        this.freshness = oldest(seen);
        this.shown = value;
        this.shownFor = { source, patientId };
        this.refreshing = false;
        return value;
      },
      args: () => [host.source, this.patientId, options.direct?.() !== undefined] as const,
    });
  }

  hostConnected(): void {
    this.watch(this.host.source);
  }

  hostUpdate(): void {
    if (this.host.source !== this.watched) this.watch(this.host.source);
  }

  hostDisconnected(): void {
    this.watch(undefined);
  }

  /**
   * Stale-while-revalidate: a caching source (`createCachedSource`) fires `update` when a
   * background refresh stored different data, and `status` when the server became
   * unreachable or reachable again. The load re-runs and gets the new data from the cache at
   * once, while the old data stays on screen.
   */
  private watch(source: FhirSource | undefined): void {
    const target = (source: FhirSource | undefined) =>
      source && typeof (source as Partial<EventTarget>).addEventListener === 'function' ? (source as unknown as EventTarget) : undefined;
    target(this.watched)?.removeEventListener('update', this.handleCacheUpdate);
    target(this.watched)?.removeEventListener('status', this.handleCacheStatus);
    this.watched = source;
    target(source)?.addEventListener('update', this.handleCacheUpdate);
    target(source)?.addEventListener('status', this.handleCacheStatus);
  }

  private readonly handleCacheUpdate = (event: Event): void => {
    const type = (event as Event & { resourceType?: string }).resourceType;
    if (this.options.direct?.() !== undefined) return;
    if (type && this.readTypes.size > 0 && !this.readTypes.has(type)) return;
    this.refreshing = this.shown !== undefined && this.isShownFor(this.host.source, this.patientId);
    void this.task.run();
  };

  private isShownFor(source: FhirSource | undefined, patientId: string | undefined): boolean {
    return this.shownFor !== undefined && this.shownFor.source === source && this.shownFor.patientId === patientId;
  }

  /** Another source or patient: what was shown belongs to someone else and is never shown again. */
  private forgetShown(): void {
    this.shown = undefined;
    this.shownFor = undefined;
    this.refreshing = false;
    this.freshness = undefined;
  }

  private readonly handleCacheStatus = (event: Event): void => {
    const status = (event as Event & { status?: string }).status;
    if (!this.freshness) return;
    if (status === 'offline') this.freshness = { ...this.freshness, state: 'offline' };
    else if (status === 'unauthorized') this.freshness = { ...this.freshness, state: 'expired' };
    else if (status === 'online' && (this.freshness.state === 'offline' || this.freshness.state === 'expired')) this.freshness = { ...this.freshness, state: 'fresh' };
    this.host.requestUpdate();
  };

  /** The patient whose data is shown: `patient-id`, else the patient in context. */
  get patientId(): string | undefined {
    return this.host.patientId || this.host.source?.patientId || undefined;
  }

  /** True while a load runs. */
  get loading(): boolean {
    return this.task.status === TaskStatus.PENDING;
  }

  /** The loaded (or directly given) value, when there is one. */
  get value(): T | undefined {
    return this.options.direct?.() ?? this.task.value;
  }

  /** Loads again (the Retry button, or to pick up changes). */
  reload(): Promise<void> {
    return this.task.run();
  }

  render(renderers: PatientDataRenderers<T>): TemplateResult | typeof nothing {
    const direct = this.options.direct?.();
    if (direct !== undefined) return renderers.complete(direct);
    if (!this.host.source && this.host.contextStatus === 'launching') return renderers.pending(undefined);
    if (!this.host.source && this.host.contextStatus === 'error') return nothing;
    if (!this.host.source || !this.patientId) return renderers.noPatient();
    return (
      this.task.render({
        initial: () => renderers.pending(undefined),
        // A reload after a cache update keeps the old data on screen until the new arrives.
        pending: () =>
          this.refreshing && this.shown !== undefined && this.isShownFor(this.host.source, this.patientId)
            ? this.renderComplete(renderers, this.shown)
            : renderers.pending(this.progress),
        complete: (value) => (value === undefined ? renderers.pending(undefined) : this.renderComplete(renderers, value)),
        error: (error) => renderers.error(error),
      }) ?? nothing
    );
  }

  private renderComplete(renderers: PatientDataRenderers<T>, value: T): TemplateResult | typeof nothing {
    const note = renderFreshness(this.freshness);
    return note === nothing ? renderers.complete(value) : html`${renderers.complete(value)}${note}`;
  }
}

/**
 * A view of `source` that notes the resource types read and the cache provenance of each
 * answer (`SearchResult.cache`, `cacheProvenance(resource)`), for the freshness note.
 */
function noteProvenance(source: FhirSource, types: Set<string>, seen: CacheProvenance[]): FhirSource {
  const note = (type: string, provenance: CacheProvenance | undefined) => {
    types.add(type);
    if (provenance) seen.push(provenance);
  };
  return {
    get server() {
      return source.server;
    },
    get patientId() {
      return source.patientId;
    },
    get launchContext() {
      return source.launchContext;
    },
    get userKey() {
      return source.userKey;
    },
    async read(resourceType, id, options) {
      const resource = await source.read(resourceType, id, options);
      note(resourceType, cacheProvenance(resource));
      return resource;
    },
    async search(resourceType, params, options) {
      const result = await source.search(resourceType, params, options);
      note(resourceType, result.cache);
      return result;
    },
  } as FhirSource;
}

/** The least fresh of several answers: the oldest `asOf`, and `offline` if any was. */
function oldest(seen: readonly CacheProvenance[]): CacheProvenance | undefined {
  if (seen.length === 0) return undefined;
  const asOf = seen.map((provenance) => provenance.asOf).sort()[0]!;
  const state = seen.some((p) => p.state === 'expired')
    ? 'expired'
    : seen.some((p) => p.state === 'offline')
      ? 'offline'
      : seen.some((p) => p.state === 'revalidating')
        ? 'revalidating'
        : 'fresh';
  return { asOf, state };
}
