import { css } from 'lit';
import { frameProperties, frameStyles } from '../shared/frame.styles.js';

export const styles = css`
  ${frameProperties('allergy-list')}
  ${frameStyles}

  :host {
    --_item-gap: var(--ehr-allergy-list-item-gap, 0.5rem);
    --_danger-color: var(--ehr-allergy-list-danger-color, var(--_ehr-color-danger));
    --_danger-background: var(--ehr-allergy-list-danger-background, var(--_ehr-color-danger-surface));
    --_caution-color: var(--ehr-allergy-list-caution-color, var(--_ehr-color-warning));
    --_caution-background: var(--ehr-allergy-list-caution-background, var(--_ehr-color-warning-surface));
  }

  .base:focus {
    outline: none;
  }

  .base:focus-visible {
    outline: 2px solid var(--_ehr-color-focus);
    outline-offset: 2px;
  }

  .count {
    color: var(--_muted-color);
    font-weight: 500;
  }

  .icon {
    flex: none;
    inline-size: 1.1em;
    block-size: 1.1em;
    vertical-align: -0.15em;
  }

  /* The life-threatening summary: the first thing read after the heading. */
  .alert-summary {
    display: flex;
    align-items: flex-start;
    gap: 0.5rem;
    margin-block-end: 0.75rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid currentColor;
    border-radius: calc(var(--_border-radius) * 0.75);
    background: var(--_danger-background);
    color: var(--_danger-color);
    overflow-wrap: anywhere;
  }

  .list {
    display: grid;
    gap: var(--_item-gap);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .item {
    position: relative;
    display: grid;
    gap: 0.25rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_ehr-color-border);
    border-inline-start: 0.25rem solid var(--_ehr-color-border);
    border-radius: calc(var(--_border-radius) * 0.75);
    min-inline-size: 0;
    /*
     * Items below the fold are neither laid out nor painted until they come near the
     * viewport (they stay in the accessibility tree and find-in-page): a 50-allergy list
     * costs the layout of the few items on screen. \`auto\` remembers each item's real size
     * once seen, so the scrollbar does not jump.
     */
    content-visibility: auto;
    contain-intrinsic-size: auto 4.5rem;
  }

  .item.life-threatening {
    border-inline-start-color: var(--_danger-color);
    background: var(--_danger-background);
  }

  .item.caution {
    border-inline-start-color: var(--_caution-color);
  }

  .item:hover {
    border-color: var(--_muted-color);
  }

  .item.life-threatening:hover {
    border-color: var(--_danger-color);
  }

  .item-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.5rem;
  }

  .item.life-threatening .item-head > .icon {
    color: var(--_danger-color);
  }

  /*
   * The substance is the item's button; its ::after stretches over the whole card so a
   * click anywhere on it selects the allergy, while keyboard and screen reader users get
   * one focusable, well-named control per item.
   */
  .substance {
    all: unset;
    font-weight: 650;
    font-size: 1.05em;
    cursor: pointer;
    overflow-wrap: anywhere;
    border-radius: 0.25rem;
  }

  .substance::after {
    content: '';
    position: absolute;
    inset: 0;
    border-radius: inherit;
  }

  .substance:hover {
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }

  .substance:focus-visible {
    outline: 2px solid var(--_ehr-color-focus);
    outline-offset: 2px;
  }

  .refuted .substance s {
    text-decoration-thickness: 1.5px;
  }

  .badges {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 0.25rem;
  }

  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
    padding: 0 0.5rem;
    border: 1px solid var(--_ehr-color-border);
    border-radius: 999px;
    color: var(--_muted-color);
    font-size: 0.8em;
    font-weight: 600;
    white-space: nowrap;
  }

  .badge.danger {
    border-color: currentColor;
    background: var(--_background);
    color: var(--_danger-color);
  }

  .badge.caution {
    border-color: currentColor;
    background: var(--_caution-background);
    color: var(--_caution-color);
  }

  .reactions {
    display: grid;
    gap: 0.125rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .severity {
    font-weight: 600;
  }

  .severity.severe {
    color: var(--_danger-color);
  }

  .description,
  .note {
    color: var(--_muted-color);
    overflow-wrap: anywhere;
  }

  .details {
    display: flex;
    flex-wrap: wrap;
    gap: 0 1rem;
    margin: 0;
    color: var(--_muted-color);
    font-size: 0.9em;
  }

  .details div {
    display: flex;
    gap: 0.25rem;
    min-inline-size: 0;
  }

  .details dd {
    margin: 0;
    overflow-wrap: anywhere;
  }

  .history {
    margin-block-start: 0.75rem;
  }

  .history > summary {
    inline-size: fit-content;
    padding: 0.125rem 0.25rem;
    border-radius: 0.25rem;
    color: var(--_ehr-color-accent);
    font-weight: 600;
    cursor: pointer;
  }

  .history > summary:focus-visible {
    outline: 2px solid var(--_ehr-color-focus);
    outline-offset: 2px;
  }

  .history > .list {
    margin-block-start: 0.5rem;
  }

  .history .item {
    color: var(--_muted-color);
  }

  .no-known {
    display: flex;
    align-items: flex-start;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_ehr-color-border);
    border-inline-start: 0.25rem solid var(--_ehr-color-accent);
    border-radius: calc(var(--_border-radius) * 0.75);
  }

  .no-known .icon {
    color: var(--_ehr-color-accent);
  }

  .no-known-title {
    font-weight: 650;
  }

  .meta,
  .source,
  .also,
  .unknown {
    color: var(--_muted-color);
  }

  .also,
  .source,
  .unknown {
    margin-block-start: 0.5rem;
    font-size: 0.9em;
  }

  .conflict,
  .incomplete {
    margin-block: 0 0.75rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid currentColor;
    border-radius: calc(var(--_border-radius) * 0.75);
    background: var(--_caution-background);
    color: var(--_caution-color);
  }

  .empty-active {
    color: var(--_muted-color);
  }

  @media (forced-colors: active) {
    .item,
    .item.life-threatening,
    .item.caution,
    .badge,
    .alert-summary,
    .no-known,
    .conflict,
    .incomplete {
      border-color: CanvasText;
    }
    .item.life-threatening {
      border-inline-start-width: 0.375rem;
    }
    .substance:focus-visible,
    .history > summary:focus-visible {
      outline-color: Highlight;
    }
  }

  .history-note {
    margin-block: 0.5rem 0;
    color: var(--_muted-color);
    font-size: 0.9em;
  }
`;
