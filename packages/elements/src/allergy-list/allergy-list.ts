import { consume } from '@lit/context';
import { html, LitElement, nothing, svg, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AllergyIntolerance, Resource } from '@medplum/fhirtypes';
import {
  isAboutAnotherPatient,
  loadAllergies,
  summarizeAllergies,
  type AllergyData,
  type AllergySummary,
  type AllergyView,
  type FhirSource,
} from '@ehr-elements/core';
import { contextStatusContext, sourceContext, type ContextStatus } from '../context/source-context.js';
import { PatientDataController } from '../shared/patient-data-controller.js';
import { renderEmpty, renderListHeading, renderLoadError, renderLoading, renderNoPatient } from '../shared/state-views.js';
import { stateStyles } from '../shared/states.styles.js';
import { tokens, visuallyHidden } from '../styles/tokens.styles.js';
import { styles } from './allergy-list.styles.js';
import { AllergySelectEvent } from './events.js';

const WARNING_ICON = svg`<path d="M12 2.5 1.5 21h21L12 2.5Zm0 5.2 6.9 11.8H5.1L12 7.7Zm-1 3.3v4.5h2V11h-2Zm0 5.8v2h2v-2h-2Z" />`;
const CHECK_ICON = svg`<path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm-1.2 14.2-4.3-4.3 1.4-1.4 2.9 2.9 6-6 1.4 1.4-7.4 7.4Z" />`;

function icon(path: ReturnType<typeof svg>): TemplateResult {
  return html`<svg class="icon" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false">${path}</svg>`;
}

/** "2 life-threatening allergies", "1 life-threatening allergy". */
function lifeThreateningCount(count: number): string {
  return `${count} life-threatening ${count === 1 ? 'allergy' : 'allergies'}`;
}

/**
 * A patient's allergies and intolerances, with the life-threatening ones first and
 * impossible to miss: marked in colour, in words ("Life-threatening") and with an icon,
 * and summed up in a line right under the heading ("2 life-threatening allergies:
 * Penicillin, Peanut") that a screen reader reaches first. That line is not a live
 * region: the patient banner announces the alert once; a second announcement from every
 * list on the page would be noise.
 *
 * Each allergy shows its substance, reactions (manifestations and severity), criticality,
 * category, onset, verification status when not confirmed, who recorded it and where the
 * data came from. Inactive and resolved allergies, and refuted ones, are in their own
 * groups, collapsed unless `show-inactive` is set. Entered-in-error records are never shown.
 *
 * Three empty situations are never conflated: "No known allergies" (or "No known drug
 * allergies": a positive statement someone recorded), "No allergies recorded" (nothing at
 * all), and the error state "Allergies could not be loaded." (with Retry) when the
 * request failed. A failed load never shows an empty state.
 *
 * Data comes from the enclosing `<ehr-context>` (all pages of `AllergyIntolerance?patient=`),
 * or directly from the `resources` property. FHIR strings are shown as text only.
 *
 * To link to the list (from the patient banner's allergy alert, `allergies-href="#allergies"`),
 * give the element an id; `focusList()` moves focus to it, and the banner calls it when its
 * link targets the list.
 *
 * @tag ehr-allergy-list
 * @summary Allergies and intolerances, life-threatening first.
 *
 * @fires ehr-allergy-select - {AllergySelectEvent} The user activated an allergy (`event.resource`, `event.allergy`).
 *
 * @csspart base - The frame, in every state; focused by `focusList()`.
 * @csspart heading - The heading ("Allergies (3)").
 * @csspart alert-summary - The life-threatening summary line.
 * @csspart list - Each list of allergies.
 * @csspart item - One allergy.
 * @csspart substance - The substance: the item's button.
 * @csspart badge - Each badge (Life-threatening, Unconfirmed, High criticality, category...).
 * @csspart reactions - The reactions of an allergy.
 * @csspart details - Onset, recorded date, recorder and source of an allergy.
 * @csspart history - Each collapsed group (inactive and resolved; refuted).
 * @csspart history-note - The line naming inactive allergies that once caused anaphylaxis or were of high criticality.
 * @csspart no-known - The "No known allergies" statement.
 * @csspart conflict - A "no known allergies" record that recorded allergies contradict.
 * @csspart state - Loading, empty and error states.
 * @csspart retry-button - The Retry button of the error state.
 *
 * @cssprop --ehr-allergy-list-background - Background. Default: `--ehr-color-surface`.
 * @cssprop --ehr-allergy-list-color - Text colour. Default: `--ehr-color-text`.
 * @cssprop --ehr-allergy-list-muted-color - Secondary text. Default: `--ehr-color-text-muted`.
 * @cssprop --ehr-allergy-list-border - Border shorthand of the frame. Default: `1px solid` `--ehr-color-border`.
 * @cssprop --ehr-allergy-list-border-radius - Corner radius. Default: `--ehr-radius`.
 * @cssprop --ehr-allergy-list-font-family - Font. Default: `--ehr-font-family`.
 * @cssprop --ehr-allergy-list-font-size - Base font size. Default: 0.875rem.
 * @cssprop --ehr-allergy-list-padding - Inner spacing of the frame. Default: 0.75rem 1rem.
 * @cssprop --ehr-allergy-list-item-gap - Space between allergies. Default: 0.5rem.
 * @cssprop --ehr-allergy-list-danger-color - Life-threatening text, stripe and badge. Default: `--ehr-color-danger`.
 * @cssprop --ehr-allergy-list-danger-background - Life-threatening item background. Default: `--ehr-color-danger-surface`.
 * @cssprop --ehr-allergy-list-caution-color - Stripe of other active allergies, unconfirmed badges. Default: `--ehr-color-warning`.
 * @cssprop --ehr-allergy-list-caution-background - Unconfirmed badge and warning backgrounds. Default: `--ehr-color-warning-surface`.
 */
export class AllergyListElement extends LitElement {
  static override styles = [tokens, visuallyHidden, stateStyles, styles];

  /**
   * FHIR resources given directly: the AllergyIntolerances to show, and optionally the
   * Practitioners (and others) that name their recorders. When set, nothing is loaded.
   */
  @property({ attribute: false }) resources?: readonly Resource[];

  /** The id of a patient to show instead of the patient in context. */
  @property({ attribute: 'patient-id' }) patientId?: string;

  /** The level of the list's heading (1–6). Default 2. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** Show the inactive, resolved and refuted groups expanded. */
  @property({ type: Boolean, attribute: 'show-inactive' }) showInactive = false;

  /** The FHIR source to read from; provided by the enclosing `<ehr-context>`, or set directly. */
  @consume({ context: sourceContext, subscribe: true })
  @property({ attribute: false })
  source?: FhirSource;

  /** @internal The enclosing `<ehr-context>`'s status: loading while a SMART launch completes. */
  @consume({ context: contextStatusContext, subscribe: true })
  @state()
  contextStatus?: ContextStatus;

  private readonly data = new PatientDataController<AllergyData>(this, {
    load: (source, patientId, { signal, onProgress }) => loadAllergies(source, patientId, { signal, onProgress, includeParticipants: true }),
    direct: () => this.directData(),
  });

  private directMemo?: { readonly input: readonly Resource[]; readonly patientId?: string; readonly output: AllergyData };
  private summaryMemo?: { readonly input: AllergyData; readonly locale?: string; readonly output: AllergySummary };

  /** Moves keyboard focus to the list (for a "skip to allergies" link) and scrolls it into view. */
  focusList(): void {
    const base = this.renderRoot.querySelector<HTMLElement>('[part~="base"]');
    base?.focus();
    base?.scrollIntoView?.({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
  }

  /** Loads the allergies again (after an error, or to pick up changes). */
  reload(): Promise<void> {
    return this.data.reload();
  }

  private get locale(): string | undefined {
    return this.closest('[lang]')?.getAttribute('lang') || undefined;
  }

  /** `resources` as AllergyData; records naming another patient than `patient-id` are dropped. */
  private directData(): AllergyData | undefined {
    const resources = this.resources;
    if (resources == null) return undefined;
    const patientId = this.patientId || undefined;
    if (this.directMemo?.input === resources && this.directMemo.patientId === patientId) return this.directMemo.output;
    const list = Array.isArray(resources) ? resources : [];
    const allergies: AllergyIntolerance[] = [];
    const included: Resource[] = [];
    let otherPatientCount = 0;
    for (const resource of list) {
      if (!resource || typeof resource !== 'object') continue;
      if (resource.resourceType !== 'AllergyIntolerance') included.push(resource);
      else if (patientId && isAboutAnotherPatient(resource, patientId)) otherPatientCount++;
      else allergies.push(resource);
    }
    const output: AllergyData = { allergies, included, complete: true, otherPatientCount };
    this.directMemo = { input: resources, patientId, output };
    return output;
  }

  private summarize(data: AllergyData): AllergySummary {
    const locale = this.locale;
    if (this.summaryMemo?.input === data && this.summaryMemo.locale === locale) return this.summaryMemo.output;
    const output = summarizeAllergies(data.allergies, { included: data.included, sourceLabel: data.sourceLabel, locale });
    this.summaryMemo = { input: data, locale, output };
    return output;
  }

  private handleRetry(): void {
    void this.reload();
  }

  private handleSelect(allergy: AllergyView): void {
    this.dispatchEvent(new AllergySelectEvent(allergy));
  }

  private renderHeadingFor(summary: AllergySummary | undefined) {
    const count = summary && summary.status === 'allergies' ? summary.active.length : undefined;
    return renderListHeading(this.headingLevel, 'Allergies', count);
  }

  private renderBadges(view: AllergyView, index: number) {
    const verification = view.verificationStatus;
    const unconfirmed = verification && verification.code !== 'confirmed' && verification.code !== 'refuted';
    return html`<span class="badges">
      ${view.alert === 'life-threatening'
        ? html`<span part="badge" class="badge danger" id="alert-${index}">${icon(WARNING_ICON)}Life-threatening</span>`
        : nothing}
      ${verification?.code === 'refuted' ? html`<span part="badge" class="badge" id="status-${index}">Refuted</span>` : nothing}
      ${unconfirmed ? html`<span part="badge" class="badge caution" id="status-${index}">${verification.label}</span>` : nothing}
      ${view.group === 'inactive' && view.clinicalStatus ? html`<span part="badge" class="badge">${view.clinicalStatus.label}</span>` : nothing}
      ${view.criticality ? html`<span part="badge" class="badge ${view.criticality.code === 'high' ? 'danger' : ''}">${view.criticality.label}</span>` : nothing}
      ${view.categories.map((category) => html`<span part="badge" class="badge">${category.label}</span>`)}
      ${view.type?.code === 'intolerance' ? html`<span part="badge" class="badge">Intolerance</span>` : nothing}
    </span>`;
  }

  private renderReactions(view: AllergyView) {
    if (view.reactions.length === 0) return nothing;
    return html`<ul part="reactions" class="reactions" role="list" aria-label="Reactions">
      ${view.reactions.map(
        (reaction) => html`<li>
          <span class="manifestations">${reaction.manifestations.length > 0 ? reaction.manifestations.join(', ') : 'Reaction'}</span>${reaction.severity
            ? html` · <span class="severity ${reaction.severity.code}">${reaction.severity.label}</span>`
            : nothing}${reaction.substance ? html` · to ${reaction.substance}` : nothing}${reaction.exposureRoute
            ? html` · ${reaction.exposureRoute}`
            : nothing}${reaction.onset ? html` · <time datetime=${reaction.onset.value}>${reaction.onset.display}</time>` : nothing}
          ${reaction.description ? html`<p class="description">${reaction.description}</p>` : nothing}
          ${reaction.notes.map((note) => html`<p class="note">${note}</p>`)}
        </li>`,
      )}
    </ul>`;
  }

  private renderDetails(view: AllergyView, showSource: boolean) {
    const pairs: [string, unknown][] = [];
    if (view.onset) pairs.push(['Onset', view.onset.date ? html`<time datetime=${view.onset.date.value}>${view.onset.display}</time>` : view.onset.display]);
    if (view.lastOccurrence) pairs.push(['Last reaction', html`<time datetime=${view.lastOccurrence.value}>${view.lastOccurrence.display}</time>`]);
    if (view.recordedDate) pairs.push(['Recorded', html`<time datetime=${view.recordedDate.value}>${view.recordedDate.display}</time>`]);
    if (view.recorder) pairs.push(['Recorded by', view.recorder]);
    if (view.asserter && view.asserter !== view.recorder) pairs.push(['Reported by', view.asserter]);
    if (view.organization && view.organization !== view.recorder) pairs.push(['Organization', view.organization]);
    if (showSource && view.sourceLabel) pairs.push(['Source', view.sourceLabel]);
    if (pairs.length === 0) return nothing;
    return html`<dl part="details" class="details">
      ${pairs.map(([term, value]) => html`<div><dt>${term}:</dt> <dd>${value}</dd></div>`)}
    </dl>`;
  }

  private renderItem(view: AllergyView, index: number, showSource: boolean) {
    const describedBy = [view.alert === 'life-threatening' ? `alert-${index}` : '', view.verificationStatus && view.verificationStatus.code !== 'confirmed' ? `status-${index}` : '']
      .filter(Boolean)
      .join(' ');
    return html`<li part="item" class="item ${view.alert} ${view.group}" data-key=${view.key}>
      <div class="item-head">
        ${view.alert === 'life-threatening' ? icon(WARNING_ICON) : nothing}
        <button part="substance" class="substance" type="button" aria-describedby=${describedBy || nothing} @click=${() => this.handleSelect(view)}>
          ${view.group === 'refuted' ? html`<s>${view.substance}</s>` : view.substance}
        </button>
        ${this.renderBadges(view, index)}
      </div>
      ${this.renderReactions(view)} ${this.renderDetails(view, showSource)}
      ${view.notes.map((note) => html`<p class="note"><span class="visually-hidden">Note: </span>${note}</p>`)}
    </li>`;
  }

  private renderList(views: readonly AllergyView[], label: string, offset: number, showSource: boolean) {
    return html`<ul part="list" class="list" role="list" aria-label=${label}>
      ${views.map((view, index) => this.renderItem(view, offset + index, showSource))}
    </ul>`;
  }

  /**
   * Inactive and resolved allergies carry no alert (FHIR R4: no longer a risk), but one that
   * once caused anaphylaxis or was of high criticality is worth a line outside the collapsed
   * group, so a clinician reconciling the list sees it without opening it.
   */
  private renderPastDanger(summary: AllergySummary) {
    const past = summary.inactive.filter(
      (view) =>
        view.assertion === 'allergy' &&
        (view.criticality?.code === 'high' || view.reactions.some((reaction) => reaction.anaphylaxis || reaction.severity?.code === 'severe')),
    );
    if (past.length === 0) return nothing;
    const anaphylaxis = past.some((view) => view.reactions.some((reaction) => reaction.anaphylaxis));
    const names = past.map((view) => `${view.substance}${view.clinicalStatus ? ` (${view.clinicalStatus.label.toLowerCase()})` : ''}`).join(', ');
    return html`<p part="history-note" class="history-note">
      <strong>${anaphylaxis ? 'History of anaphylaxis or a severe reaction' : 'History of a high-criticality allergy'}:</strong> ${names}
    </p>`;
  }

  private renderHistory(summary: AllergySummary, offset: number, showSource: boolean) {
    const { inactive, refuted } = summary;
    return html`${inactive.length > 0
      ? html`<details part="history" class="history" ?open=${this.showInactive}>
          <summary>Inactive and resolved (${inactive.length})</summary>
          ${this.renderList(inactive, 'Inactive and resolved allergies', offset, showSource)}
        </details>`
      : nothing}
    ${refuted.length > 0
      ? html`<details part="history" class="history" ?open=${this.showInactive}>
          <summary>Refuted (${refuted.length})</summary>
          ${this.renderList(refuted, 'Refuted allergies', offset + inactive.length, showSource)}
        </details>`
      : nothing}`;
  }

  private renderRecordedBy(view: AllergyView) {
    const parts = [
      view.recordedDate ? `Recorded ${view.recordedDate.display}` : view.recorder ? 'Recorded' : undefined,
      view.recorder ? `by ${view.recorder}` : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    // The source is said once, at the end of the list.
    return parts ? html` <span class="meta">${parts}</span>` : nothing;
  }

  private renderNoKnown(summary: AllergySummary) {
    const first = summary.noKnown[0]!;
    const partial = !summary.noKnownScopes.includes('all');
    return html`<div part="no-known" class="no-known" role="status">
      ${icon(CHECK_ICON)}
      <p>
        <span class="no-known-title">${summary.noKnownLabel}</span>${this.renderRecordedBy(first)}${partial
          ? html`<br /><span class="meta">Nothing is recorded about other kinds of allergy.</span>`
          : nothing}
      </p>
    </div>`;
  }

  private renderConflicts(summary: AllergySummary) {
    return summary.contradicted.map(
      (view) => html`<p part="conflict" class="conflict" role="note">
        <strong>Conflicting record:</strong> “${view.substance}” is also on file${view.recordedDate
          ? html` (recorded ${view.recordedDate.display}${view.recorder ? ` by ${view.recorder}` : ''})`
          : nothing}, but the allergies below are recorded. Review and reconcile the list.
      </p>`,
    );
  }

  private renderUnknown(summary: AllergySummary) {
    return summary.unknown.map(
      (view) => html`<p class="unknown">Allergy status: ${view.substance}${view.recordedDate ? ` (recorded ${view.recordedDate.display})` : ''}.</p>`,
    );
  }

  private renderComplete(data: AllergyData, summary: AllergySummary) {
    const all = [...summary.active, ...summary.inactive, ...summary.refuted];
    const labels = new Set(all.map((view) => view.sourceLabel ?? ''));
    // One source for every record: said once at the end, not on every item.
    const perItemSource = labels.size > 1;
    const singleSource = !perItemSource ? all[0]?.sourceLabel ?? summary.noKnown[0]?.sourceLabel : undefined;
    const incomplete = data.complete
      ? nothing
      : html`<p class="incomplete" role="note">
          <strong>This list may be incomplete.</strong>
          ${data.incompleteReason === 'server-outcome'
            ? 'The server reported that it could not return every allergy record.'
            : 'The server had more allergy records than could be loaded.'}
        </p>`;
    const others = data.otherPatientCount;
    const otherPatient =
      others > 0
        ? html`<p class="incomplete" role="note">
            ${others} ${others === 1 ? 'record' : 'records'} the server returned for another patient ${others === 1 ? 'was' : 'were'} left out.
          </p>`
        : nothing;

    let body: unknown;
    if (summary.status === 'none-recorded') {
      body = html`${renderEmpty('No allergies recorded', 'Nothing is documented, which is not the same as “No known allergies”.')}
      ${this.renderUnknown(summary)}`;
    } else if (summary.status === 'no-known-allergies') {
      body = html`${this.renderNoKnown(summary)} ${this.renderUnknown(summary)}`;
    } else {
      const threatening = summary.lifeThreatening;
      body = html`${threatening.length > 0
          ? html`<p part="alert-summary" class="alert-summary">
              ${icon(WARNING_ICON)}<span
                ><strong>${lifeThreateningCount(threatening.length)}:</strong> ${threatening.map((view) => view.substance).join(', ')}</span
              >
            </p>`
          : nothing}
        ${this.renderConflicts(summary)}
        ${summary.active.length > 0
          ? this.renderList(summary.active, 'Active allergies', 0, perItemSource)
          : html`<p class="empty-active">No active allergies recorded.</p>`}
        ${summary.noKnown.length > 0 && summary.noKnownLabel ? html`<p class="also">Also recorded: ${summary.noKnownLabel}.</p>` : nothing}
        ${this.renderUnknown(summary)}`;
    }
    return html`${incomplete}${otherPatient}${body}${this.renderPastDanger(summary)}${this.renderHistory(summary, summary.active.length, perItemSource)}
    ${singleSource ? html`<p class="source">Source: ${singleSource}</p>` : nothing}`;
  }

  protected override render() {
    let summary: AllergySummary | undefined;
    const content = this.data.render({
      pending: (progress) => renderLoading('Loading allergies', progress),
      error: (error) => renderLoadError('Allergies could not be loaded.', error, () => this.handleRetry()),
      complete: (value) => {
        // A server that ignored `patient=` sent only someone else's records: this patient's
        // allergies are unknown, which must never read as "No allergies recorded".
        if (value.allergies.length === 0 && value.otherPatientCount > 0) {
          return renderLoadError(
            'Allergies could not be loaded.',
            new Error('The server returned records of another patient only; they are not shown.'),
            () => this.handleRetry(),
          );
        }
        summary = this.summarize(value);
        return this.renderComplete(value, summary);
      },
      noPatient: () => {
        // While <ehr-context> completes a SMART launch there is no source yet: that is loading.
        if (this.contextStatus === 'launching') return renderLoading('Loading allergies');
        // <ehr-context> explains its own failure.
        if (this.contextStatus === 'error') return nothing;
        return renderNoPatient();
      },
    });
    return html`<section part="base" class="base" aria-labelledby="heading" tabindex="-1">${this.renderHeadingFor(summary)}${content}</section>`;
  }
}
