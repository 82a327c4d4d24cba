import { consume } from '@lit/context';
import { initialState, Task, TaskStatus } from '@lit/task';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Patient, Resource } from '@medplum/fhirtypes';
import {
  isAboutAnotherPatient,
  loadAllergies,
  summarizeAllergies,
  toPatientView,
  type AllergyData,
  type AllergySummary,
  type FhirSource,
  type IdentifierView,
  type PatientView,
} from '@ehr-elements/core';
import { contextStatusContext, sourceContext, type ContextStatus } from '../context/source-context.js';
import { tokens, visuallyHidden } from '../styles/tokens.styles.js';
import { PatientBannerAllergiesEvent } from './events.js';
import { styles } from './patient-banner.styles.js';

/** `wide`: everything the record offers; `compact`: one line with name, age and sex, date of birth and MRN. */
export type PatientBannerLayout = 'wide' | 'compact';

// HL7 v2 administrative sex letters, the abbreviation clinicians read in a one-line banner.
const SEX_LETTERS = { male: 'M', female: 'F', other: 'O', unknown: 'U' } as const;

// The abbreviations clinicians write for the common negations; other scopes are spelled out.
const NO_KNOWN_ABBREVIATIONS: Readonly<Record<string, string>> = { all: 'NKA', medication: 'NKDA', food: 'NKFA' };

const WARNING_ICON = html`<svg class="alert-icon" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false">
  <path d="M12 2.5 1.5 21h21L12 2.5Zm0 5.2 6.9 11.8H5.1L12 7.7Zm-1 3.3v4.5h2V11h-2Zm0 5.8v2h2v-2h-2Z" />
</svg>`;

/** An `allergies-href` that is safe to put in a link: a fragment, a relative path or http(s). */
function safeHref(value: string | undefined): string | undefined {
  const href = value?.trim();
  if (!href) return undefined;
  if (href.startsWith('#') || href.startsWith('/') || href.startsWith('.') || href.startsWith('?')) return href;
  try {
    const url = new URL(href, document.baseURI);
    return url.protocol === 'https:' || url.protocol === 'http:' ? href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Who this record is about: name, age, sex, date of birth, MRN and, in the wide layout,
 * other identifiers, contact details and preferred language. Shows the patient in
 * context of the enclosing `<ehr-context>`, another patient (`patient-id`), or a Patient
 * resource given as the `.patient` property.
 *
 * Every state is rendered: loading (a skeleton, `aria-busy`), an error with a Retry
 * button, "Patient not found", "No patient selected", and the banner. When a SMART
 * launch says the EHR already shows a banner (`need_patient_banner: false`) it hides
 * itself, unless `always-visible` is set.
 *
 * Unless `no-allergies` is set, it also shows the allergy alert: "2 life-threatening
 * allergies · Penicillin" in the danger colour, with an icon; "NKA" / "NKDA" when no
 * allergies are known; "No allergies recorded"; "(list incomplete)" or "Allergy list
 * incomplete" when paging stopped early (never "NKA"); and, when the allergies could not be
 * loaded (or the server sent only another patient's), "Allergies could not be loaded" with a
 * Retry. Allergies load beside the patient, so they never delay the name. The alert is a
 * link to `allergies-href` (e.g. `#allergies`, the id of an `<ehr-allergy-list>`, which then
 * gets focus), else a button firing `ehr-patient-banner-allergies`. A life-threatening alert
 * (or a failure) is announced once, politely, through a hidden status region present from
 * the first render.
 *
 * Patient data is text only: names and values from the server are escaped by Lit; a
 * photo is shown only when it is inline image data or on the FHIR server's own origin.
 *
 * Colours follow `prefers-color-scheme` unless the page sets `--ehr-color-scheme` (`light` or
 * `dark`); see the global tokens in `styles/tokens.styles.ts`.
 *
 * @tag ehr-patient-banner
 * @summary The patient's identity at the top of a record.
 *
 * @fires ehr-patient-banner-allergies - {PatientBannerAllergiesEvent} The user activated the allergy alert (no `allergies-href`); `event.summary`.
 *
 * @csspart base - The banner's frame, in every state.
 * @csspart avatar - The photo, initials or silhouette.
 * @csspart name - The patient's name.
 * @csspart details - Age, sex and date of birth.
 * @csspart identifiers - The identifier list (MRN first).
 * @csspart contact - Phone, email, address and language (wide layout).
 * @csspart badge - Each status badge (deceased, inactive record).
 * @csspart allergies - The allergy alert (a link or a button, or text while loading).
 * @csspart retry-button - The Retry button of the error state, and of the allergies when they could not be loaded.
 * @csspart announcement - The visually hidden status region that announces a life-threatening allergy.
 *
 * @cssprop --ehr-patient-banner-background - Background. Default: `--ehr-color-surface`.
 * @cssprop --ehr-patient-banner-color - Text colour. Default: `--ehr-color-text`.
 * @cssprop --ehr-patient-banner-muted-color - Labels and secondary text. Default: `--ehr-color-text-muted`.
 * @cssprop --ehr-patient-banner-border - Border shorthand. Default: `1px solid` `--ehr-color-border`.
 * @cssprop --ehr-patient-banner-border-radius - Corner radius. Default: `--ehr-radius`.
 * @cssprop --ehr-patient-banner-accent - The leading stripe and the initials avatar. Default: `--ehr-color-accent`.
 * @cssprop --ehr-patient-banner-accent-contrast - Initials on the accent colour. Default: `--ehr-color-accent-contrast`.
 * @cssprop --ehr-patient-banner-avatar-size - Avatar diameter. Default: 3.5rem wide, 1.75rem compact.
 * @cssprop --ehr-patient-banner-font-family - Font. Default: `--ehr-font-family`.
 * @cssprop --ehr-patient-banner-font-size - Base font size. Default: 0.875rem.
 * @cssprop --ehr-patient-banner-name-font-size - Name size. Default: 1.25rem wide, 1rem compact.
 * @cssprop --ehr-patient-banner-padding - Inner spacing. Default: 0.75rem 1rem wide, 0.375rem 0.75rem compact.
 * @cssprop --ehr-patient-banner-badge-color - Deceased badge text and border. Default: `--ehr-color-danger`.
 * @cssprop --ehr-patient-banner-badge-background - Deceased badge background. Default: `--ehr-color-danger-surface`.
 * @cssprop --ehr-patient-banner-alert-color - Life-threatening allergy alert text and border. Default: `--ehr-color-danger`.
 * @cssprop --ehr-patient-banner-alert-background - Its background. Default: `--ehr-color-danger-surface`.
 * @cssprop --ehr-color-scheme - Global: `light dark` (default: follow `prefers-color-scheme`), `light` or `dark`.
 */
export class PatientBannerElement extends LitElement {
  static override styles = [tokens, visuallyHidden, styles];

  /** A Patient resource to show as is; nothing is read from the source. */
  @property({ attribute: false }) patient?: Patient;

  /** The id of a patient to show instead of the patient in context. */
  @property({ attribute: 'patient-id' }) patientId?: string;

  /** `wide` (default) or `compact` (one line: name, age and sex, date of birth, MRN). */
  @property({ reflect: true }) layout: PatientBannerLayout = 'wide';

  /** Show the banner even when the SMART launch says the EHR already shows one (`need_patient_banner: false`). */
  @property({ type: Boolean, attribute: 'always-visible' }) alwaysVisible = false;

  /** Leave out the allergy alert (and do not load allergies). */
  @property({ type: Boolean, attribute: 'no-allergies' }) noAllergies = false;

  /** Where the allergy alert links to, e.g. `#allergies`. Without it the alert is a button firing `ehr-patient-banner-allergies`. */
  @property({ attribute: 'allergies-href' }) allergiesHref?: string;

  /** AllergyIntolerance resources given directly (with `.patient`): nothing is loaded for the alert. */
  @property({ attribute: false }) allergies?: readonly Resource[];

  /** The FHIR source to read from; provided by the enclosing `<ehr-context>`, or set directly. */
  @consume({ context: sourceContext, subscribe: true })
  @property({ attribute: false })
  source?: FhirSource;

  @consume({ context: contextStatusContext, subscribe: true })
  @state()
  private contextStatus?: ContextStatus;

  /** The photo URL that failed to load: initials are shown instead. */
  @state() private failedPhoto?: string;

  private hiddenByLaunchContext = false;
  private allergyMemo?: { readonly input: unknown; readonly output: AllergySummary };

  private readonly patientTask = new Task(this, {
    task: async ([source, patientId, skip], { signal }) => {
      if (skip || !source || !patientId) return initialState;
      return source.read<Patient>('Patient', patientId, { signal });
    },
    args: () => [this.source, this.targetPatientId, this.patient != null || this.suppressed] as const,
  });

  // Its own task, started with the patient's: the name never waits for the allergies.
  private readonly allergyTask = new Task(this, {
    task: async ([source, patientId, skip], { signal }) => {
      if (skip || !source || !patientId) return initialState;
      return loadAllergies(source, patientId, { signal });
    },
    args: () => [this.source, this.allergyPatientId, this.noAllergies || this.suppressed || this.allergies != null] as const,
  });

  protected override willUpdate(): void {
    const suppressed = this.suppressed;
    if (suppressed !== this.hiddenByLaunchContext) {
      this.hiddenByLaunchContext = suppressed;
      this.hidden = suppressed;
    }
  }

  /** Reads the patient and the allergies again (after an error, or to pick up changes). */
  async reload(): Promise<void> {
    await Promise.all([this.patientTask.run(), this.allergyTask.run()]);
  }

  /** SMART App Launch 2.2 `need_patient_banner: false`: the EHR already shows who the patient is. */
  private get suppressed(): boolean {
    return !this.alwaysVisible && this.source?.launchContext?.needPatientBanner === false;
  }

  private get targetPatientId(): string | undefined {
    return this.patientId || this.source?.patientId || undefined;
  }

  /**
   * Whose allergies the alert loads: the patient shown. With a `.patient` given directly,
   * only when it is the patient the source would read: another server's patient with the
   * same id is another person, and their allergies must not be shown under this name.
   */
  private get allergyPatientId(): string | undefined {
    if (this.patient != null) return this.patient.id && this.patient.id === this.targetPatientId ? this.patient.id : undefined;
    return this.targetPatientId;
  }

  private summarizeAllergies(data: AllergyData | readonly Resource[]): AllergySummary {
    if (this.allergyMemo?.input === data) return this.allergyMemo.output;
    let output: AllergySummary;
    if (Array.isArray(data)) {
      // `.allergies` given beside `.patient`: records naming another patient are not this one's.
      const patientId = this.patient?.id;
      const own = patientId
        ? (data as readonly Resource[]).filter(
            (resource) => resource?.resourceType !== 'AllergyIntolerance' || !isAboutAnotherPatient(resource as { patient?: { reference?: unknown } }, patientId),
          )
        : (data as readonly Resource[]);
      output = summarizeAllergies(own, { locale: this.locale });
    } else {
      output = summarizeAllergies((data as AllergyData).allergies, { included: (data as AllergyData).included, locale: this.locale });
    }
    this.allergyMemo = { input: data, output };
    return output;
  }

  private get locale(): string | undefined {
    return this.closest('[lang]')?.getAttribute('lang') || undefined;
  }

  private handleRetry(): void {
    void this.reload();
  }

  private handleAllergyRetry(): void {
    void this.allergyTask.run();
  }

  /**
   * Where the allergies stand, for the alert and its announcement: `pending`, `failed` (the
   * load failed, or every record the server sent was another patient's), or the summary with
   * whether the load was complete. Undefined when there is nothing to say.
   */
  private allergyState():
    | { readonly kind: 'pending' }
    | { readonly kind: 'failed' }
    | { readonly kind: 'loaded'; readonly summary: AllergySummary; readonly complete: boolean }
    | undefined {
    if (this.noAllergies || this.suppressed) return undefined;
    if (this.allergies != null) return { kind: 'loaded', summary: this.summarizeAllergies(this.allergies), complete: true };
    if (this.allergyPatientId === undefined || !this.source) return undefined;
    if (this.allergyTask.status === TaskStatus.ERROR) return { kind: 'failed' };
    const data = this.allergyTask.status === TaskStatus.COMPLETE ? this.allergyTask.value : undefined;
    if (!data) return { kind: 'pending' };
    // A server that ignored `patient=` sent only someone else's records: what this patient
    // has is unknown, which must never read as "No allergies recorded".
    if (data.allergies.length === 0 && data.otherPatientCount > 0) return { kind: 'failed' };
    return { kind: 'loaded', summary: this.summarizeAllergies(data), complete: data.complete !== false };
  }

  private handleAllergiesClick(summary: AllergySummary | undefined): void {
    this.dispatchEvent(new PatientBannerAllergiesEvent(summary));
  }

  private handleAllergiesLinkClick(event: MouseEvent): void {
    // A link to an <ehr-allergy-list> on this page: the browser scrolls to it, and the list
    // takes keyboard focus so the next Tab continues from there.
    const href = (event.currentTarget as HTMLAnchorElement).getAttribute('href') ?? '';
    if (!href.startsWith('#') || href.length < 2) return;
    let id = href.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch {
      // keep it as written
    }
    const root = this.getRootNode() as Document | ShadowRoot;
    const target = root.getElementById?.(id) ?? document.getElementById(id);
    const focusList = (target as { focusList?: unknown } | null)?.focusList;
    if (typeof focusList === 'function') focusList.call(target);
  }

  private handlePhotoError(event: Event): void {
    // A photo that does not load (a server needing a token for Binary, a broken link) falls back to initials.
    this.failedPhoto = (event.target as HTMLImageElement).getAttribute('src') ?? undefined;
  }

  private renderPending(): TemplateResult {
    const compact = this.layout === 'compact';
    return html`<div part="base" class="base ${compact ? 'compact' : ''}" role="region" aria-label="Loading patient" aria-busy="true">
      <span class="bone avatar"></span>
      ${compact
        ? html`<span class="bone line"></span><span class="bone line short"></span>`
        : html`<span class="content">
            <span class="bone line title"></span>
            <span class="bone line"></span>
            <span class="bone line short"></span>
          </span>`}
    </div>`;
  }

  private renderMessage(title: string, detail?: string): TemplateResult {
    return html`<div part="base" class="base message">
      <p><span class="message-title">${title}</span>${detail ? html` <span>${detail}</span>` : nothing}</p>
    </div>`;
  }

  private renderError(error: unknown): TemplateResult {
    if (errorKind(error) === 'not-found') {
      const where = this.source?.server?.label;
      return html`<div part="base" class="base message" role="status">
        <p>
          <span class="message-title">Patient not found</span>
          <span>No patient with id “${this.targetPatientId}”${where ? ` on ${where}` : ''}.</span>
        </p>
      </div>`;
    }
    const reason = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
    return html`<div part="base" class="base message">
      <p role="alert" class="error-text">
        <span class="message-title">Patient details could not be loaded.</span>${reason ? html` <span>${reason}</span>` : nothing}
      </p>
      <button part="retry-button" type="button" @click=${this.handleRetry}>Retry</button>
    </div>`;
  }

  private renderAvatar(view: PatientView): TemplateResult {
    if (view.photo && view.photo.src !== this.failedPhoto) {
      return html`<img part="avatar" class="avatar" src=${view.photo.src} alt=${view.photo.alt} @error=${this.handlePhotoError} />`;
    }
    if (view.initials) return html`<span part="avatar" class="avatar initials" aria-hidden="true">${view.initials}</span>`;
    return html`<span part="avatar" class="avatar" aria-hidden="true">
      <svg viewBox="0 0 24 24" fill="currentColor" focusable="false">
        <circle cx="12" cy="8" r="4"></circle>
        <path d="M4 20.5c0-4.2 3.6-6.8 8-6.8s8 2.6 8 6.8z"></path>
      </svg>
    </span>`;
  }

  private renderPreferredName(view: PatientView) {
    if (!view.preferredName) return nothing;
    return html`<span class="preferred"><span class="visually-hidden">preferred name </span>“${view.preferredName}”</span>`;
  }

  private renderBadges(view: PatientView) {
    return html`${view.deceased
      ? html`<span part="badge" class="badge deceased"
          >Deceased${view.deceased.date ? html` <span>${view.deceased.date.display}</span>` : nothing}</span
        >`
      : nothing}${view.active ? nothing : html`<span part="badge" class="badge inactive">Inactive record</span>`}`;
  }

  /** The allergy alert: what to show for the allergies' state, as a link or a button. */
  private renderAllergies() {
    const state = this.allergyState();
    if (!state) return nothing;
    if (state.kind === 'pending') {
      return html`<span class="allergy-slot"
        ><span part="allergies" class="allergies pending" aria-busy="true"
          ><span class="bone line allergy-bone"></span><span class="visually-hidden">Loading allergies</span></span
        ></span
      >`;
    }
    if (state.kind === 'failed') {
      return html`<span class="allergy-slot"
        ><span part="allergies" class="allergies muted">Allergies could not be loaded</span>
        <button part="retry-button" class="allergy-retry" type="button" @click=${this.handleAllergyRetry}>Retry</button></span
      >`;
    }

    const { summary, complete } = state;
    // A list that stopped early can say what it found, never that there is nothing.
    const incomplete = complete ? nothing : html`<span class="incomplete"> (list incomplete)</span>`;
    let content: TemplateResult;
    let tone = 'muted';
    if (summary.lifeThreatening.length > 0) {
      const count = summary.lifeThreatening.length;
      tone = 'danger';
      content = html`${WARNING_ICON}<span>${count === 1 ? 'Life-threatening allergy' : `${count} life-threatening allergies`}</span
        ><span aria-hidden="true"> · </span><span class="visually-hidden">: </span><span class="substance">${summary.lifeThreatening[0]!.substance}</span>${incomplete}`;
    } else if (summary.active.length > 0) {
      const count = summary.active.length;
      const names = summary.active.slice(0, 2).map((view) => view.substance);
      const more = count - names.length;
      tone = 'caution';
      content = html`<span>${count === 1 ? '1 allergy' : `${count} allergies`}</span><span aria-hidden="true"> · </span
        ><span class="visually-hidden">: </span><span class="substance">${names.join(', ')}${more > 0 ? ` +${more}` : ''}</span>${incomplete}`;
    } else if (!complete) {
      tone = 'caution';
      content = html`Allergy list incomplete`;
    } else if (summary.status === 'no-known-allergies') {
      const scopes = summary.noKnownScopes;
      const abbreviation = scopes.length === 1 ? NO_KNOWN_ABBREVIATIONS[scopes[0]!] : undefined;
      tone = 'known';
      content = abbreviation
        ? html`<span>${abbreviation}</span><span class="visually-hidden"> (${summary.noKnownLabel?.toLowerCase()})</span>`
        : html`${summary.noKnownLabel}`;
    } else if (summary.status === 'none-recorded') {
      content = html`No allergies recorded`;
    } else {
      content = html`No active allergies`;
    }

    const href = safeHref(this.allergiesHref);
    const control = href
      ? html`<a part="allergies" class="allergies ${tone}" href=${href} @click=${this.handleAllergiesLinkClick}>${content}</a>`
      : html`<button part="allergies" class="allergies ${tone}" type="button" @click=${() => this.handleAllergiesClick(summary)}>${content}</button>`;
    return html`<span class="allergy-slot">${control}</span>`;
  }

  /**
   * What the banner's live region says: the life-threatening alert, or that the allergies
   * could not be loaded. The region is rendered from the first frame, empty, and only its
   * text changes, so screen readers announce the alert when it arrives (a live region
   * inserted already holding its text is often not announced). Quieter states (a count,
   * "NKA") are read with the banner, not announced.
   */
  private allergyAnnouncement(): string {
    const state = this.allergyState();
    if (state?.kind === 'failed') return 'Allergies could not be loaded.';
    if (state?.kind !== 'loaded') return '';
    const threatening = state.summary.lifeThreatening;
    if (threatening.length === 0) return '';
    const names = threatening.map((view) => view.substance).join(', ');
    return `${threatening.length === 1 ? 'Life-threatening allergy' : `${threatening.length} life-threatening allergies`}: ${names}.`;
  }

  private renderAllergyLine() {
    const alert = this.renderAllergies();
    return alert === nothing ? nothing : html`<p class="allergy-line">${alert}</p>`;
  }

  private renderAge(view: PatientView) {
    const age = view.age;
    if (!age) return nothing;
    return age.atDeath
      ? html`<li><span aria-hidden="true">${age.short} at death</span><span class="visually-hidden">Age at death ${age.long}</span></li>`
      : html`<li><span aria-hidden="true">${age.short}</span><span class="visually-hidden">Age ${age.long}</span></li>`;
  }

  private renderBirthDate(view: PatientView) {
    if (!view.birthDate) return nothing;
    return html`<li><span class="label" aria-hidden="true">DOB</span><span class="visually-hidden">Date of birth</span> ${view.birthDate.display}</li>`;
  }

  private renderIdentifiers(identifiers: readonly IdentifierView[]) {
    if (identifiers.length === 0) return nothing;
    return html`<dl part="identifiers" class="pairs identifiers">
      ${identifiers.map(
        (identifier) => html`<div class="pair ${identifier.kind}">
          <dt>${identifier.label}</dt>
          <dd>
            ${identifier.masked
              ? html`<span aria-hidden="true">${identifier.value}</span
                  ><span class="visually-hidden">ending in ${identifier.value.slice(-4).split('').join(' ')}</span>`
              : identifier.value}
          </dd>
        </div>`,
      )}
    </dl>`;
  }

  private renderContact(view: PatientView) {
    const { phone, email, address, language, interpreterRequired } = view;
    if (!phone && !email && !address && !language && !interpreterRequired) return nothing;
    return html`<dl part="contact" class="pairs contact">
      ${phone
        ? html`<div class="pair">
            <dt>${phone.useLabel ? `${phone.useLabel} phone` : 'Phone'}</dt>
            <dd>${phone.href ? html`<a href=${phone.href}>${phone.value}</a>` : phone.value}</dd>
          </div>`
        : nothing}
      ${email
        ? html`<div class="pair">
            <dt>Email</dt>
            <dd>${email.href ? html`<a href=${email.href}>${email.value}</a>` : email.value}</dd>
          </div>`
        : nothing}
      ${address
        ? html`<div class="pair">
            <dt>Address</dt>
            <dd>${address}</dd>
          </div>`
        : nothing}
      ${language || interpreterRequired
        ? html`<div class="pair">
            <dt>Language</dt>
            <dd>${[language, interpreterRequired ? 'Interpreter needed' : undefined].filter(Boolean).join(' · ')}</dd>
          </div>`
        : nothing}
    </dl>`;
  }

  private renderPatient(patient: Patient): TemplateResult {
    const view = toPatientView(patient, { now: new Date(), serverOrigin: this.source?.server?.baseUrl, locale: this.locale });
    const label = `Patient: ${view.name}`;
    if (this.layout === 'compact') {
      const sex = view.gender ? SEX_LETTERS[view.gender.code] : undefined;
      const ageAndSex = [view.age?.short, sex].filter(Boolean).join(' ');
      const ageAndSexSpoken = [view.age ? `${view.age.atDeath ? 'Age at death' : 'Age'} ${view.age.long}` : undefined, view.gender?.label]
        .filter(Boolean)
        .join(', ');
      return html`<div part="base" class="base compact" role="region" aria-label=${label}>
        ${this.renderAvatar(view)}
        <span part="name" class="name">${view.name}</span>
        ${this.renderPreferredName(view)}
        ${ageAndSex || view.birthDate
          ? html`<ul part="details" class="details" role="list">
              ${ageAndSex
                ? html`<li><span aria-hidden="true">${ageAndSex}</span><span class="visually-hidden">${ageAndSexSpoken}</span></li>`
                : nothing}
              ${this.renderBirthDate(view)}
            </ul>`
          : nothing}
        ${this.renderIdentifiers(view.mrn ? [view.mrn] : [])} ${this.renderBadges(view)} ${this.renderAllergies()}
      </div>`;
    }
    return html`<div part="base" class="base wide" role="region" aria-label=${label}>
      ${this.renderAvatar(view)}
      <div class="content">
        <p class="headline">
          <span part="name" class="name">${view.name}</span>
          ${this.renderPreferredName(view)} ${this.renderBadges(view)}
        </p>
        ${this.renderAllergyLine()}
        ${view.age || view.gender || view.birthDate
          ? html`<ul part="details" class="details" role="list">
              ${this.renderAge(view)} ${view.gender ? html`<li>${view.gender.label}</li>` : nothing} ${this.renderBirthDate(view)}
            </ul>`
          : nothing}
        ${this.renderIdentifiers(view.identifiers)} ${this.renderContact(view)}
      </div>
    </div>`;
  }

  protected override render() {
    if (this.suppressed) return nothing;
    return html`${this.renderBanner()}<span part="announcement" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"
        >${this.allergyAnnouncement()}</span
      >`;
  }

  private renderBanner() {
    if (this.patient != null) return this.renderPatient(this.patient);
    if (!this.source) {
      // While <ehr-context> completes a SMART launch there is no source yet: that is loading, not "no patient".
      if (this.contextStatus === 'launching') return this.renderPending();
      // <ehr-context> explains its own failure; a second message here would repeat it.
      if (this.contextStatus === 'error') return nothing;
      return this.renderMessage('No patient selected');
    }
    if (!this.targetPatientId) return this.renderMessage('No patient selected');
    return this.patientTask.render({
      initial: () => this.renderPending(),
      pending: () => this.renderPending(),
      complete: (patient) => this.renderPatient(patient),
      error: (error) => this.renderError(error),
    });
  }
}

function errorKind(error: unknown): string | undefined {
  // Checked by shape, not instanceof: a page may hold two copies of core's FhirError class.
  const kind = typeof error === 'object' && error !== null ? (error as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' ? kind : undefined;
}
