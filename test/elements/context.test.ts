import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { Patient } from '@medplum/fhirtypes';
import '../../packages/elements/src/define.js';
import { defineOnce } from '../../packages/elements/src/define.js';
import { ContextElement, ContextErrorEvent, ContextReadyEvent } from '../../packages/elements/src/index.js';
import type { FhirSource } from '../../packages/core/src/source/fhir-source.js';
import { FhirError } from '../../packages/core/src/source/fhir-source.js';
import { OpenServerSource } from '../../packages/core/src/source/open-server-source.js';
import { deferred, FakeSource } from './support/fake-source.js';

const patient: Patient = { resourceType: 'Patient', id: 'p1', name: [{ given: ['Amy'], family: 'Shaw' }], birthDate: '1973-05-03' };

const bannerText = (context: Element) => (context.querySelector('ehr-patient-banner')!.shadowRoot!.textContent ?? '').replace(/\s+/g, ' ').trim();

/** A SMART-mode context whose launch the test settles (the real one needs an authorization server redirect). */
let launch = deferred<FhirSource>();
class TestSmartContextElement extends ContextElement {
  launches = 0;
  protected override completeSmartLaunch(): Promise<FhirSource> {
    this.launches += 1;
    return launch.promise;
  }
}
defineOnce('test-smart-context', TestSmartContextElement);

describe('<ehr-context>: .source', () => {
  it('provides the source to a nested banner and announces it', async () => {
    const source = new FakeSource({ patients: [patient] });
    const context = await fixture<ContextElement>(html`<ehr-context><ehr-patient-banner></ehr-patient-banner></ehr-context>`);
    const ready = oneEvent(context, 'ehr-context-ready') as Promise<ContextReadyEvent>;
    context.source = source;
    const event = await ready;
    expect(event).to.be.instanceOf(ContextReadyEvent);
    expect(event.source).to.equal(source);
    expect(event.bubbles && event.composed).to.equal(true);
    expect(context.getAttribute('status')).to.equal('ready');
    await waitUntil(() => bannerText(context).includes('Amy Shaw'), 'the banner did not show the patient');
    expect(source.reads.map(({ id }) => id)).to.deep.equal(['p1']);
  });

  it('is idle with nothing configured, and lays out as if it were not there', async () => {
    const context = await fixture(html`<ehr-context><ehr-patient-banner></ehr-patient-banner></ehr-context>`);
    expect(context.getAttribute('status')).to.equal('idle');
    expect(getComputedStyle(context).display).to.equal('contents');
    expect(bannerText(context)).to.equal('No patient selected');
  });

  it('gives nested banners a new source when it changes', async () => {
    const first = new FakeSource({ patients: [patient] });
    const second = new FakeSource({ patients: [{ ...patient, id: 'p2', name: [{ text: 'Second Patient' }] }] });
    const context = await fixture<ContextElement>(html`<ehr-context .source=${first}><ehr-patient-banner></ehr-patient-banner></ehr-context>`);
    await waitUntil(() => bannerText(context).includes('Amy Shaw'));
    context.source = second;
    await waitUntil(() => bannerText(context).includes('Second Patient'), 'the banner kept the old source');
  });
});

describe('<ehr-context>: server and patient attributes (window.fetch stubbed)', () => {
  const realFetch = window.fetch;
  let requests: { url: string; headers: Headers }[] = [];

  beforeEach(() => {
    requests = [];
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      requests.push({ url, headers: new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)) });
      return new Response(JSON.stringify(patient), { status: 200, headers: { 'Content-Type': 'application/fhir+json' } });
    };
  });

  afterEach(() => {
    window.fetch = realFetch;
  });

  it('reads Patient/<id> from the server, without an Authorization header when there is no token', async () => {
    const context = await fixture(html`<ehr-context no-cache server="https://fhir.example.org/r4/" patient="p1">
      <ehr-patient-banner no-allergies></ehr-patient-banner>
    </ehr-context>`);
    await waitUntil(() => bannerText(context).includes('Amy Shaw'), 'the banner did not show the patient');
    expect(requests.map(({ url }) => url)).to.deep.equal(['https://fhir.example.org/r4/Patient/p1']);
    expect(requests[0]!.headers.has('authorization')).to.equal(false);
    expect(context.getAttribute('status')).to.equal('ready');
  });

  it('provides an OpenServerSource for the server and patient', async () => {
    const events: ContextReadyEvent[] = [];
    // Listening from the template: the event fires on the first update, before fixture() returns.
    await fixture(html`<ehr-context
      no-cache
      server="https://fhir.example.org/r4"
      patient="p1"
      @ehr-context-ready=${(event: ContextReadyEvent) => events.push(event)}
    ></ehr-context>`);
    expect(events).to.have.length(1);
    const { source } = events[0]!;
    expect(source).to.be.instanceOf(OpenServerSource);
    expect(source.patientId).to.equal('p1');
    expect(source.server.baseUrl).to.equal('https://fhir.example.org/r4');
  });

  it('wraps the server source in the encrypted cache unless no-cache is set', async () => {
    const events: ContextReadyEvent[] = [];
    const context = await fixture<ContextElement>(html`<ehr-context
      server="https://fhir.example.org/r4"
      patient="p1"
      user="portal-user-1"
      @ehr-context-ready=${(event: ContextReadyEvent) => events.push(event)}
    ></ehr-context>`);
    const { source } = events[0]!;
    expect(source instanceof OpenServerSource, 'not the bare source').to.equal(false);
    expect('destroyPartition' in source, 'a cached source').to.equal(true);
    expect(source.patientId).to.equal('p1');
    expect(source.server.baseUrl).to.equal('https://fhir.example.org/r4');
    await context.logout();
    expect(context.getAttribute('status')).to.equal('idle');
  });

  it('keeps caching after being moved in the DOM', async () => {
    const events: ContextReadyEvent[] = [];
    const context = await fixture<ContextElement>(html`<ehr-context
      server="https://fhir.example.org/r4"
      patient="p1"
      @ehr-context-ready=${(event: ContextReadyEvent) => events.push(event)}
    ></ehr-context>`);
    const parent = context.parentElement!;
    context.remove();
    parent.append(context);
    await context.updateComplete;
    const latest = events[events.length - 1]!.source as FhirSource & { storage?: string };
    expect('destroyPartition' in latest, 'a cached source').to.equal(true);
    expect(latest.storage, 'an open cache, not a closed one').not.to.equal('off');
    await context.logout();
  });

  it('sends a token set as a property, and never puts it in the DOM', async () => {
    const context = await fixture<ContextElement>(html`<ehr-context
      no-cache
      server="https://fhir.example.org/r4"
      patient="p1"
      .token=${'secret-token-123'}
    ><ehr-patient-banner no-allergies></ehr-patient-banner></ehr-context>`);
    await waitUntil(() => bannerText(context).includes('Amy Shaw'));
    expect(requests[0]!.headers.get('authorization')).to.equal('Bearer secret-token-123');
    expect(context.outerHTML).not.to.contain('secret-token-123');
    expect(context.hasAttribute('token')).to.equal(false);
  });

  it('drops the token when the server address changes without a new one: the new server never gets the old token', async () => {
    const context = await fixture<ContextElement>(html`<ehr-context
      no-cache
      server="https://fhir.example.org/r4"
      patient="p1"
      .token=${'secret-token-123'}
    ><ehr-patient-banner no-allergies></ehr-patient-banner></ehr-context>`);
    await waitUntil(() => bannerText(context).includes('Amy Shaw'));
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args[0]);
    try {
      context.setAttribute('server', 'https://other.example.net/fhir');
      await waitUntil(() => requests.some((request) => request.url.startsWith('https://other.example.net/')), 'a request to the new server');
    } finally {
      console.warn = warn;
    }
    const toOther = requests.filter((request) => request.url.startsWith('https://other.example.net/'));
    expect(toOther.every((request) => request.headers.get('authorization') === null)).to.equal(true);
    expect(String(warnings[0])).to.contain('token');
  });

  it('follows a patient attribute set after the server', async () => {
    const context = await fixture(html`<ehr-context no-cache server="https://fhir.example.org/r4"><ehr-patient-banner no-allergies></ehr-patient-banner></ehr-context>`);
    expect(bannerText(context)).to.equal('No patient selected');
    context.setAttribute('patient', 'p1');
    await waitUntil(() => bannerText(context).includes('Amy Shaw'));
    expect(requests.map(({ url }) => url)).to.deep.equal(['https://fhir.example.org/r4/Patient/p1']);
  });

  it('explains an unusable server address and fires ehr-context-error', async () => {
    const events: ContextErrorEvent[] = [];
    const context = await fixture<ContextElement>(html`<ehr-context
      server="not a url"
      patient="p1"
      @ehr-context-error=${(event: ContextErrorEvent) => events.push(event)}
    ></ehr-context>`);
    expect(events).to.have.length(1);
    expect(events[0]).to.be.instanceOf(ContextErrorEvent);
    expect(context.getAttribute('status')).to.equal('error');
    expect(context.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('The FHIR server address could not be used.');
    expect(requests).to.have.length(0);
  });
});

describe('<ehr-context smart>', () => {
  beforeEach(() => {
    launch = deferred<FhirSource>();
  });

  it('shows a loading banner while launching, then provides the launched source', async () => {
    const source = new FakeSource({ patients: [patient] });
    const context = await fixture<TestSmartContextElement>(html`<test-smart-context smart no-cache><ehr-patient-banner></ehr-patient-banner></test-smart-context>`);
    expect(context.getAttribute('status')).to.equal('launching');
    expect(context.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    const banner = context.querySelector('ehr-patient-banner')!;
    await banner.updateComplete;
    expect(banner.shadowRoot!.querySelector('[aria-busy="true"]')).to.exist;

    const ready = oneEvent(context, 'ehr-context-ready') as Promise<ContextReadyEvent>;
    launch.resolve(source);
    expect((await ready).source).to.equal(source);
    expect(context.getAttribute('status')).to.equal('ready');
    await waitUntil(() => bannerText(context).includes('Amy Shaw'));
    expect(context.launches).to.equal(1);
  });

  it('logout() ends the launched SMART session (signOut) and stops providing the source', async () => {
    const source = Object.assign(new FakeSource({ patients: [patient] }), {
      signedOut: 0,
      async signOut() {
        this.signedOut += 1;
      },
    });
    const context = await fixture<TestSmartContextElement>(html`<test-smart-context smart no-cache><ehr-patient-banner></ehr-patient-banner></test-smart-context>`);
    const ready = oneEvent(context, 'ehr-context-ready');
    launch.resolve(source);
    await ready;
    await waitUntil(() => bannerText(context).includes('Amy Shaw'));
    await context.logout();
    expect(source.signedOut).to.equal(1);
    await context.querySelector('ehr-patient-banner')!.updateComplete;
    expect(bannerText(context)).not.to.contain('Amy Shaw');
  });

  it('says why the launch could not complete, in an alert, and fires ehr-context-error', async () => {
    const context = await fixture<TestSmartContextElement>(html`<test-smart-context smart no-cache><ehr-patient-banner></ehr-patient-banner></test-smart-context>`);
    const failed = oneEvent(context, 'ehr-context-error') as Promise<ContextErrorEvent>;
    const error = new FhirError('launch', 'The sign-in was not completed. Please launch the app again.');
    launch.reject(error);
    expect((await failed).error).to.equal(error);
    await context.updateComplete;
    expect(context.getAttribute('status')).to.equal('error');
    const alert = context.shadowRoot!.querySelector('[role="alert"]')!;
    expect(alert.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'The SMART launch could not complete. The sign-in was not completed. Please launch the app again.',
    );
    // The context explains the failure once; the banner does not add "No patient selected".
    expect(bannerText(context)).to.equal('');
    await expect(context).to.be.accessible();
  });

  it('launches once, however often it re-renders', async () => {
    const context = await fixture<TestSmartContextElement>(html`<test-smart-context smart no-cache></test-smart-context>`);
    context.patient = 'x';
    context.requestUpdate();
    await context.updateComplete;
    expect(context.launches).to.equal(1);
  });

  it('prefers a .source set by the page over the launch', async () => {
    const source = new FakeSource({ patients: [patient] });
    const context = await fixture<TestSmartContextElement>(html`<test-smart-context smart .source=${source}></test-smart-context>`);
    expect(context.getAttribute('status')).to.equal('ready');
    expect(context.launches).to.equal(0);
  });

  it('with the real SMART module and no launch in progress, shows that the launch could not complete', async () => {
    const context = await fixture<ContextElement>(html`<ehr-context smart></ehr-context>`);
    await waitUntil(() => context.getAttribute('status') === 'error', 'the launch did not fail', { timeout: 8000 });
    const alert = context.shadowRoot!.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.contain('The SMART launch could not complete.');
  });
});

describe('defineOnce', () => {
  it('skips a tag that is already defined instead of throwing', () => {
    class Other extends HTMLElement {}
    expect(() => defineOnce('ehr-context', Other)).not.to.throw();
    expect(customElements.get('ehr-context')).to.equal(ContextElement);
  });
});

describe('<ehr-context>: smart_style_url', () => {
  const style = { color_highlight: '#7a2e8a', color_background: '#fafafa', color_text: 'url(https://tracker.example/t)' };
  const styleUrl = () => URL.createObjectURL(new Blob([JSON.stringify(style)], { type: 'application/json' }));
  const styled = (launchContext: { smartStyleUrl: string }): FhirSource => new FakeSource({ patients: [patient], launchContext });

  it("applies the EHR's colours to the elements inside, and ignores values that are not colours", async () => {
    const context = await fixture<ContextElement>(html`<ehr-context .source=${styled({ smartStyleUrl: styleUrl() })}>
      <ehr-patient-banner no-allergies></ehr-patient-banner>
    </ehr-context>`);
    const banner = context.querySelector('ehr-patient-banner')!;
    await waitUntil(() => getComputedStyle(banner).getPropertyValue('--ehr-color-accent').trim() === '#7a2e8a', 'the EHR accent was not applied');
    expect(getComputedStyle(banner).getPropertyValue('--ehr-color-scheme').trim()).to.equal('light');
    expect(context.style.getPropertyValue('--ehr-color-text')).to.equal('');
  });

  it('leaves the default look with no-smart-style', async () => {
    const context = await fixture<ContextElement>(html`<ehr-context no-smart-style .source=${styled({ smartStyleUrl: styleUrl() })}>
      <ehr-patient-banner no-allergies></ehr-patient-banner>
    </ehr-context>`);
    await waitUntil(() => bannerText(context).includes('Amy Shaw'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(context.style.getPropertyValue('--ehr-color-accent')).to.equal('');
  });
});
