// Rules of the architecture that a reviewer would otherwise check by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true })
    .map(String)
    .filter((name) => /\.(ts|js|mjs)$/.test(name))
    .map((name) => join(root, dir, name));
}

const importsOf = (file: string, module: RegExp) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)]
    .map((match) => match[1])
    .filter((specifier) => module.test(specifier));

describe('architecture', () => {
  it('imports fhirclient in exactly one module, in packages/core/src/smart', () => {
    const importers = ['packages/core/src', 'packages/elements/src']
      .flatMap(sources)
      .filter((file) => importsOf(file, /^fhirclient(\/|$)/).length > 0)
      .map((file) => relative(root, file));
    assert.deepEqual(importers, ['packages/core/src/smart/launch.ts']);
  });

  it('keeps the DOM-free core free of Lit and of the elements', () => {
    const offenders = sources('packages/core/src').filter(
      (file) => importsOf(file, /^(lit|@lit\/|@ehr-elements\/elements)/).length > 0,
    );
    assert.deepEqual(offenders, []);
  });

  it('never imports the sandbox from core or elements', () => {
    const offenders = ['packages/core/src', 'packages/elements/src']
      .flatMap(sources)
      .filter((file) => importsOf(file, /sandbox/).length > 0);
    assert.deepEqual(offenders, []);
  });

  it('loads the SMART module only through a dynamic import in the elements', () => {
    for (const file of sources('packages/elements/src')) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /from\s+['"]@ehr-elements\/core\/smart['"]/, relative(root, file));
    }
  });
});
