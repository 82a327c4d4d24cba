import type { Preview } from '@storybook/web-components-vite';
import '@ehr-elements/elements/define.js';

const preview: Preview = {
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
  },
};
export default preview;
