import { css, unsafeCSS, type CSSResult } from 'lit';

/** The elements drawn in the shared frame; each documents the frame's properties under its own prefix. */
export type FramedElementName = 'allergy-list' | 'condition-list' | 'medication-list' | 'immunization-list' | 'vitals-chart' | 'lab-results';

/**
 * The custom properties of the frame (`--ehr-<element>-background`, `-color`,
 * `-muted-color`, `-border`, `-border-radius`, `-font-family`, `-font-size`, `-padding`),
 * each read through its private twin (`--_*`) with a fallback to a global token. An
 * element adds its own properties in a `:host` rule of its own.
 */
export function frameProperties(element: FramedElementName): CSSResult {
  // A fixed element name, never data: unsafeCSS only builds the property prefix.
  const prefix = unsafeCSS(`--ehr-${element}`);
  return css`
    :host {
      display: block;
      --_background: var(${prefix}-background, var(--_ehr-color-surface));
      --_color: var(${prefix}-color, var(--_ehr-color-text));
      --_muted-color: var(${prefix}-muted-color, var(--_ehr-color-text-muted));
      --_border: var(${prefix}-border, 1px solid var(--_ehr-color-border));
      --_border-radius: var(${prefix}-border-radius, var(--_ehr-radius));
      --_font-family: var(${prefix}-font-family, var(--_ehr-font-family));
      --_font-size: var(${prefix}-font-size, 0.875rem);
      --_padding: var(${prefix}-padding, 0.75rem 1rem);
    }
  `;
}

/**
 * The frame (`part="base"`) drawn from those properties, in every state; an element adds
 * its own layout (`display`, `gap`, `container-type`) in a later `.base` rule.
 */
export const frameStyles = css`
  :host([hidden]) {
    display: none !important;
  }

  .base {
    color-scheme: var(--_ehr-color-scheme);
    box-sizing: border-box;
    padding: var(--_padding);
    border: var(--_border);
    border-radius: var(--_border-radius);
    background: var(--_background);
    color: var(--_color);
    font-family: var(--_font-family);
    font-size: var(--_font-size);
    line-height: 1.45;
  }

  p {
    margin: 0;
  }
`;
