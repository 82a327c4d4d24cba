import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { Resource } from '@medplum/fhirtypes';
import { html } from 'lit';
import { BundleSource, FhirError, OpenServerSource, timelineSearches, type FhirSource, type TimelineGrouping } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import type { TimelineFilterState } from '@ehr-elements/elements';
import { generatePatientRecord } from '../packages/sandbox/src/generator/index.js';

// Generated records (packages/sandbox/src/generator): deterministic, with every data quirk
// the generator knows (partial dates, outside records, entered-in-error, abnormal results).

interface TimelineArgs {
  groupBy: TimelineGrouping;
  headingLevel: number;
  observations: 'notable' | 'all' | 'none';
  noFilters: boolean;
  /** Simulated server latency per request, in milliseconds. */
  latency: number;
}

const records = new Map<string, Resource[]>();

/** A generated record, made once per story session. */
function recordOf(profile: string, targetResources?: number): Resource[] {
  const key = `${profile}:${targetResources ?? ''}`;
  let resources = records.get(key);
  if (!resources) {
    resources = generatePatientRecord({ seed: 1, profile, targetResources }).resources;
    records.set(key, resources);
  }
  return resources;
}

const adult = () => recordOf('complex');
const patientIdOf = (resources: Resource[]) => resources.find((resource) => resource.resourceType === 'Patient')!.id!;

function sourceFor(resources: Resource[], args: TimelineArgs, failures?: Partial<Record<string, FhirError>>): FhirSource {
  return new BundleSource({ resources, patientId: patientIdOf(resources), latency: args.latency, label: 'Story record', ...(failures ? { failures } : {}) });
}

/**
 * A FHIR server behind a fake fetch that pages like a real one (`Bundle.total`, `next`
 * links) and takes `latency` ms per page: the pending state with "1,200 of 3,400 loaded".
 */
function slowPagedSource(resources: Resource[], pageSize: number, latency: number): FhirSource {
  const store = new BundleSource({ resources, patientId: patientIdOf(resources) });
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    await new Promise((resolve) => setTimeout(resolve, latency));
    if (init?.signal?.aborted) throw new DOMException('Aborted', 'AbortError');
    const params = new URLSearchParams(url.search);
    const offset = Number(params.get('_offset') ?? 0);
    params.delete('_offset');
    params.delete('_count');
    const result = await store.search(url.pathname.split('/').pop()!, params);
    const next = new URL(url);
    next.searchParams.set('_offset', String(offset + pageSize));
    const body = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: result.total,
      link: offset + pageSize < result.resources.length ? [{ relation: 'next', url: next.href }] : [],
      entry: [
        ...result.resources.slice(offset, offset + pageSize).map((resource) => ({ resource, search: { mode: 'match' } })),
        ...(offset === 0 ? result.included.map((resource) => ({ resource, search: { mode: 'include' } })) : []),
      ],
    };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/fhir+json' } });
  };
  return new OpenServerSource({ baseUrl: 'https://slow.example/fhir', label: 'A slow server', patientId: patientIdOf(resources), fetch: fetchImpl as typeof fetch });
}

function timeline(source: FhirSource, args: TimelineArgs, filter: TimelineFilterState = {}) {
  return html`<ehr-context .source=${source}>
    <ehr-timeline
      group-by=${args.groupBy}
      heading-level=${args.headingLevel}
      observations=${args.observations}
      ?no-filters=${args.noFilters}
      .filter=${filter}
      @ehr-timeline-select=${(event: Event & { resource?: Resource }) => console.info('ehr-timeline-select', event.resource)}
    ></ehr-timeline>
  </ehr-context>`;
}

const meta: Meta<TimelineArgs> = {
  title: 'Elements/Timeline',
  component: 'ehr-timeline',
  tags: ['autodocs'],
  args: { groupBy: 'date', headingLevel: 2, observations: 'notable', noFilters: false, latency: 300 },
  argTypes: {
    groupBy: { name: 'group-by', control: 'inline-radio', options: ['date', 'encounter', 'none'] },
    headingLevel: { name: 'heading-level', control: { type: 'number', min: 1, max: 6 } },
    observations: { control: 'inline-radio', options: ['notable', 'all', 'none'] },
    noFilters: { name: 'no-filters' },
    latency: { control: { type: 'range', min: 0, max: 3000, step: 100 } },
  },
  render: (args) => timeline(sourceFor(adult(), args), args),
  parameters: {
    docs: {
      description: {
        component:
          'The whole record as one stream of events, newest first. Put it inside `<ehr-context>`: it searches every type ' +
          'in parallel (all pages), or give FHIR resources directly as the `.resources` property. Select an event ' +
          '(click, Enter or Space) to receive `ehr-timeline-select` with its resource.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<TimelineArgs>;

/** A complex adult's record by month: encounters, diagnoses and their resolution, procedures, vaccines, prescriptions, reports, documents, allergies, abnormal results. */
export const Populated: Story = {};

/** `group-by="encounter"`: each visit heads the results, orders and notes written during it; the rest below. */
export const GroupedByEncounter: Story = { args: { groupBy: 'encounter' } };

/** Filters set by the page (`.filter`): encounters and procedures since 2015, matching "visit". The controls show them. */
export const Filtered: Story = {
  render: (args) => timeline(sourceFor(adult(), args), args, { kinds: ['encounter', 'procedure'], from: '2015', text: 'visit' }),
};

/** A slow server paging 25 resources at a time: the skeleton with "1,200 of 3,400 loaded" climbing. */
export const PendingWithProgress: Story = {
  args: { latency: 700 },
  render: (args) => timeline(slowPagedSource(adult(), 25, args.latency), args),
};

/** Two searches fail (a 500 and a 403): what loaded is shown, each failure is named with its own Retry. */
export const PartialFailure: Story = {
  render: (args) =>
    timeline(
      sourceFor(adult(), args, {
        Procedure: new FhirError('server', 'The FHIR server had an internal error (HTTP 500).', { status: 500 }),
        DocumentReference: new FhirError('forbidden', 'This app was not granted access to documents (HTTP 403).', { status: 403 }),
      }),
      args,
    ),
};

/** Nothing could be loaded: one alert with Retry; never "No events recorded". */
export const ErrorState: Story = {
  name: 'Error',
  render: (args) => {
    const offline = new FhirError('network', 'The FHIR server could not be reached. Check the connection and try again.');
    return timeline(sourceFor(adult(), args, Object.fromEntries(timelineSearches('any').map((search) => [search.resourceType, offline]))), args);
  },
};

/** A record with no events at all: "No events recorded". */
export const Empty: Story = {
  render: (args) => timeline(sourceFor([{ resourceType: 'Patient', id: 'empty-record' } as Resource], args), args),
};

/** Filters that match nothing: "No events match the filters" with a Clear filters button. */
export const NoMatches: Story = {
  render: (args) => timeline(sourceFor(adult(), args), args, { text: 'no such event anywhere' }),
};

/**
 * 20,000 events (a 20,000-resource generated record, every Observation an event), given as
 * `.resources`: scrolling stays smooth and the DOM holds a few dozen rows.
 */
export const Large: Story = {
  name: 'Large (20,000 events)',
  args: { observations: 'all' },
  render: (args) => html`<ehr-timeline
    group-by=${args.groupBy}
    heading-level=${args.headingLevel}
    observations=${args.observations}
    ?no-filters=${args.noFilters}
    .resources=${recordOf('bulk', 20_000)}
  ></ehr-timeline>`,
};

/** Dark colours (`--ehr-color-scheme: dark`), and the kind colours themed through `--ehr-timeline-*-color`. */
export const DarkAndThemed: Story = {
  render: (args) => html`<div style="--ehr-color-scheme: dark; background: #0d1117; padding: 1rem; border-radius: 0.5rem">
      ${timeline(sourceFor(adult(), args), args)}
    </div>
    <div style="margin-top: 1rem; --ehr-timeline-encounter-color: #6f42c1; --ehr-timeline-height: 20rem; --ehr-font-family: Georgia, serif">
      ${timeline(sourceFor(adult(), args), args)}
    </div>`,
};
