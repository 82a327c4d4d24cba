import { css } from 'lit';

export const styles = css`
  :host {
    display: contents;
    --_error-color: var(--ehr-context-error-color, var(--_ehr-color-danger));
    --_error-background: var(--ehr-context-error-background, var(--_ehr-color-danger-surface));
  }

  [part='error'] {
    color-scheme: var(--_ehr-color-scheme);
    display: block;
    margin: 0 0 0.75rem;
    padding: 0.75rem 1rem;
    border: 1px solid currentColor;
    border-radius: var(--_ehr-radius);
    background: var(--_error-background);
    color: var(--_error-color);
    font-family: var(--_ehr-font-family);
    font-size: 0.9375rem;
    line-height: 1.4;
  }

  .title {
    font-weight: 600;
  }
`;
