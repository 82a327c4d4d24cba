import { css, unsafeCSS, type CSSResult } from 'lit';
import { frameProperties, frameStyles } from './frame.styles.js';

/** The elements that share the clinical list look. */
export type ClinicalListName = 'condition-list' | 'medication-list' | 'immunization-list';

/**
 * The public custom properties of a clinical list (`--ehr-<element>-*`): the frame's, and
 * those of its items, each read through its private twin (`--_*`) with a fallback to a
 * global token. Every list documents the same set under its own prefix.
 */
export function clinicalListProperties(element: ClinicalListName): CSSResult {
  // A fixed element name, never data: unsafeCSS only builds the property prefix.
  const prefix = unsafeCSS(`--ehr-${element}`);
  return css`
    ${frameProperties(element)}

    :host {
      --_item-padding: var(${prefix}-item-padding, 0.5rem 0);
      --_divider-color: var(${prefix}-divider-color, var(--_ehr-color-border));
      --_name-color: var(${prefix}-name-color, var(--_ehr-color-text));
      --_badge-color: var(${prefix}-badge-color, var(--_ehr-color-text-muted));
      --_badge-background: var(${prefix}-badge-background, var(--_ehr-color-surface-muted));
      --_warning-color: var(${prefix}-warning-color, var(--_ehr-color-warning));
      --_warning-background: var(${prefix}-warning-background, var(--_ehr-color-warning-surface));
      --_alert-color: var(${prefix}-alert-color, var(--_ehr-color-danger));
      --_alert-background: var(${prefix}-alert-background, var(--_ehr-color-danger-surface));
    }
  `;
}

/**
 * The shared look of `<ehr-condition-list>`, `<ehr-medication-list>` and
 * `<ehr-immunization-list>`: a framed section with a heading, groups (an open list, or a
 * collapsed `<details>`), items whose name is a button, badges and a line of details.
 */
export const clinicalListStyles = css`
  ${frameStyles}

  .base {
    container-type: inline-size;
  }

  .heading {
    display: flex;
    align-items: baseline;
    gap: 0.375rem;
    margin: 0 0 0.25rem;
    font-size: 1rem;
    font-weight: 650;
  }

  .count {
    color: var(--_muted-color);
    font-weight: 500;
    font-variant-numeric: tabular-nums;
  }

  .group + .group {
    margin-block-start: 0.75rem;
  }

  .group-title {
    margin: 0;
    padding-block: 0.25rem;
    color: var(--_muted-color);
    font-size: 0.8125rem;
    font-weight: 650;
    letter-spacing: 0.01em;
  }

  details.group > summary {
    display: flex;
    align-items: center;
    gap: 0.375rem;
    inline-size: fit-content;
    padding-block: 0.25rem;
    color: var(--_muted-color);
    font-size: 0.8125rem;
    font-weight: 650;
    cursor: pointer;
    list-style: none;
    border-radius: 0.25rem;
  }

  details.group > summary::-webkit-details-marker {
    display: none;
  }

  /* A chevron that turns when the group opens; CSS only, so the summary keeps its native semantics. */
  details.group > summary::before {
    content: '' / '';
    inline-size: 0.45em;
    block-size: 0.45em;
    border-inline-end: 2px solid currentColor;
    border-block-end: 2px solid currentColor;
    transform: rotate(-45deg);
    transition: transform 120ms ease-out;
    margin-inline-end: 0.125rem;
  }

  details.group[open] > summary::before {
    transform: rotate(45deg);
  }

  .list {
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .item {
    padding: var(--_item-padding);
    border-block-start: 1px solid var(--_divider-color);
  }

  .item:first-child {
    border-block-start: 0;
  }

  .item-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.5rem;
  }

  /* The name is the item's one control: selecting it fires the list's select event. */
  .name {
    margin: 0;
    padding: 0;
    border: 0;
    background: none;
    color: var(--_name-color);
    font: inherit;
    font-weight: 600;
    text-align: start;
    overflow-wrap: anywhere;
    cursor: pointer;
    border-radius: 0.125rem;
  }

  .name:hover {
    color: var(--_ehr-color-accent);
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }

  .name.uncoded {
    font-style: italic;
  }

  .inactive .name {
    font-weight: 500;
  }

  .badge {
    display: inline-flex;
    align-items: baseline;
    padding: 0 0.45rem;
    border: 1px solid transparent;
    border-radius: 999px;
    background: var(--_badge-background);
    color: var(--_badge-color);
    font-size: 0.75rem;
    font-weight: 600;
    line-height: 1.5;
    white-space: nowrap;
  }

  .badge.warning {
    background: var(--_warning-background);
    color: var(--_warning-color);
  }

  .badge.alert {
    background: var(--_alert-background);
    color: var(--_alert-color);
  }

  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.5rem;
    margin: 0.125rem 0 0;
    padding: 0;
    list-style: none;
    color: var(--_muted-color);
    font-size: 0.8125rem;
  }

  /* A middle dot between details that assistive technology does not read. */
  .meta li:not(:last-child)::after {
    content: '·' / '';
    margin-inline-start: 0.5rem;
  }

  .meta .dose {
    color: var(--_color);
  }

  .empty-group {
    margin: 0;
    padding: 0.25rem 0 0.5rem;
    color: var(--_muted-color);
  }

  .notice {
    margin: 0.5rem 0 0;
    color: var(--_muted-color);
    font-size: 0.8125rem;
  }

  .warning-box {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
    margin: 0.25rem 0 0.5rem;
    padding: 0.5rem 0.75rem;
    border-inline-start: 3px solid var(--_warning-color);
    border-radius: 0.25rem;
    background: var(--_warning-background);
    color: var(--_color);
  }

  .warning-box strong {
    color: var(--_warning-color);
  }

  .warning-box button {
    font: inherit;
    padding: 0.125rem 0.75rem;
    border: 1px solid currentColor;
    border-radius: var(--_ehr-radius);
    background: var(--_background);
    color: var(--_ehr-color-accent);
    cursor: pointer;
  }

  /* A list's statement ("No known medications"): what the record says, not an empty list. */
  .no-known {
    margin: 0.25rem 0 0.5rem;
    padding: 0.5rem 0.75rem;
    border-inline-start: 3px solid var(--_divider-color);
    border-radius: 0.25rem;
    background: var(--_badge-background);
  }

  .no-known p {
    margin: 0;
  }

  .no-known .meta {
    display: inline;
  }

  /* A negation beside records that contradict it: to be reconciled. */
  .conflict {
    margin: 0.25rem 0 0.5rem;
    padding: 0.5rem 0.75rem;
    border-inline-start: 3px solid var(--_warning-color);
    border-radius: 0.25rem;
    background: var(--_warning-background);
  }

  .conflict strong {
    color: var(--_warning-color);
  }

  .name:focus-visible,
  summary:focus-visible,
  .warning-box button:focus-visible {
    outline: 2px solid var(--_ehr-color-focus);
    outline-offset: 2px;
  }

  @media (prefers-reduced-motion: reduce) {
    details.group > summary::before {
      transition: none;
    }
  }

  @media (forced-colors: active) {
    .badge {
      border-color: CanvasText;
    }
    .name {
      color: LinkText;
    }
    .warning-box,
    .no-known,
    .conflict {
      border: 1px solid CanvasText;
    }
    .warning-box strong {
      color: CanvasText;
    }
  }
`;
