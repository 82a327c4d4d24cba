import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    --_background: var(--ehr-patient-banner-background, var(--_ehr-color-surface));
    --_color: var(--ehr-patient-banner-color, var(--_ehr-color-text));
    --_muted-color: var(--ehr-patient-banner-muted-color, var(--_ehr-color-text-muted));
    --_border: var(--ehr-patient-banner-border, 1px solid var(--_ehr-color-border));
    --_border-radius: var(--ehr-patient-banner-border-radius, var(--_ehr-radius));
    --_accent: var(--ehr-patient-banner-accent, var(--_ehr-color-accent));
    --_accent-contrast: var(--ehr-patient-banner-accent-contrast, var(--_ehr-color-accent-contrast));
    --_avatar-size: var(--ehr-patient-banner-avatar-size, 3.5rem);
    --_font-family: var(--ehr-patient-banner-font-family, var(--_ehr-font-family));
    --_font-size: var(--ehr-patient-banner-font-size, 0.875rem);
    --_name-font-size: var(--ehr-patient-banner-name-font-size, 1.25rem);
    --_padding: var(--ehr-patient-banner-padding, 0.75rem 1rem);
    --_badge-color: var(--ehr-patient-banner-badge-color, var(--_ehr-color-danger));
    --_badge-background: var(--ehr-patient-banner-badge-background, var(--_ehr-color-danger-surface));
    --_alert-color: var(--ehr-patient-banner-alert-color, var(--_ehr-color-danger));
    --_alert-background: var(--ehr-patient-banner-alert-background, var(--_ehr-color-danger-surface));
  }

  :host([layout='compact']) {
    --_avatar-size: var(--ehr-patient-banner-avatar-size, 1.75rem);
    --_name-font-size: var(--ehr-patient-banner-name-font-size, 1rem);
    --_padding: var(--ehr-patient-banner-padding, 0.375rem 0.75rem);
  }

  :host([hidden]) {
    display: none !important;
  }

  /* The frame every state shares, so the page does not jump from skeleton to banner. */
  .base {
    color-scheme: var(--_ehr-color-scheme);
    box-sizing: border-box;
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    align-items: start;
    gap: 0.25rem 0.875rem;
    min-block-size: calc(var(--_avatar-size) + 1.5rem);
    padding: var(--_padding);
    border: var(--_border);
    border-inline-start: 0.25rem solid var(--_accent);
    border-radius: var(--_border-radius);
    background: var(--_background);
    color: var(--_color);
    font-family: var(--_font-family);
    font-size: var(--_font-size);
    line-height: 1.4;
    container-type: inline-size;
  }

  .compact {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.75rem;
    min-block-size: 0;
  }

  .message {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
    min-block-size: 0;
  }

  p {
    margin: 0;
  }

  .content {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    min-inline-size: 0;
  }

  .headline {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.625rem;
  }

  .name {
    font-size: var(--_name-font-size);
    font-weight: 650;
    line-height: 1.25;
    overflow-wrap: anywhere;
  }

  .preferred {
    color: var(--_muted-color);
    overflow-wrap: anywhere;
  }

  /* Avatar: a photo, else initials on the accent colour, else a neutral silhouette. */
  .avatar {
    box-sizing: border-box;
    display: inline-grid;
    place-items: center;
    flex: none;
    inline-size: var(--_avatar-size);
    block-size: var(--_avatar-size);
    border-radius: 50%;
    overflow: hidden;
    background: var(--_ehr-color-surface-muted);
    color: var(--_muted-color);
    font-size: calc(var(--_avatar-size) * 0.38);
    font-weight: 600;
    line-height: 1;
    user-select: none;
  }

  img.avatar {
    object-fit: cover;
  }

  .avatar.initials {
    background: var(--_accent);
    color: var(--_accent-contrast);
  }

  .avatar svg {
    inline-size: 62%;
    block-size: 62%;
  }

  .details {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  /*
   * A middle dot between items that assistive technology does not read ("/ ''"). It ends an
   * item rather than starting the next, so a wrapped line never begins with a dot.
   */
  .details li:not(:last-child)::after {
    content: '·' / '';
    margin-inline-start: 0.5rem;
    color: var(--_muted-color);
  }

  .label {
    color: var(--_muted-color);
  }

  .pairs {
    display: flex;
    flex-wrap: wrap;
    gap: 0.125rem 1.25rem;
    margin: 0;
  }

  .pair {
    display: flex;
    align-items: baseline;
    gap: 0.375rem;
    min-inline-size: 0;
  }

  dt {
    color: var(--_muted-color);
    font-size: 0.8em;
    font-weight: 600;
  }

  dd {
    margin: 0;
    font-variant-numeric: tabular-nums;
    overflow-wrap: anywhere;
  }

  .mrn dd {
    font-weight: 600;
  }

  .badges {
    display: contents;
  }

  .badge {
    display: inline-flex;
    align-items: baseline;
    gap: 0.375rem;
    padding: 0.0625rem 0.5rem;
    border: 1px solid currentColor;
    border-radius: 999px;
    background: var(--_badge-background);
    color: var(--_badge-color);
    font-size: 0.8em;
    font-weight: 600;
    white-space: nowrap;
  }

  .badge.inactive {
    background: var(--_ehr-color-warning-surface);
    color: var(--_ehr-color-warning);
  }

  a {
    color: var(--_ehr-color-accent);
    text-underline-offset: 0.15em;
  }

  /* The allergy alert: colour, an icon and words, as a link or a button. */
  .allergy-line {
    display: flex;
  }

  .allergies {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0 0.25rem;
    min-block-size: 1.5rem;
    box-sizing: border-box;
    padding: 0.0625rem 0.625rem;
    border: 1px solid var(--_ehr-color-border);
    border-radius: 999px;
    background: transparent;
    color: var(--_muted-color);
    font: inherit;
    font-size: 0.9em;
    font-weight: 600;
    text-align: start;
    text-decoration: none;
    overflow-wrap: anywhere;
    cursor: pointer;
  }

  a.allergies:hover,
  button.allergies:hover {
    text-decoration: underline;
    text-underline-offset: 0.15em;
    background: transparent;
  }

  .allergies.danger {
    border-color: currentColor;
    background: var(--_alert-background);
    color: var(--_alert-color);
  }

  .allergies.danger:hover {
    background: var(--_alert-background);
  }

  .allergies.caution {
    border-color: currentColor;
    background: var(--_ehr-color-warning-surface);
    color: var(--_ehr-color-warning);
  }

  .allergies.caution:hover {
    background: var(--_ehr-color-warning-surface);
  }

  .allergies.known {
    color: var(--_color);
  }

  .allergies.pending {
    border: 0;
    padding: 0;
    cursor: default;
  }

  .allergies .substance {
    font-weight: 700;
  }

  .alert-icon {
    inline-size: 1.1em;
    block-size: 1.1em;
    flex: none;
  }

  .bone.line.allergy-bone {
    inline-size: 10rem;
  }

  a:focus-visible,
  button:focus-visible {
    outline: 2px solid var(--_ehr-color-focus);
    outline-offset: 2px;
  }

  .error-text {
    color: var(--_ehr-color-danger);
  }

  .message-title {
    font-weight: 600;
  }

  button {
    min-block-size: 2rem;
    padding: 0.25rem 0.875rem;
    border: 1px solid var(--_ehr-color-border);
    border-radius: 0.375rem;
    background: var(--_background);
    color: var(--_color);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }

  button:hover {
    background: var(--_ehr-color-surface-muted);
  }

  /* Retry beside "Allergies could not be loaded": the alert's height, not a full button's. */
  .allergy-retry {
    min-block-size: 1.5rem;
    margin-inline-start: 0.375rem;
    padding: 0 0.625rem;
    font-size: 0.85em;
  }

  /* Skeleton: the shape of the banner, shimmering unless motion is reduced. */
  .bone {
    display: block;
    border-radius: 0.25rem;
    background: linear-gradient(
        90deg,
        transparent 0%,
        color-mix(in srgb, var(--_background) 55%, transparent) 50%,
        transparent 100%
      )
      var(--_ehr-color-surface-muted);
    background-size: 200% 100%;
    background-repeat: no-repeat;
    animation: shimmer 1.6s ease-in-out infinite;
  }

  .bone.avatar {
    border-radius: 50%;
  }

  .bone.line {
    block-size: 0.8rem;
    inline-size: 16rem;
    max-inline-size: 100%;
  }

  .bone.line.title {
    block-size: 1.2rem;
    inline-size: 12rem;
  }

  .bone.line.short {
    inline-size: 9rem;
  }

  .compact .bone.line {
    inline-size: 8rem;
  }

  @keyframes shimmer {
    from {
      background-position: 150% 0;
    }
    to {
      background-position: -50% 0;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .bone {
      animation: none;
    }
  }

  /* Narrow containers (a sidebar, a phone): a smaller avatar, more room for the name. */
  @container (max-width: 24rem) {
    .avatar:not(.compact *) {
      inline-size: calc(var(--_avatar-size) * 0.75);
      block-size: calc(var(--_avatar-size) * 0.75);
    }
  }

  @media (forced-colors: active) {
    .base {
      border-inline-start-color: CanvasText;
    }
    .avatar,
    .badge,
    .allergies {
      border: 1px solid CanvasText;
    }
    .bone {
      forced-color-adjust: none;
      background: GrayText;
    }
    .error-text {
      color: CanvasText;
    }
  }
`;
