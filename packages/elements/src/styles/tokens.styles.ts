import { css } from 'lit';

/**
 * The global design tokens, in one place. Every ehr-* element includes this sheet and
 * reads a token through its private twin (`--_ehr-color-text`), which falls back to the
 * built-in default when the page sets no `--ehr-color-text`.
 *
 * Light and dark: the defaults use `light-dark()`, resolved by the `color-scheme` of each
 * element's frame, which is `--ehr-color-scheme` (default `light dark`: follow the user's
 * `prefers-color-scheme`). A light-only host page (most EHRs) sets
 * `--ehr-color-scheme: light` once, on `:root`, so a dark OS never puts a dark banner on a
 * white page; `dark` forces dark. Colour tokens a page sets win in both schemes.
 *
 * Token                         | Used for
 * ----------------------------- | ------------------------------------------------
 * --ehr-color-scheme            | `light dark` (default), `light` or `dark`
 * --ehr-font-family             | All text
 * --ehr-color-surface           | Backgrounds
 * --ehr-color-surface-muted     | Avatars without a photo, skeletons
 * --ehr-color-text              | Body text
 * --ehr-color-text-muted        | Secondary text, labels
 * --ehr-color-border            | Borders and separators
 * --ehr-color-accent            | Accent stripe, links
 * --ehr-color-accent-contrast   | Text on the accent colour
 * --ehr-color-danger            | Deceased badge, error text
 * --ehr-color-danger-surface    | Deceased badge and error backgrounds
 * --ehr-color-warning           | Inactive-record badge
 * --ehr-color-warning-surface   | Inactive-record badge background
 * --ehr-color-focus             | Focus rings
 * --ehr-radius                  | Corner radius
 */
export const tokens = css`
  :host {
    --_ehr-color-scheme: var(--ehr-color-scheme, light dark);
    --_ehr-font-family: var(--ehr-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif);
    --_ehr-color-surface: var(--ehr-color-surface, light-dark(#ffffff, #161b22));
    --_ehr-color-surface-muted: var(--ehr-color-surface-muted, light-dark(#eef1f4, #262c36));
    --_ehr-color-text: var(--ehr-color-text, light-dark(#1f2328, #e6edf3));
    --_ehr-color-text-muted: var(--ehr-color-text-muted, light-dark(#59636e, #9da7b3));
    --_ehr-color-border: var(--ehr-color-border, light-dark(#d1d9e0, #3d444d));
    --_ehr-color-accent: var(--ehr-color-accent, light-dark(#0b5cad, #4493f8));
    --_ehr-color-accent-contrast: var(--ehr-color-accent-contrast, light-dark(#ffffff, #0d1117));
    --_ehr-color-danger: var(--ehr-color-danger, light-dark(#a4161a, #ff8182));
    --_ehr-color-danger-surface: var(--ehr-color-danger-surface, light-dark(#fdecec, #3c1618));
    --_ehr-color-warning: var(--ehr-color-warning, light-dark(#7a4a00, #e3b341));
    --_ehr-color-warning-surface: var(--ehr-color-warning-surface, light-dark(#fff4d6, #3a2a06));
    --_ehr-color-focus: var(--ehr-color-focus, light-dark(#0b5cad, #4493f8));
    --_ehr-radius: var(--ehr-radius, 0.5rem);
  }
`;

/** Text for assistive technology only (the spelled-out "52 years" beside "52 y"). */
export const visuallyHidden = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
`;
