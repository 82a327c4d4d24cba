// One small line icon per kind: shown beside the kind's name, never instead of it.
import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import type { TimelineKind } from '@ehr-elements/core';

const PATHS: Readonly<Record<TimelineKind, SVGTemplateResult>> = {
  // A clinic building.
  encounter: svg`<path d="M4 21V8l8-5 8 5v13M9 21v-5h6v5M12 7.5v5M9.5 10h5" />`,
  // A clipboard with lines: a diagnosis on the problem list.
  condition: svg`<path d="M9 3.5h6v3H9zM7.5 5H5v16h14V5h-2.5M8.5 12h7M8.5 16h5" />`,
  // A medical cross.
  procedure: svg`<path d="M10 3.5h4v6.5h6.5v4H14v6.5h-4V14H3.5v-4H10z" />`,
  // A syringe.
  immunization: svg`<path d="m17 3 4 4M19 5l-3.5 3.5M15 6l3 3-9 9H6v-3zM11 9l3 3M3 21l3-3" />`,
  // A capsule.
  medication: svg`<path d="M10.5 20.5a5 5 0 0 1-7-7l10-10a5 5 0 0 1 7 7zM8.5 8.5l7 7" />`,
  // A lab flask.
  report: svg`<path d="M9 3h6M10 3v6l-5.6 9.6A1.6 1.6 0 0 0 5.8 21h12.4a1.6 1.6 0 0 0 1.4-2.4L14 9V3M7.2 15h9.6" />`,
  // A page with a folded corner.
  document: svg`<path d="M14 3H6v18h12V7zM14 3v4h4M9 12.5h6M9 16.5h6" />`,
  // A warning triangle.
  allergy: svg`<path d="M12 3.5 2.5 20.5h19zM12 10v5M12 17.5v.5" />`,
  // A pulse line: a measured result.
  observation: svg`<path d="M3 12h4l3-7.5 4 15 3-7.5h4" />`,
};

/** The icon of a kind, hidden from assistive technology (the kind is also written out). */
export function kindIcon(kind: TimelineKind): TemplateResult {
  return html`<svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${PATHS[kind]}</svg>`;
}

/** An up or down arrow beside a flagged result's words ("High", "Low"). */
export function flagIcon(code: string): TemplateResult {
  const up = code.startsWith('H');
  const down = code.startsWith('L');
  const path = up ? svg`<path d="M12 19V5M6 11l6-6 6 6" />` : down ? svg`<path d="M12 5v14M6 13l6 6 6-6" />` : svg`<path d="M12 4v10M12 18.5v.5" />`;
  return html`<svg class="flag-icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${path}</svg>`;
}
