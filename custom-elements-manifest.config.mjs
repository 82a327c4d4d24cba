// `npm run analyze`: the custom-elements manifest of @ehr-elements/elements, from the
// elements' JSDoc (@tag, @fires, @slot, @csspart, @cssprop). Storybook's Docs pages and
// controls read it; so do IDEs and framework wrappers.
export default {
  globs: ['packages/elements/src/**/*.ts'],
  exclude: ['**/*.styles.ts'],
  outdir: 'packages/elements',
  litelement: true,
  plugins: [
    {
      // Private and protected members are implementation, not API: keep them out of the docs.
      name: 'public-api-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules ?? []) {
          for (const declaration of module.declarations ?? []) {
            if (!declaration.members) continue;
            declaration.members = declaration.members.filter(
              (member) => member.privacy !== 'private' && member.privacy !== 'protected' && !String(member.name).startsWith('#'),
            );
          }
        }
      },
    },
  ],
};
