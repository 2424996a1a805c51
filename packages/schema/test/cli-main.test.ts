import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeClickstreamEvent } from '../src/clickstream-event.js';
import { runCli } from '../src/cli-main.js';
import { encodeRegistryFrame } from '../src/registry-frame.js';

const packageRoot = resolve(import.meta.dirname, '..');
const SEED = join(packageRoot, 'test', 'fixtures', 'seed-clickstream.proto');
const dir = mkdtempSync(join(tmpdir(), 'tributary-schema-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

function write(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `syntax = "proto3";\npackage demo;\n${body}`);
  return path;
}

describe('tributary-schema CLI', () => {
  it('prints usage for --help and exits 0; without a command prints usage to stderr and exits 2', () => {
    expect(run('--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: tributary-schema/) });
    expect(run('check-compat', '--help').code).toBe(0);
    expect(run('--help').out).toMatch(
      /--encoding hex\|base64 +\(decode\) encoding of the argument \[default hex\]/,
    );
    expect(run()).toMatchObject({ code: 2, err: expect.stringContaining('Usage:') });
  });

  it('rejects unknown commands and flags with exit code 2', () => {
    expect(run('frobnicate')).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command "frobnicate"'),
    });
    expect(run('check-compat', '--nope', 'a.proto').code).toBe(2);
    expect(run('decode', '--strict', 'ab')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--strict is not an option of tributary-schema decode'),
    });
    expect(run('check-compat').err).toContain('check-compat needs <old.proto>');
  });

  it('check-compat: the seed schema against the current one is compatible at wire level, not by package', () => {
    const wire = run('check-compat', '--ignore-package', SEED);
    expect(wire.code).toBe(0);
    expect(wire.out).toContain('is backward compatible');
    const strict = run('check-compat', SEED);
    expect(strict.code).toBe(1);
    expect(strict.err).toContain('TRIB_SCHEMA_COMPAT_PACKAGE_CHANGED');
  });

  it('check-compat: exits 1 naming the field on a breaking change', () => {
    const old = write('old.proto', 'message M { string a = 1; int64 b = 2; }');
    const changed = write('new.proto', 'message M { string a = 1; string b = 2; }');
    const result = run('check-compat', old, changed);
    expect(result.code).toBe(1);
    expect(result.err).toContain('ERROR TRIB_SCHEMA_COMPAT_FIELD_TYPE_CHANGED: field number 2 of demo.M (b)');
    expect(result.err).toContain('NOT backward compatible');
  });

  it('check-compat: warnings pass unless --strict; --json prints the issues', () => {
    const old = write('w-old.proto', 'message M { string a = 1; }');
    const renamed = write('w-new.proto', 'message M { string alpha = 1; }');
    expect(run('check-compat', old, renamed).code).toBe(0);
    expect(run('check-compat', '--strict', old, renamed).code).toBe(1);
    const json = JSON.parse(run('check-compat', '--json', old, renamed).out) as {
      compatible: boolean;
      issues: unknown[];
    };
    expect(json.compatible).toBe(true);
    expect(json.issues).toEqual([
      expect.objectContaining({ code: 'TRIB_SCHEMA_COMPAT_FIELD_RENAMED', field: 'a' }),
    ]);
  });

  it('check-compat: unreadable input exits 2 with the parse error', () => {
    const broken = join(dir, 'broken.proto');
    writeFileSync(broken, 'message {');
    expect(run('check-compat', broken)).toMatchObject({
      code: 2,
      err: expect.stringContaining('TRIB_SCHEMA_PARSE_FAILED'),
    });
  });

  it('decode: prints the event and its validation, hex or base64, framed or not', () => {
    const bytes = encodeClickstreamEvent({
      userId: 'u',
      pageUrl: '/p',
      timestamp: Date.now(),
      eventType: 'VIEW',
    });
    const plain = run('decode', Buffer.from(bytes).toString('hex'));
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.out)).toMatchObject({
      valid: true,
      event: { page_url: '/p', event_type: 'VIEW' },
    });
    const framed = run(
      'decode',
      '--framed',
      '--encoding',
      'base64',
      Buffer.from(encodeRegistryFrame(9, bytes)).toString('base64'),
    );
    expect(JSON.parse(framed.out)).toMatchObject({ schema_id: 9, valid: true });
  });

  it('decode: exits 1 with code and reason for an invalid event, 2 for bad input', () => {
    const invalid = run('decode', Buffer.from(encodeClickstreamEvent({ userId: 'u' })).toString('hex'));
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.out)).toMatchObject({
      valid: false,
      error: { code: 'TRIB_SCHEMA_MISSING_FIELD' },
    });
    expect(run('decode', 'zz').code).toBe(2);
    expect(run('decode', '--encoding', 'rot13', 'ab').err).toContain('--encoding must be hex or base64');
    expect(run('decode', '0f')).toMatchObject({
      code: 1,
      err: expect.stringContaining('TRIB_SCHEMA_DECODE_FAILED'),
    });
  });

  it('schema-path prints the current schema path', () => {
    expect(run('schema-path').out.trim()).toMatch(/tributary\/clickstream\/v1\/clickstream\.proto$/);
  });
});
