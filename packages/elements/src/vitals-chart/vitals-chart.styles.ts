import { css } from 'lit';
import { frameProperties, frameStyles } from '../shared/frame.styles.js';

export const styles = css`
  ${frameProperties('vitals-chart')}
  ${frameStyles}

  :host {
    --_panel-height: var(--ehr-vitals-chart-panel-height, 11rem);
    --_panel-min-width: var(--ehr-vitals-chart-panel-min-width, 20rem);
    --_line-color: var(--ehr-vitals-chart-line-color, var(--_ehr-color-accent));
    --_systolic-color: var(--ehr-vitals-chart-systolic-color, light-dark(#b3261e, #ff8a80));
    --_diastolic-color: var(--ehr-vitals-chart-diastolic-color, var(--_ehr-color-accent));
    --_abnormal-color: var(--ehr-vitals-chart-abnormal-color, var(--_ehr-color-danger));
    --_range-color: var(--ehr-vitals-chart-range-color, light-dark(#1a7f37, #3fb950));
    --_grid-color: var(--ehr-vitals-chart-grid-color, var(--_ehr-color-border));
    --_axis-color: var(--ehr-vitals-chart-axis-color, var(--_ehr-color-text-muted));
    --_selected-background: var(--ehr-vitals-chart-selected-background, var(--_ehr-color-accent));
    --_selected-color: var(--ehr-vitals-chart-selected-color, var(--_ehr-color-accent-contrast));
  }

  .base {
    display: grid;
    gap: 0.75rem;
    container-type: inline-size;
  }

  .heading {
    margin: 0;
    font-size: 1rem;
    font-weight: 650;
  }

  /* The latest value of each vital, always readable as text. */
  .latest {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 10.5rem), 1fr));
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .latest li {
    display: grid;
    align-content: start;
    gap: 0.0625rem;
    padding: 0.4375rem 0.625rem;
    border: 1px solid var(--_ehr-color-border);
    border-radius: calc(var(--_border-radius) * 0.75);
    background: var(--_ehr-color-surface-muted);
  }

  .latest li.abnormal {
    border-color: var(--_abnormal-color);
  }

  .latest-label {
    color: var(--_muted-color);
    font-size: 0.8em;
    font-weight: 600;
  }

  .latest-value {
    font-size: 1.125rem;
    font-weight: 650;
    font-variant-numeric: tabular-nums;
  }

  .unit {
    color: var(--_muted-color);
    font-size: 0.75em;
    font-weight: 500;
  }

  .latest-date {
    color: var(--_muted-color);
    font-size: 0.8em;
  }

  .flag {
    display: inline-block;
    margin-inline-start: 0.25rem;
    padding: 0 0.3125rem;
    border: 1px solid currentColor;
    border-radius: 0.25rem;
    color: var(--_abnormal-color);
    font-size: 0.75rem;
    font-weight: 700;
    line-height: 1.35;
    vertical-align: 0.1em;
  }

  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
  }

  .range-text {
    color: var(--_muted-color);
    font-variant-numeric: tabular-nums;
  }

  .toolbar .view {
    margin-inline-start: auto;
  }

  .segmented {
    display: inline-flex;
    border: 1px solid var(--_ehr-color-border);
    border-radius: 0.375rem;
    overflow: hidden;
  }

  .segmented button {
    min-block-size: 2rem;
    min-inline-size: 2.75rem;
    padding: 0.25rem 0.75rem;
    border: 0;
    border-inline-start: 1px solid var(--_ehr-color-border);
    background: var(--_background);
    color: var(--_color);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }

  .segmented button:first-child {
    border-inline-start: 0;
  }

  .segmented button:hover {
    background: var(--_ehr-color-surface-muted);
  }

  .segmented button[aria-pressed='true'] {
    background: var(--_selected-background);
    color: var(--_selected-color);
  }

  button:focus-visible {
    outline: 2px solid var(--_ehr-color-focus);
    outline-offset: -2px;
  }

  .notice {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
    padding: 0.5rem 0.75rem;
    border-radius: 0.375rem;
    background: var(--_ehr-color-warning-surface);
    color: var(--_ehr-color-warning);
  }

  .notice.error {
    background: var(--_ehr-color-danger-surface);
    color: var(--_ehr-color-danger);
  }

  .notice button,
  .pager button,
  .panel-message button {
    min-block-size: 1.75rem;
    padding: 0.125rem 0.625rem;
    border: 1px solid currentColor;
    border-radius: 0.375rem;
    background: var(--_background);
    color: inherit;
    font: inherit;
    cursor: pointer;
  }

  .panels {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, var(--_panel-min-width)), 1fr));
    gap: 1rem;
  }

  figure {
    display: grid;
    gap: 0.25rem;
    margin: 0;
    min-inline-size: 0;
  }

  figcaption {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.75rem;
    font-weight: 600;
  }

  .legend {
    display: inline-flex;
    gap: 0.75rem;
    color: var(--_muted-color);
    font-size: 0.85em;
    font-weight: 500;
  }

  .swatch {
    display: inline-block;
    inline-size: 0.75rem;
    block-size: 0.1875rem;
    margin-inline-end: 0.25rem;
    border-radius: 1px;
    vertical-align: middle;
  }

  .swatch.systolic {
    background: var(--_systolic-color);
  }

  .swatch.diastolic {
    background: var(--_diastolic-color);
  }

  .plot {
    position: relative;
    block-size: var(--_panel-height);
    min-inline-size: 0;
  }

  .plot canvas {
    display: block;
  }

  .panel-message {
    position: absolute;
    inset: 0;
    display: grid;
    place-content: center;
    justify-items: center;
    gap: 0.375rem;
    color: var(--_muted-color);
    text-align: center;
  }

  .plot .bone {
    block-size: 100%;
    border-radius: 0.375rem;
  }

  .undated {
    color: var(--_muted-color);
    font-size: 0.85em;
  }

  /* Table view */
  .tables {
    display: grid;
    gap: 1.25rem;
  }

  .table-wrap {
    overflow-x: auto;
  }

  table {
    inline-size: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }

  caption {
    padding-block-end: 0.375rem;
    font-weight: 600;
    text-align: start;
  }

  .caption-detail {
    color: var(--_muted-color);
    font-weight: 400;
  }

  th,
  td {
    padding: 0.3125rem 0.75rem 0.3125rem 0;
    border-block-end: 1px solid var(--_ehr-color-border);
    text-align: start;
    vertical-align: baseline;
  }

  thead th {
    color: var(--_muted-color);
    font-size: 0.85em;
    font-weight: 600;
  }

  tbody th {
    font-weight: 500;
    white-space: nowrap;
  }

  td.number {
    white-space: nowrap;
  }

  .recorded,
  .absent {
    color: var(--_muted-color);
    font-size: 0.85em;
  }

  .pager {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    padding-block-start: 0.375rem;
    color: var(--_muted-color);
  }

  .pager button:disabled {
    opacity: 0.5;
    cursor: default;
  }

  /* Colour probes: the chart reads its colours from these (computed, so light-dark() and forced colours resolve). */
  .probes {
    display: none;
  }
  .probe-line {
    color: var(--_line-color);
  }
  .probe-systolic {
    color: var(--_systolic-color);
  }
  .probe-diastolic {
    color: var(--_diastolic-color);
  }
  .probe-abnormal {
    color: var(--_abnormal-color);
  }
  .probe-range {
    color: var(--_range-color);
  }
  .probe-grid {
    color: var(--_grid-color);
  }
  .probe-text {
    color: var(--_axis-color);
  }
  .probe-surface {
    color: var(--_background);
  }

  @media (prefers-reduced-motion: reduce) {
    .bone {
      animation: none;
    }
  }

  @media (forced-colors: active) {
    .probes * {
      forced-color-adjust: none;
    }
    .probe-line,
    .probe-systolic,
    .probe-text {
      color: CanvasText;
    }
    .probe-diastolic {
      color: LinkText;
    }
    .probe-abnormal {
      color: Highlight;
    }
    .probe-range,
    .probe-grid {
      color: GrayText;
    }
    .probe-surface {
      color: Canvas;
    }
    .segmented button[aria-pressed='true'] {
      forced-color-adjust: none;
      background: Highlight;
      color: HighlightText;
    }
    .flag,
    .latest li.abnormal {
      border-color: CanvasText;
      color: CanvasText;
    }
    .swatch {
      forced-color-adjust: none;
    }
    .swatch.systolic {
      background: CanvasText;
    }
    .swatch.diastolic {
      background: LinkText;
    }
  }
`;
