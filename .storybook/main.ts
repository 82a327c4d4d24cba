import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  // Docs pages from the custom-elements manifest: attributes, properties, events, parts, CSS properties.
  addons: ['@storybook/addon-docs'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // Vite options of its own: the examples' vite.config.ts has another root.
  viteFinal: async (viteConfig) => ({
    ...viteConfig,
    define: { ...viteConfig.define, FHIRCLIENT_PURE: 'true' },
  }),
};
export default config;
