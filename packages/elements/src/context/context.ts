import { provide } from '@lit/context';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { createCachedSource, loadSmartStyle, OpenServerSource, type CachedSource, type CachePolicy, type FhirSource } from '@ehr-elements/core';
import { tokens } from '../styles/tokens.styles.js';
import { styles } from './context.styles.js';
import { ContextErrorEvent, ContextReadyEvent } from './events.js';
import { contextStatusContext, sourceContext, type ContextStatus } from './source-context.js';

/**
 * Provides a FHIR source to every ehr-* element inside it. Three ways to configure it,
 * first match wins:
 *
 * 1. `.source`: any object implementing `FhirSource` (a host app's own, a `BundleSource`).
 * 2. `smart`: completes a SMART App Launch on the app's redirect page and provides its
 *    source. The SMART module (and fhirclient) is loaded only then.
 * 3. `server` + `patient`: an open FHIR server, or one whose bearer token the page sets as
 *    the `.token` property (never an attribute: a token must not sit in the DOM).
 *
 * Renders nothing of its own but its children, except a message when the source cannot
 * be set up.
 *
 * Sources it builds itself (`smart`, `server`) are cached in IndexedDB, encrypted and
 * partitioned by server, user and patient (see `createCachedSource` in core): a second
 * view renders at once and a dropped network keeps what was seen. `no-cache` turns that
 * off; `user` names the portal's signed-in user (SMART launches use `fhirUser`); call
 * `logout()` when the user signs out. A `.source` is provided as given: wrap it with
 * `createCachedSource` to cache it.
 *
 * When a SMART launch names `smart_style_url`, the EHR's colours, corner radius and font
 * are applied to the elements inside as `--ehr-*` tokens (`no-smart-style` opts out).
 *
 * @tag ehr-context
 * @summary Provides the FHIR source to the elements inside it.
 *
 * @slot - The elements that read from the source.
 *
 * @fires ehr-context-ready - {ContextReadyEvent} A source is now provided (`event.source`).
 * @fires ehr-context-error - {ContextErrorEvent} No source could be set up: the SMART launch failed or `server` is unusable (`event.error`).
 *
 * @csspart error - The message shown when no source could be set up.
 *
 * @cssprop --ehr-context-error-color - Text and border colour of that message. Default: `--ehr-color-danger`.
 * @cssprop --ehr-context-error-background - Its background. Default: `--ehr-color-danger-surface`.
 */
export class ContextElement extends LitElement {
  static override styles = [tokens, styles];

  /** A FhirSource to provide as is. Takes precedence over `smart` and `server`. */
  @property({ attribute: false }) source?: FhirSource;

  /** Base URL of a FHIR R4 server to read from without a SMART launch. */
  @property() server?: string;

  /** The logical id of the patient in context, with `server`. */
  @property() patient?: string;

  /**
   * Bearer token for `server`, sent only to that server. A property only, never an
   * attribute. It belongs to the server it was given for: when `server` changes without a
   * new token in the same update, the token is dropped (a changed address must never
   * receive the old server's token).
   */
  @property({ attribute: false }) token?: string;

  /** Complete a SMART App Launch on this page and provide the resulting source. */
  @property({ type: Boolean, reflect: true }) smart = false;

  /** Do not cache what the `smart` or `server` source reads (nothing is written to IndexedDB). */
  @property({ type: Boolean, attribute: 'no-cache' }) noCache = false;

  /** The signed-in user of a portal, to partition the cache (SMART launches use `fhirUser`). */
  @property() user?: string;

  /** How the cache answers: `cache-first-revalidate` (default), `network-first` or `no-store`. */
  @property({ attribute: 'cache-policy' }) cachePolicy?: CachePolicy;

  /** Do not apply the EHR's `smart_style_url` styling to the elements inside. */
  @property({ type: Boolean, attribute: 'no-smart-style' }) noSmartStyle = false;

  /** Where the source stands: `idle`, `launching`, `ready` or `error`. Reflected; set by the element. */
  @property({ reflect: true }) status: ContextStatus = 'idle';

  @provide({ context: sourceContext })
  @state()
  private provided?: FhirSource;

  @provide({ context: contextStatusContext })
  @state()
  private providedStatus: ContextStatus = 'idle';

  @state() private failure?: { readonly title: string; readonly error: unknown };

  /** The one SMART launch of this element: an authorization code can be exchanged only once. */
  private smartLaunch?: Promise<void>;
  private smartOutcome?: { readonly source: FhirSource } | { readonly error: unknown };
  private announced?: FhirSource;
  /** The cache around the source this element built, if any. */
  private cached?: CachedSource;
  private cachedFrom?: FhirSource;
  private cachedConfig?: string;

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previousServer = changed.get('server') as string | undefined;
    if (changed.has('server') && previousServer !== undefined && !changed.has('token') && this.token !== undefined) {
      console.warn('ehr-elements: <ehr-context> got a new server address; the token given for the previous one was dropped.');
      this.token = undefined;
    }
    if (
      changed.has('source') ||
      changed.has('server') ||
      changed.has('patient') ||
      changed.has('token') ||
      changed.has('smart') ||
      changed.has('noCache') ||
      changed.has('user') ||
      changed.has('cachePolicy') ||
      changed.has('noSmartStyle')
    ) {
      this.configure();
    }
  }

  protected override updated(): void {
    if (this.provided && this.provided !== this.announced) {
      this.announced = this.provided;
      this.dispatchEvent(new ContextReadyEvent(this.provided));
    }
  }

  /**
   * Completes the SMART launch and returns its source. Loads `@ehr-elements/core/smart`
   * (and with it fhirclient) on first use only. Subclasses may override it, e.g. to pass
   * SmartSource options.
   */
  protected async completeSmartLaunch(): Promise<FhirSource> {
    const { completeSmartLaunch } = await import('@ehr-elements/core/smart');
    return completeSmartLaunch();
  }

  /**
   * Signs the user out of this record: destroys the cache partition (its key and data, so
   * nothing left on the device can be decrypted; other tabs stop using it), ends a SMART
   * session (tokens revoked at the server's `revocation_endpoint` when it has one, and
   * removed from sessionStorage), and stops providing the source. Call it from the page's
   * own sign-out.
   */
  async logout(): Promise<void> {
    const cached = this.cached;
    const given = this.source as (FhirSource & { destroyPartition?: () => Promise<void> }) | undefined;
    const outcome = this.smartOutcome;
    const smart = (outcome && 'source' in outcome ? outcome.source : undefined) as (FhirSource & { signOut?: () => Promise<void> }) | undefined;
    this.cached = undefined;
    this.provided = undefined;
    this.failure = undefined;
    this.smartOutcome = undefined;
    this.setStatus('idle');
    // The cache partition (this element's, or a cached `.source` the page gave), then the
    // SMART session: tokens revoked where the server allows it, and forgotten here, so a
    // reload does not sign the user back in.
    await Promise.all([
      cached?.destroyPartition(),
      given !== cached && typeof given?.destroyPartition === 'function' ? given.destroyPartition() : undefined,
      typeof smart?.signOut === 'function' ? smart.signOut() : undefined,
    ]);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the DOM (disconnected, then connected again): the cache closed on the way
    // out; open a new one around the same source.
    if (this.hasUpdated && !this.source && !this.noCache && !this.cached && (this.server || this.smart)) this.configure();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cached?.close();
    this.cached = undefined;
  }

  /** Wraps a source this element built itself in the encrypted cache, unless `no-cache`. */
  private withCache(source: FhirSource): FhirSource {
    if (this.noCache) return source;
    this.cached?.close();
    this.cached = createCachedSource(source, { userKey: this.user || undefined, policy: this.cachePolicy });
    return this.cached;
  }

  private configure(): void {
    if (!this.source && !this.smart && !this.server) {
      this.cached?.close();
      this.cached = undefined;
    }
    if (this.source) {
      this.provide(this.source);
    } else if (this.smart) {
      if (this.smartLaunch) this.applySmartOutcome();
      else this.smartLaunch = this.launch();
    } else if (this.server) {
      try {
        this.provide(
          this.withCache(new OpenServerSource({ baseUrl: this.server, patientId: this.patient || undefined, token: this.token })),
        );
      } catch (error) {
        this.fail('The FHIR server address could not be used.', error);
      }
    } else {
      this.provided = undefined;
      this.failure = undefined;
      this.setStatus('idle');
    }
  }

  private async launch(): Promise<void> {
    this.provided = undefined;
    this.failure = undefined;
    this.setStatus('launching');
    try {
      this.smartOutcome = { source: await this.completeSmartLaunch() };
    } catch (error) {
      this.smartOutcome = { error };
    }
    // A `.source` set meanwhile, or `smart` removed, has taken over: the outcome waits until `smart` applies again.
    if (this.smart && !this.source) this.applySmartOutcome();
  }

  private applySmartOutcome(): void {
    const outcome = this.smartOutcome;
    if (!outcome) {
      this.provided = undefined;
      this.setStatus('launching');
    } else if ('source' in outcome) this.provide(this.cachedFor(outcome.source));
    else this.fail('The SMART launch could not complete.', outcome.error);
  }

  /** The launched SMART source, cached once per configuration (re-renders must not open a second cache). */
  private cachedFor(source: FhirSource): FhirSource {
    const config = `${this.noCache}|${this.user ?? ''}|${this.cachePolicy ?? ''}`;
    if (this.cached && this.cachedFrom === source && this.cachedConfig === config) return this.cached;
    const wrapped = this.withCache(source);
    if (this.noCache) {
      this.cached?.close();
      this.cached = undefined;
    }
    this.cachedFrom = source;
    this.cachedConfig = config;
    return wrapped;
  }

  private provide(source: FhirSource): void {
    this.provided = source;
    this.failure = undefined;
    this.setStatus('ready');
    void this.applySmartStyle(source);
  }

  /** The `--ehr-*` properties this element set from a SMART style document. */
  private styled: string[] = [];

  /**
   * SMART App Launch 2.2 "Styling": when the launch names `smart_style_url`, the elements
   * take the EHR's colours, radius and font, set as `--ehr-*` tokens on this element (they
   * inherit to everything inside). Values that are not plainly a colour, length or font
   * list are ignored. `no-smart-style` opts out.
   */
  private async applySmartStyle(source: FhirSource): Promise<void> {
    for (const name of this.styled) this.style.removeProperty(name);
    this.styled = [];
    const url = source.launchContext?.smartStyleUrl;
    if (!url || this.noSmartStyle) return;
    try {
      const tokens = await loadSmartStyle(url);
      if (this.provided !== source || this.noSmartStyle) return;
      for (const [name, value] of Object.entries(tokens)) this.style.setProperty(name, value);
      this.styled = Object.keys(tokens);
    } catch (error) {
      // Styling is a nicety: the record shows in the default look.
      console.warn('ehr-context: the SMART style could not be applied.', error);
    }
  }

  private fail(title: string, error: unknown): void {
    this.provided = undefined;
    this.failure = { title, error };
    this.setStatus('error');
    this.dispatchEvent(new ContextErrorEvent(error));
  }

  private setStatus(status: ContextStatus): void {
    this.status = status;
    this.providedStatus = status;
  }

  protected override render() {
    const failure = this.status === 'error' ? this.failure : undefined;
    return html`${failure
        ? html`<div part="error" role="alert">
            <span class="title">${failure.title}</span>
            ${reason(failure.error) ? html` <span>${reason(failure.error)}</span>` : nothing}
          </div>`
        : nothing}<slot></slot>`;
  }
}

/** The human part of a failure: an Error's message (FhirErrors carry readable ones), or a thrown string. */
function reason(error: unknown): string | undefined {
  if (error instanceof Error) return error.message || undefined;
  return typeof error === 'string' && error ? error : undefined;
}
