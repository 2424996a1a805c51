import { describe, expect, it } from 'vitest';
import { ApiKeyAuth, loadApiKeys } from '../../src/gateway/api-key-auth.js';

const KEY_A = 'key-aaaaaaaaaaaaaaaa';
const KEY_B = 'key-bbbbbbbbbbbbbbbb';

describe('ApiKeyAuth', () => {
  it('lets every request through without keys', () => {
    const auth = new ApiKeyAuth([]);
    expect(auth.enabled).toBe(false);
    expect(auth.check({})).toEqual({ ok: true });
  });

  it('accepts any configured key as a Bearer token or X-API-Key', () => {
    const auth = new ApiKeyAuth([KEY_A, KEY_B]);
    expect(auth.check({ authorization: `Bearer ${KEY_A}` })).toEqual({ ok: true });
    expect(auth.check({ authorization: `bearer  ${KEY_B} ` })).toEqual({ ok: true });
    expect(auth.check({ 'x-api-key': KEY_B })).toEqual({ ok: true });
    // A Basic Authorization does not hide a valid X-API-Key.
    expect(auth.check({ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': KEY_A })).toEqual({ ok: true });
  });

  it('refuses a missing key with a Bearer challenge and a wrong one with invalid_token', () => {
    const auth = new ApiKeyAuth([KEY_A]);
    expect(auth.check({})).toEqual({
      ok: false,
      reason: expect.stringMatching(/API key is required/),
      wwwAuthenticate: 'Bearer realm="tributary-ingest"',
    });
    expect(auth.check({ authorization: 'Basic dXNlcjpwYXNz' })).toMatchObject({ ok: false });
    for (const headers of [
      { authorization: `Bearer ${KEY_A}x` },
      { authorization: `Bearer ${KEY_A.slice(1)}` },
      { 'x-api-key': KEY_B },
      { authorization: 'Bearer ' },
    ])
      expect(auth.check(headers), JSON.stringify(headers)).toMatchObject({ ok: false });
    expect(auth.check({ 'x-api-key': 'nope' })).toMatchObject({
      wwwAuthenticate: 'Bearer realm="tributary-ingest", error="invalid_token"',
    });
  });
});

describe('loadApiKeys', () => {
  const files: Record<string, string> = {
    'keys.txt': `# rotated monthly\n${KEY_A}\n\n  ${KEY_B}  \r\n`,
    'empty.txt': '# nothing yet\n',
    'bad.txt': `${KEY_A}\nshort\n`,
  };
  const read = (path: string): string => {
    const text = files[path];
    if (text === undefined) throw new Error(`ENOENT: ${path}`);
    return text;
  };

  it('reads one key per line, skipping blanks and comments, next to the keys given directly', () => {
    expect(loadApiKeys({ apiKeysFile: 'keys.txt' }, read)).toEqual([KEY_A, KEY_B]);
    expect(loadApiKeys({ apiKeys: ['key-cccccccccccccccc'], apiKeysFile: 'keys.txt' }, read)).toHaveLength(3);
    expect(loadApiKeys({}, read)).toEqual([]);
  });

  it('fails naming the option and the line, never showing a key', () => {
    expect(() => loadApiKeys({ apiKeysFile: 'missing.txt' }, read)).toThrow(/apiKeysFile cannot be read/);
    expect(() => loadApiKeys({ apiKeysFile: 'empty.txt' }, read)).toThrow(/apiKeysFile holds no key/);
    let message = '';
    try {
      loadApiKeys({ apiKeysFile: 'bad.txt' }, read);
    } catch (err) {
      message = (err as Error).message;
      expect(err).toMatchObject({ code: 'TRIB_PRODUCER_INVALID_OPTION', option: 'apiKeysFile' });
    }
    expect(message).toMatch(/apiKeysFile line 2: must be 16-512 characters/);
    expect(message).not.toContain('short');
  });
});
