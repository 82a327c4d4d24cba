import { css } from 'lit';

/** Shared look of the loading, error and empty states, and of a section heading. */
export const stateStyles = css`
  .state {
    display: grid;
    gap: 0.5rem;
    padding: 0.75rem 0;
    color: var(--_ehr-color-text);
  }
  .state p {
    margin: 0;
  }
  .state.empty {
    color: var(--_ehr-color-text-muted);
  }
  .state.error [role='alert'] {
    color: var(--_ehr-color-danger);
  }
  .state.error button {
    justify-self: start;
    font: inherit;
    padding: 0.25rem 0.75rem;
    border: 1px solid currentColor;
    border-radius: var(--_ehr-radius);
    background: var(--_ehr-color-surface);
    color: var(--_ehr-color-accent);
    cursor: pointer;
  }
  .state.error button:focus-visible {
    outline: 2px solid var(--_ehr-color-focus);
    outline-offset: 2px;
  }
  .bone {
    display: block;
    height: 0.9rem;
    border-radius: 0.25rem;
    background: var(--_ehr-color-surface-muted);
    animation: ehr-pulse 1.4s ease-in-out infinite;
  }
  .bone.short {
    width: 60%;
  }
  .progress {
    font-size: 0.8125rem;
    color: var(--_ehr-color-text-muted);
    font-variant-numeric: tabular-nums;
  }
  .freshness {
    margin: 0.5rem 0 0;
    font-size: 0.8125rem;
    color: var(--_ehr-color-text-muted);
  }
  .freshness.offline strong {
    color: var(--_ehr-color-warning);
  }
  .heading {
    font-weight: 600;
    font-size: 1rem;
    margin: 0 0 0.5rem;
  }
  @keyframes ehr-pulse {
    50% {
      opacity: 0.5;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .bone {
      animation: none;
    }
  }
  @media (forced-colors: active) {
    .bone {
      background: GrayText;
    }
  }
`;
