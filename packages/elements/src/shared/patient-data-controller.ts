import { initialState, Task, TaskStatus } from '@lit/task';
import { nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { FhirSource, SearchProgress } from '@ehr-elements/core';
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

  private readonly host: PatientDataHost;
  private readonly options: PatientDataOptions<T>;
  private readonly task: Task<readonly [FhirSource | undefined, string | undefined, boolean], T | undefined>;

  constructor(host: PatientDataHost, options: PatientDataOptions<T>) {
    this.host = host;
    this.options = options;
    host.addController(this);
    this.task = new Task(host, {
      task: async ([source, patientId, direct], { signal }) => {
        if (direct || !source || !patientId) return initialState;
        this.progress = undefined;
        return options.load(source, patientId, {
          signal,
          onProgress: (progress) => {
            if (signal.aborted) return;
            this.progress = progress;
            host.requestUpdate();
          },
        });
      },
      args: () => [host.source, this.patientId, options.direct?.() !== undefined] as const,
    });
  }

  hostConnected(): void {}

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
        pending: () => renderers.pending(this.progress),
        complete: (value) => (value === undefined ? renderers.pending(undefined) : renderers.complete(value)),
        error: (error) => renderers.error(error),
      }) ?? nothing
    );
  }
}
