import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    --_background: var(--ehr-timeline-background, var(--_ehr-color-surface));
    --_color: var(--ehr-timeline-color, var(--_ehr-color-text));
    --_muted-color: var(--ehr-timeline-muted-color, var(--_ehr-color-text-muted));
    --_border: var(--ehr-timeline-border, 1px solid var(--_ehr-color-border));
    --_border-radius: var(--ehr-timeline-border-radius, var(--_ehr-radius));
    --_font-family: var(--ehr-timeline-font-family, var(--_ehr-font-family));
    --_font-size: var(--ehr-timeline-font-size, 0.875rem);
    --_padding: var(--ehr-timeline-padding, 0.75rem 1rem);
    --_height: var(--ehr-timeline-height, 32rem);
    --_rail-color: var(--ehr-timeline-rail-color, var(--_ehr-color-border));
    --_group-background: var(--ehr-timeline-group-background, var(--_ehr-color-surface-muted));
    --_accent: var(--ehr-timeline-accent, var(--_ehr-color-accent));
    --_selected-background: var(--ehr-timeline-selected-background, color-mix(in srgb, var(--_accent) 12%, var(--_background)));
    --_flag-color: var(--ehr-timeline-flag-color, var(--_ehr-color-danger));
    --_encounter-color: var(--ehr-timeline-encounter-color, light-dark(#0b5cad, #58a6ff));
    --_condition-color: var(--ehr-timeline-condition-color, light-dark(#7339c9, #bc9cf5));
    --_procedure-color: var(--ehr-timeline-procedure-color, light-dark(#8a5a00, #d9a441));
    --_immunization-color: var(--ehr-timeline-immunization-color, light-dark(#1a7f37, #4ac26b));
    --_medication-color: var(--ehr-timeline-medication-color, light-dark(#b0307b, #e57bb8));
    --_report-color: var(--ehr-timeline-report-color, light-dark(#0f6e66, #3cc9b8));
    --_document-color: var(--ehr-timeline-document-color, light-dark(#57606a, #9da7b3));
    --_allergy-color: var(--ehr-timeline-allergy-color, light-dark(#c4211f, #ff8182));
    --_observation-color: var(--ehr-timeline-observation-color, light-dark(#b04300, #f0883e));
    --_marker-size: 1.75rem;
  }

  :host([hidden]) {
    display: none !important;
  }

  .base {
    color-scheme: var(--_ehr-color-scheme);
    box-sizing: border-box;
    display: flex;
    flex-direction: column;
    gap: 0.625rem;
    padding: var(--_padding);
    border: var(--_border);
    border-radius: var(--_border-radius);
    background: var(--_background);
    color: var(--_color);
    font-family: var(--_font-family);
    font-size: var(--_font-size);
    line-height: 1.4;
  }

  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 1rem;
  }

  .header .heading {
    margin: 0;
    font-size: 1.0625rem;
  }

  .summary {
    margin: 0;
    color: var(--_muted-color);
    font-variant-numeric: tabular-nums;
  }

  p {
    margin: 0;
  }

  button,
  input,
  select {
    font: inherit;
    color: inherit;
  }

  button:focus-visible,
  input:focus-visible,
  select:focus-visible {
    outline: 2px solid var(--_ehr-color-focus);
    outline-offset: 2px;
  }

  /* Filters */

  .filters {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
  }

  .kinds {
    display: flex;
    flex-wrap: wrap;
    gap: 0.375rem;
  }

  .kind-toggle {
    display: inline-flex;
    align-items: center;
    gap: 0.375rem;
    min-block-size: 2rem;
    padding: 0.125rem 0.625rem 0.125rem 0.5rem;
    border: 1px dashed var(--_ehr-color-border);
    border-radius: 999px;
    background: var(--_background);
    color: var(--_muted-color);
    cursor: pointer;
  }

  .kind-toggle .icon {
    inline-size: 1rem;
    block-size: 1rem;
    opacity: 0.6;
  }

  /* Pressed: shown. Solid border and the kind's colour, so the state is not colour alone. */
  .kind-toggle[aria-pressed='true'] {
    border-style: solid;
    border-color: var(--_kind);
    background: color-mix(in srgb, var(--_kind) 10%, var(--_background));
    color: var(--_color);
  }

  .kind-toggle[aria-pressed='true'] .icon {
    color: var(--_kind);
    opacity: 1;
  }

  .kind-toggle .count {
    font-variant-numeric: tabular-nums;
    color: var(--_muted-color);
    font-size: 0.8125em;
  }

  .kind-toggle:hover {
    border-color: var(--_kind);
  }

  .fields {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.5rem 0.75rem;
  }

  .field {
    display: flex;
    flex-direction: column;
    gap: 0.125rem;
    min-inline-size: 0;
  }

  .field .label {
    font-size: 0.75rem;
    font-weight: 600;
    color: var(--_muted-color);
  }

  .search-field {
    flex: 1 1 14rem;
  }

  input,
  select {
    box-sizing: border-box;
    min-block-size: 2rem;
    padding: 0.25rem 0.5rem;
    border: 1px solid var(--_ehr-color-border);
    border-radius: 0.375rem;
    background: var(--_background);
  }

  .clear,
  .failure button {
    min-block-size: 2rem;
    padding: 0.25rem 0.75rem;
    border: 1px solid var(--_ehr-color-border);
    border-radius: 0.375rem;
    background: var(--_background);
    color: var(--_accent);
    font-weight: 600;
    cursor: pointer;
  }

  .clear:hover,
  .failure button:hover {
    background: var(--_ehr-color-surface-muted);
  }

  .failure button:disabled {
    cursor: progress;
    color: var(--_muted-color);
  }

  /* Per-type failures and notes */

  .failures {
    display: flex;
    flex-direction: column;
    gap: 0.375rem;
  }

  .failure {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.375rem 0.75rem;
    padding: 0.375rem 0.625rem;
    border-inline-start: 0.25rem solid var(--_ehr-color-danger);
    border-radius: 0.25rem;
    background: var(--_ehr-color-danger-surface);
  }

  .failure [role='alert'] {
    color: var(--_ehr-color-danger);
    flex: 1 1 16rem;
  }

  .note {
    color: var(--_muted-color);
    font-size: 0.8125rem;
  }

  .no-match .clear {
    justify-self: start;
  }

  /* The list: a scroller whose rows the virtualizer positions. */

  .list {
    block-size: var(--_height);
    overflow: auto;
    overscroll-behavior: contain;
    border-block-start: 1px solid var(--_ehr-color-border);
  }

  .row {
    box-sizing: border-box;
    inline-size: 100%;
  }

  .row.group:not(.encounter) {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.5rem;
    padding: 0.375rem 0.5rem;
    background: var(--_group-background);
    border-block-end: 1px solid var(--_ehr-color-border);
  }

  .group-title {
    font-weight: 650;
  }

  .group-count {
    color: var(--_muted-color);
    font-size: 0.75rem;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }

  .row.group.undated .group-title,
  .row.group.unlinked .group-title {
    font-style: italic;
  }

  .row.group.encounter {
    background: var(--_group-background);
    border-block-start: 1px solid var(--_ehr-color-border);
  }

  .row.group.encounter .title {
    font-weight: 650;
  }

  /* The rail joining the markers of consecutive events. */
  .row.event {
    position: relative;
  }

  .row.event::before {
    content: '';
    position: absolute;
    inset-block: 0;
    inset-inline-start: calc(0.5rem + var(--_marker-size) / 2 - 1px);
    border-inline-start: 2px solid var(--_rail-color);
  }

  .row.event.nested .item {
    padding-inline-start: 1.25rem;
  }

  .row.event.nested::before {
    inset-inline-start: calc(1.25rem + var(--_marker-size) / 2 - 1px);
  }

  .item {
    position: relative;
    box-sizing: border-box;
    display: grid;
    grid-template-columns: var(--_marker-size) minmax(0, 1fr) auto;
    grid-template-areas:
      'marker main when'
      'marker main badge';
    align-items: start;
    column-gap: 0.625rem;
    inline-size: 100%;
    margin: 0;
    padding: 0.4375rem 0.5rem;
    border: 0;
    border-radius: 0.25rem;
    background: transparent;
    text-align: start;
    cursor: pointer;
  }

  .item:hover {
    background: color-mix(in srgb, var(--_color) 5%, transparent);
  }

  .item:focus-visible {
    outline: 2px solid var(--_ehr-color-focus);
    outline-offset: -2px;
  }

  .item[aria-current='true'] {
    background: var(--_selected-background);
    box-shadow: inset 3px 0 0 var(--_accent);
  }

  .encounter {
    --_kind: var(--_encounter-color);
  }
  .condition {
    --_kind: var(--_condition-color);
  }
  .procedure {
    --_kind: var(--_procedure-color);
  }
  .immunization {
    --_kind: var(--_immunization-color);
  }
  .medication {
    --_kind: var(--_medication-color);
  }
  .report {
    --_kind: var(--_report-color);
  }
  .document {
    --_kind: var(--_document-color);
  }
  .allergy {
    --_kind: var(--_allergy-color);
  }
  .observation {
    --_kind: var(--_observation-color);
  }

  .kind-toggle[data-kind='encounter'] {
    --_kind: var(--_encounter-color);
  }
  .kind-toggle[data-kind='condition'] {
    --_kind: var(--_condition-color);
  }
  .kind-toggle[data-kind='procedure'] {
    --_kind: var(--_procedure-color);
  }
  .kind-toggle[data-kind='immunization'] {
    --_kind: var(--_immunization-color);
  }
  .kind-toggle[data-kind='medication'] {
    --_kind: var(--_medication-color);
  }
  .kind-toggle[data-kind='report'] {
    --_kind: var(--_report-color);
  }
  .kind-toggle[data-kind='document'] {
    --_kind: var(--_document-color);
  }
  .kind-toggle[data-kind='allergy'] {
    --_kind: var(--_allergy-color);
  }
  .kind-toggle[data-kind='observation'] {
    --_kind: var(--_observation-color);
  }

  .marker {
    grid-area: marker;
    position: relative;
    box-sizing: border-box;
    display: inline-grid;
    place-items: center;
    inline-size: var(--_marker-size);
    block-size: var(--_marker-size);
    border: 2px solid var(--_kind);
    border-radius: 50%;
    background: var(--_background);
    color: var(--_kind);
  }

  .marker .icon {
    inline-size: 0.9375rem;
    block-size: 0.9375rem;
  }

  .main {
    grid-area: main;
    display: flex;
    flex-direction: column;
    min-inline-size: 0;
  }

  .title {
    font-weight: 600;
    overflow-wrap: anywhere;
  }

  .meta {
    display: flex;
    flex-wrap: wrap;
    column-gap: 0.375rem;
    color: var(--_muted-color);
    font-size: 0.8125rem;
    overflow-wrap: anywhere;
  }

  /* A middle dot between parts that assistive technology does not read. */
  .meta > span:not(:last-child)::after {
    content: '·' / '';
    margin-inline-start: 0.375rem;
  }

  .meta .kind {
    color: var(--_kind);
    font-weight: 600;
  }

  .when {
    grid-area: when;
    display: flex;
    flex-direction: column;
    align-items: end;
    text-align: end;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }

  .date-label {
    color: var(--_muted-color);
    font-size: 0.6875rem;
    text-transform: uppercase;
    letter-spacing: 0.03em;
  }

  .date {
    font-size: 0.8125rem;
  }

  .badge {
    grid-area: badge;
    justify-self: end;
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
    margin-block-start: 0.125rem;
    padding: 0 0.4375rem;
    border: 1px solid currentColor;
    border-radius: 999px;
    font-size: 0.75rem;
    font-weight: 600;
    white-space: nowrap;
  }

  .badge.flag {
    color: var(--_flag-color);
    background: var(--_ehr-color-danger-surface);
  }

  .badge.flag.critical {
    background: var(--_flag-color);
    color: var(--_background);
  }

  .flag-icon {
    inline-size: 0.75rem;
    block-size: 0.75rem;
  }

  .badge.status {
    color: var(--_ehr-color-warning);
    background: var(--_ehr-color-warning-surface);
  }

  /* Narrow containers: the date goes under the title. */
  @container timeline (max-width: 30rem) {
    .item {
      grid-template-columns: var(--_marker-size) minmax(0, 1fr);
      grid-template-areas:
        'marker main'
        'marker when'
        'marker badge';
    }
    .when {
      flex-direction: row;
      gap: 0.375rem;
      align-items: baseline;
      justify-self: start;
    }
    .badge {
      justify-self: start;
    }
  }

  .base {
    container: timeline / inline-size;
  }

  @media (prefers-reduced-motion: no-preference) {
    .item,
    .kind-toggle {
      transition: background-color 120ms ease;
    }
  }

  @media (forced-colors: active) {
    .marker,
    .badge,
    .kind-toggle[aria-pressed='true'] {
      border-color: CanvasText;
    }
    .marker {
      color: CanvasText;
    }
    .item[aria-current='true'] {
      outline: 2px solid Highlight;
      outline-offset: -2px;
    }
    .badge.flag.critical {
      forced-color-adjust: none;
      background: CanvasText;
      color: Canvas;
    }
    .row.event::before {
      border-color: GrayText;
    }
    .failure {
      border: 1px solid CanvasText;
    }
  }
`;
