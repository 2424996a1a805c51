#!/usr/bin/env node
// tsc does not copy the generated .js/.d.ts pair; this copies src/generated into dist/generated after the build.
import { cpSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
cpSync(join(packageRoot, 'src', 'generated'), join(packageRoot, 'dist', 'generated'), {
  recursive: true,
  filter: (source) => !source.endsWith('.md'),
});
