import { describe, expect, it } from 'vitest';
import { MAX_ID_BYTES, documentIdProblem } from '../src/document-id.js';

describe('documentIdProblem', () => {
  it("accepts ids up to Elasticsearch's 512 UTF-8 bytes, and no id at all", () => {
    expect(documentIdProblem(undefined)).toBeUndefined();
    expect(documentIdProblem('a'.repeat(MAX_ID_BYTES))).toBeUndefined();
    // 170 three-byte characters = 510 bytes.
    expect(documentIdProblem('€'.repeat(170))).toBeUndefined();
  });

  it('names the size in bytes (not characters) and the limit for a longer id', () => {
    expect(documentIdProblem('a'.repeat(513))).toMatch(
      /^document _id is 513 bytes \(UTF-8\), longer than Elasticsearch's limit of 512 bytes: "a{64}"…$/,
    );
    // 200 characters but 600 bytes.
    expect(documentIdProblem('€'.repeat(200))).toMatch(/^document _id is 600 bytes/);
  });
});
