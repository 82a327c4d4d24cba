import { css } from 'lit';

/**
 * The look of `<ehr-lab-results>` inside the shared frame (frame.styles.ts): each panel a
 * `<details>` whose summary names the panel, its date and its flags, and whose body is a
 * results table with a sparkline per analyte. Every colour is a documented custom property
 * read through its private twin, falling back to the global tokens.
 */
export const styles = css`
  :host {
    --_divider-color: var(--ehr-lab-results-divider-color, var(--_ehr-color-border));
    --_header-background: var(--ehr-lab-results-header-background, var(--_ehr-color-surface-muted));
    --_abnormal-color: var(--ehr-lab-results-abnormal-color, var(--_ehr-color-danger));
    --_critical-color: var(--ehr-lab-results-critical-color, var(--_ehr-color-danger));
    --_critical-background: var(--ehr-lab-results-critical-background, var(--_ehr-color-danger-surface));
    --_status-color: var(--ehr-lab-results-status-color, var(--_ehr-color-warning));
    --_status-background: var(--ehr-lab-results-status-background, var(--_ehr-color-warning-surface));
    --_trend-color: var(--ehr-lab-results-trend-color, var(--_ehr-color-accent));
    --_range-band: var(--ehr-lab-results-range-band, var(--_ehr-color-surface-muted));
    --_link-color: var(--ehr-lab-results-link-color, var(--_ehr-color-accent));
  }

  .top {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.25rem 1rem;
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

  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.5rem;
    color: var(--_muted-color);
    font-size: 0.8125rem;
  }

  .text-button {
    margin: 0;
    padding: 0.125rem 0.25rem;
    border: 0;
    border-radius: 0.25rem;
    background: none;
    color: var(--_link-color);
    font: inherit;
    cursor: pointer;
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }

  /* Panels */
  .panel {
    border-block-start: 1px solid var(--_divider-color);
  }

  .panel:first-of-type {
    border-block-start: 0;
  }

  .panel > summary {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.75rem;
    padding: 0.5rem 0.25rem;
    cursor: pointer;
    list-style: none;
    border-radius: 0.25rem;
  }

  .panel > summary::-webkit-details-marker {
    display: none;
  }

  /* A chevron that turns when the panel opens; CSS only, so the summary keeps its native semantics. */
  .panel > summary::before {
    content: '' / '';
    align-self: center;
    flex: none;
    inline-size: 0.45em;
    block-size: 0.45em;
    border-inline-end: 2px solid currentColor;
    border-block-end: 2px solid currentColor;
    transform: rotate(-45deg);
    transition: transform 120ms ease-out;
    color: var(--_muted-color);
  }

  .panel[open] > summary::before {
    transform: rotate(45deg);
  }

  .panel-title {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 0.5rem;
    flex: 1 1 16rem;
    min-inline-size: 0;
  }

  .panel-name {
    font-weight: 650;
    overflow-wrap: anywhere;
  }

  .panel-date {
    color: var(--_muted-color);
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }

  .badges {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.375rem;
  }

  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.2rem;
    padding: 0 0.45rem;
    border: 1px solid transparent;
    border-radius: 999px;
    background: var(--_header-background);
    color: var(--_muted-color);
    font-size: 0.75rem;
    font-weight: 600;
    line-height: 1.5;
    white-space: nowrap;
  }

  .badge.status {
    background: var(--_status-background);
    color: var(--_status-color);
  }

  .badge.abnormal {
    border-color: currentColor;
    background: var(--_background);
    color: var(--_abnormal-color);
  }

  .badge.critical {
    background: var(--_critical-background);
    color: var(--_critical-color);
    border-color: currentColor;
  }

  .panel-body {
    padding: 0 0 0.75rem;
  }

  .panel-meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.5rem;
    margin: 0 0 0.375rem;
    padding: 0;
    list-style: none;
    color: var(--_muted-color);
    font-size: 0.8125rem;
  }

  .panel-meta li:not(:last-child)::after {
    content: '·' / '';
    margin-inline-start: 0.5rem;
  }

  /* Tables: fixed columns, so the panels line up one under another. */
  table {
    inline-size: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }

  table[part~='table'] {
    table-layout: fixed;
  }

  .col-test {
    inline-size: 30%;
  }

  .col-result {
    inline-size: 19%;
  }

  .col-flag {
    inline-size: 17%;
  }

  .col-range {
    inline-size: 20%;
  }

  .col-trend {
    inline-size: 7rem;
  }

  th,
  td {
    padding: 0.3125rem 0.5rem;
    border-block-start: 1px solid var(--_divider-color);
    text-align: start;
    vertical-align: top;
  }

  thead th {
    border-block-start: 0;
    background: var(--_header-background);
    color: var(--_muted-color);
    font-size: 0.75rem;
    font-weight: 650;
    white-space: nowrap;
  }

  thead th:first-child {
    border-start-start-radius: 0.25rem;
    border-end-start-radius: 0.25rem;
  }

  thead th:last-child {
    border-start-end-radius: 0.25rem;
    border-end-end-radius: 0.25rem;
  }

  .section-row th {
    padding-block-start: 0.5rem;
    color: var(--_muted-color);
    font-size: 0.8125rem;
    font-weight: 650;
  }

  .test {
    font-weight: 400;
    min-inline-size: 8rem;
  }

  .analyte {
    margin: 0;
    padding: 0;
    border: 0;
    border-radius: 0.125rem;
    background: none;
    color: var(--_color);
    font: inherit;
    font-weight: 600;
    text-align: start;
    overflow-wrap: break-word;
    hyphens: auto;
    cursor: pointer;
  }

  .analyte:hover {
    color: var(--_link-color);
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }

  .analyte[aria-expanded='true'] {
    color: var(--_link-color);
  }

  .analyte.uncoded {
    font-style: italic;
  }

  .sub {
    display: block;
    color: var(--_muted-color);
    font-size: 0.8125rem;
    overflow-wrap: anywhere;
  }

  .test .badge {
    margin-inline-start: 0.375rem;
  }

  .value {
    white-space: nowrap;
  }

  .value .unit {
    color: var(--_muted-color);
  }

  .value.wrap {
    white-space: normal;
    overflow-wrap: anywhere;
  }

  .value.absent {
    color: var(--_muted-color);
    font-style: italic;
  }

  .row.abnormal .value {
    color: var(--_abnormal-color);
    font-weight: 650;
  }

  .row.critical > * {
    background: var(--_critical-background);
  }

  .row.critical > :first-child {
    box-shadow: inset 3px 0 0 var(--_critical-color);
  }

  .row.critical .value {
    color: var(--_critical-color);
    font-weight: 750;
  }

  .row.cancelled .value {
    text-decoration: line-through;
  }

  .flag {
    display: inline-flex;
    align-items: center;
    gap: 0.2rem;
    white-space: nowrap;
    font-weight: 650;
  }

  .flag.abnormal {
    color: var(--_abnormal-color);
  }

  .flag.critical {
    color: var(--_critical-color);
    font-weight: 750;
    text-transform: none;
  }

  .flag.other {
    color: var(--_color);
    font-weight: 500;
  }

  .flag-icon {
    inline-size: 1em;
    block-size: 1em;
    flex: none;
  }

  .derived {
    display: block;
    color: var(--_muted-color);
    font-size: 0.75rem;
    font-weight: 400;
  }

  .range {
    color: var(--_muted-color);
    overflow-wrap: anywhere;
  }

  .range .qualifier {
    display: block;
    font-size: 0.75rem;
  }

  .trend {
    padding-block: 0.125rem;
    vertical-align: middle;
  }

  .no-trend {
    color: var(--_muted-color);
  }

  .sparkline {
    display: block;
    inline-size: 100%;
    max-inline-size: 96px;
    block-size: auto;
    overflow: visible;
  }

  .sparkline .band {
    fill: var(--_range-band);
  }

  .sparkline .line {
    fill: none;
    stroke: var(--_trend-color);
    stroke-width: 1.5;
    stroke-linejoin: round;
    stroke-linecap: round;
    vector-effect: non-scaling-stroke;
  }

  .sparkline .latest {
    fill: var(--_color);
  }

  .sparkline .latest.outside {
    fill: var(--_abnormal-color);
  }

  .sparkline .current {
    fill: var(--_background);
    stroke: var(--_color);
    stroke-width: 1.25;
  }

  /* History of one analyte, under its row */
  .history-row > td {
    padding: 0.25rem 0.5rem 0.75rem 1.25rem;
    border-block-start: 0;
  }

  .history {
    display: grid;
    gap: 0.375rem;
    padding: 0.5rem 0.75rem;
    border-inline-start: 3px solid var(--_trend-color);
    border-radius: 0.25rem;
    background: var(--_header-background);
  }

  .history caption {
    text-align: start;
    font-weight: 650;
    padding-block-end: 0.25rem;
    caption-side: top;
  }

  .history th,
  .history td {
    border-color: var(--_divider-color);
    background: transparent;
    font-size: 0.8125rem;
  }

  .history thead th {
    background: transparent;
  }

  .history tbody th {
    font-weight: 500;
    white-space: nowrap;
  }

  .history tr[aria-current='true'] > * {
    font-weight: 700;
  }

  .history .gaps {
    margin: 0;
    padding-inline-start: 1.25rem;
    color: var(--_muted-color);
    font-size: 0.8125rem;
  }

  .attachments {
    margin-block-start: 0.5rem;
  }

  .attachments-heading {
    margin: 0;
  }

  .attachments ul {
    margin: 0.25rem 0 0;
    padding-inline-start: 1.25rem;
  }

  .attachments a {
    color: var(--_link-color);
  }

  .attachment-meta {
    color: var(--_muted-color);
    font-size: 0.8125rem;
  }

  .attachment-text {
    margin: 0.25rem 0 0;
    max-block-size: 20rem;
    overflow: auto;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    font: inherit;
  }

  .conclusion {
    margin-block-start: 0.5rem;
    overflow-wrap: anywhere;
  }

  .notice,
  .legend {
    margin: 0.5rem 0 0;
    color: var(--_muted-color);
    font-size: 0.8125rem;
  }

  .legend-band {
    display: inline-block;
    inline-size: 1.25em;
    block-size: 0.75em;
    vertical-align: -0.05em;
    background: var(--_range-band);
    border-radius: 0.125rem;
  }

  .legend-dot {
    display: inline-block;
    inline-size: 0.5em;
    block-size: 0.5em;
    border-radius: 50%;
    background: var(--_color);
    vertical-align: 0.05em;
  }

  .more {
    margin-block-start: 0.5rem;
  }

  .more button {
    font: inherit;
    padding: 0.25rem 0.75rem;
    border: 1px solid var(--_divider-color);
    border-radius: var(--_ehr-radius);
    background: var(--_background);
    color: var(--_link-color);
    cursor: pointer;
  }

  .warning-box {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
    margin: 0.25rem 0 0.5rem;
    padding: 0.5rem 0.75rem;
    border-inline-start: 3px solid var(--_status-color);
    border-radius: 0.25rem;
    background: var(--_status-background);
    color: var(--_color);
  }

  .warning-box strong {
    color: var(--_status-color);
  }

  .warning-box button {
    font: inherit;
    padding: 0.125rem 0.75rem;
    border: 1px solid currentColor;
    border-radius: var(--_ehr-radius);
    background: var(--_background);
    color: var(--_link-color);
    cursor: pointer;
  }

  .analyte:focus-visible,
  summary:focus-visible,
  .text-button:focus-visible,
  .more button:focus-visible,
  .warning-box button:focus-visible {
    outline: 2px solid var(--_ehr-color-focus);
    outline-offset: 2px;
  }

  /* Narrow containers: the reference range goes under the result, the trend stays. */
  @container (max-width: 34rem) {
    .range-column {
      display: none;
    }
    .col-test {
      inline-size: 36%;
    }
    .col-result {
      inline-size: 28%;
    }
    .col-flag {
      inline-size: 22%;
    }
    .col-trend {
      inline-size: 4.5rem;
    }
    .value .range-inline {
      display: block;
    }
  }

  .range-inline {
    display: none;
    color: var(--_muted-color);
    font-size: 0.75rem;
    font-weight: 400;
    white-space: normal;
  }

  .panels {
    container-type: inline-size;
  }

  @media (prefers-reduced-motion: reduce) {
    .panel > summary::before {
      transition: none;
    }
  }

  @media (forced-colors: active) {
    .badge,
    .flag.critical {
      border: 1px solid CanvasText;
    }
    .badge.critical,
    .flag.critical {
      border-width: 2px;
    }
    /* Shadows are dropped in forced colours: a critical row keeps a real border. */
    .row.critical > :first-child {
      box-shadow: none;
      border-inline-start: 4px solid CanvasText;
    }
    .analyte {
      color: LinkText;
    }
    .sparkline .line {
      stroke: CanvasText;
    }
    .sparkline .band {
      fill: GrayText;
      fill-opacity: 0.35;
    }
    .sparkline .latest,
    .sparkline .latest.outside {
      fill: Highlight;
    }
    .sparkline .current {
      fill: Canvas;
      stroke: CanvasText;
    }
    .legend-band {
      background: GrayText;
    }
    .legend-dot {
      background: Highlight;
    }
    .history {
      border: 1px solid CanvasText;
    }
    .warning-box {
      border: 1px solid CanvasText;
    }
    .warning-box strong {
      color: CanvasText;
    }
  }
`;
