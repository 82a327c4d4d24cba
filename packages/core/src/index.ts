// @ehr-elements/core: the DOM-free layer. SMART on FHIR lives in `@ehr-elements/core/smart`
// (it loads fhirclient); only its types are re-exported here, so importing this module
// never pulls fhirclient into a page.
export * from './source/fhir-source.js';
export { FHIR_JSON, fetchFhirJson, isOnServer, isSameOrigin } from './source/http.js';
export type { FetchLike } from './source/http.js';
export { DEFAULT_PAGE_LIMIT, buildSearchUrl, resolveLink, searchAllPages, searchParamEntries } from './source/paging.js';
export type { FetchJson } from './source/paging.js';
export { OpenServerSource, openServerSource } from './source/open-server-source.js';
export type { OpenServerSourceOptions } from './source/open-server-source.js';
export { BundleSource } from './source/bundle-source.js';
export { loadSmartStyle, smartStyleTokens, type SmartStyle } from './source/smart-style.js';
export type { BundleSourceOptions } from './source/bundle-source.js';
export type { SmartLaunchOptions, SmartSource, SmartSourceOptions } from './smart/index.js';
export * from './model/index.js';
export * from './format/index.js';
export * from './query/index.js';
export * from './cache/index.js';
