import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../src/config/config-file.js';

describe('readConfigFile', () => {
  it('returns the JSON object', () => {
    expect(readConfigFile('x.json', () => '{"inputTopic":"a"}')).toEqual({ inputTopic: 'a' });
  });

  it.each([['[1,2]'], ['"text"'], ['null']])('rejects a file holding %s', (text) => {
    expect(() => readConfigFile('x.json', () => text)).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_CONFIG_FILE_INVALID' }),
    );
  });
});
