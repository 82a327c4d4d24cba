import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    container-type: inline-size;
    --_gap: var(--ehr-record-gap, 1rem);
    /* Each element frames itself; a section adds no frame unless the page asks for one. */
    --_section-background: var(--ehr-record-section-background, transparent);
    --_section-border: var(--ehr-record-section-border, none);
    --_section-padding: var(--ehr-record-section-padding, 0);
    color-scheme: var(--_ehr-color-scheme);
    font-family: var(--_ehr-font-family);
    color: var(--_ehr-color-text);
  }
  :host([hidden]) {
    display: none;
  }
  .notice {
    margin: 0;
    padding: 0.75rem 1rem;
    border: 1px solid var(--_ehr-color-border, currentColor);
    border-radius: 0.25rem;
  }
  .layout {
    display: grid;
    gap: var(--_gap);
    grid-template-columns: minmax(0, 1fr);
    grid-template-areas: 'banner' 'summary' 'main';
  }
  .banner {
    grid-area: banner;
  }
  .summary {
    grid-area: summary;
  }
  .main {
    grid-area: main;
  }
  .column {
    display: grid;
    gap: var(--_gap);
    align-content: start;
    min-width: 0;
  }
  section:empty {
    display: none;
  }
  section {
    background: var(--_section-background);
    border: var(--_section-border);
    border-radius: var(--_ehr-radius);
    padding: var(--_section-padding);
    min-width: 0;
  }
  /* Two columns on a wide container: the lists beside the charts and the timeline. */
  @container (min-width: 60rem) {
    .layout {
      grid-template-columns: minmax(18rem, 1fr) minmax(0, 2fr);
      grid-template-areas: 'banner banner' 'summary main';
    }
  }
`;
