import { css } from 'lit';
import { clinicalListProperties } from '../shared/clinical-list.styles.js';

export const styles = [
  clinicalListProperties('condition-list'),
  css``,
];
