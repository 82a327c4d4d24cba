import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import '@ehr-elements/elements/define.js';
// The custom-elements manifest (`npm run analyze`, from the elements' JSDoc): the Docs pages
// and controls list every attribute, property, event, part and custom property.
import manifest from '../packages/elements/custom-elements.json';

setCustomElementsManifest(manifest);

const preview: Preview = {
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
  },
};
export default preview;
