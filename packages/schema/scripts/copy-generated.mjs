#!/usr/bin/env node
// Post-build step: tsc does not copy non-TypeScript files, so copy
//   src/generated/*.{js,d.ts}  → dist/generated/   (the static protobufjs code the codecs import)
//   proto/**/*.proto           → dist/proto/        (the schema, for `tributary-schema check-compat` and registries)
import { cpSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
cpSync(join(packageRoot, 'src', 'generated'), join(packageRoot, 'dist', 'generated'), { recursive: true });
cpSync(join(packageRoot, 'proto'), join(packageRoot, 'dist', 'proto'), { recursive: true });
