// Registers every ehr-* element. The package's only module with side effects
// (`sideEffects` in package.json names it): `import '@ehr-elements/elements/define.js'`.
import { ContextElement } from './context/context.js';
import type { ContextErrorEvent, ContextReadyEvent } from './context/events.js';
import { PatientBannerElement } from './patient-banner/patient-banner.js';

/**
 * Defines `tag` unless the page already has it: a second copy of this package, or a host
 * page that registered its own subclass first, must not make `customElements.define` throw.
 */
export function defineOnce(tag: string, constructor: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, constructor);
}

defineOnce('ehr-context', ContextElement);
defineOnce('ehr-patient-banner', PatientBannerElement);

declare global {
  interface HTMLElementTagNameMap {
    'ehr-context': ContextElement;
    'ehr-patient-banner': PatientBannerElement;
  }
  interface HTMLElementEventMap {
    'ehr-context-ready': ContextReadyEvent;
    'ehr-context-error': ContextErrorEvent;
  }
}
