import { css } from 'lit';
import { clinicalListProperties } from '../shared/clinical-list.styles.js';

export const styles = [
  clinicalListProperties('immunization-list'),
  css`
    /* Grouped by vaccine, the vaccine's name is the group title: it reads as a name, not a label. */
    .vaccine > .group-title {
      color: var(--_color);
      font-size: 0.875rem;
      letter-spacing: 0;
    }

    .vaccine > .group-title .count {
      font-size: 0.8125rem;
    }

    .vaccine .list {
      padding-inline-start: 0.75rem;
      border-inline-start: 2px solid var(--_divider-color);
    }
  `,
];
