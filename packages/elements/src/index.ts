// @ehr-elements/elements: the element classes, the context keys and the event classes.
// No side effects: importing this module registers no tag. Register with
// `import '@ehr-elements/elements/define.js'`, or define the classes under your own tags.
export { ContextElement } from './context/context.js';
export { ContextErrorEvent, ContextReadyEvent } from './context/events.js';
export { contextStatusContext, sourceContext, type ContextStatus } from './context/source-context.js';
export { PatientBannerElement, type PatientBannerLayout } from './patient-banner/patient-banner.js';
