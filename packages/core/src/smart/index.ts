// The SMART on FHIR entry point (`@ehr-elements/core/smart`): the only module of
// packages/core that imports fhirclient. Load it with a dynamic import() so pages that do
// not launch as SMART apps never download fhirclient.
export { SmartSource } from './smart-source.js';
export type { SmartSourceOptions } from './smart-source.js';
export { DEFAULT_SMART_SCOPE, buildSmartAuthorizeUrl, completeSmartLaunch, isSmartLaunchCallback, launchSmartApp } from './launch.js';
export type { SmartLaunchOptions } from './launch.js';
