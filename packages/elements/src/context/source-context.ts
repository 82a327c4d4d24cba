import { createContext } from '@lit/context';
import type { FhirSource } from '@ehr-elements/core';

/**
 * The FhirSource every ehr-* element reads from, provided by `<ehr-context>` (or by any
 * element or host framework that answers @lit/context requests for this key).
 * `Symbol.for` keeps the key identical across duplicate copies of this package on a page.
 */
export const sourceContext = createContext<FhirSource | undefined>(Symbol.for('ehr-elements/source'));

/**
 * Where the provided source stands: `idle` (nothing configured), `launching` (a SMART
 * launch is completing), `ready` (a source is provided), `error` (it could not be set up).
 */
export type ContextStatus = 'idle' | 'launching' | 'ready' | 'error';

/**
 * The status of the enclosing `<ehr-context>`, so an element can show a loading state
 * while a SMART launch completes instead of "No patient selected".
 */
export const contextStatusContext = createContext<ContextStatus>(Symbol.for('ehr-elements/context-status'));
