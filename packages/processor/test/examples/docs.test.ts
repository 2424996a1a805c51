import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * docs/writing-a-job.md and docs/examples/*.md show only code that compiles: every ```ts block is an excerpt of an
 * example or of its tests — which the package typechecks, lints and runs — with the imports a user writes
 * (`@tributary/processor` for the package's src, `./job.js` for the example's job). Whitespace and trailing commas are not
 * compared (the formatter re-indents an excerpt and joins short imports).
 */
const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOCS = resolve(PACKAGE, '../../docs');
const PAGES = ['writing-a-job.md', ...readdirSync(join(DOCS, 'examples')).map((f) => `examples/${f}`)];

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/** The source as a user's project spells its imports. */
const asUserWrites = (source: string): string =>
  source
    .replaceAll("'../../src/index.js'", "'@tributary/processor'")
    .replaceAll("'../../src/testing/index.js'", "'@tributary/processor/testing'")
    .replace(/'\.\.\/\.\.\/examples\/[a-z-]+\/job\.js'/g, "'./job.js'");

const tokens = (code: string): string => code.replace(/\s+/g, '').replace(/,([}\])])/g, '$1');

const SOURCES = [...files(join(PACKAGE, 'examples')), ...files(join(PACKAGE, 'test/examples'))].map((path) =>
  tokens(asUserWrites(readFileSync(path, 'utf8'))),
);

describe.each(PAGES)('docs/%s', (page) => {
  const text = readFileSync(join(DOCS, page), 'utf8');
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('has TypeScript blocks, each an excerpt of an example or its tests', () => {
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks)
      expect(
        SOURCES.some((source) => source.includes(tokens(block))),
        `not an excerpt of packages/processor/examples or test/examples:\n${block}`,
      ).toBe(true);
  });

  it('links only to files that exist', () => {
    const base = dirname(join(DOCS, page));
    for (const [, target] of text.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      expect(existsSync(resolve(base, target!)), target).toBe(true);
    }
  });
});

describe('the guide is linked from the processor README', () => {
  it('names docs/writing-a-job.md and every example page', () => {
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    for (const page of PAGES) expect(readme).toContain(`../../docs/${page}`);
  });
});
