import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

const ORIGIN_NOUNS: Readonly<Record<string, [string, string]>> = {
  string: ['character', 'characters'],
  array: ['item', 'items'],
  set: ['item', 'items'],
  file: ['byte', 'bytes'],
};

function count(origin: string, n: number | bigint): string {
  const nouns = ORIGIN_NOUNS[origin];
  return nouns === undefined ? String(n) : `${n} ${Number(n) === 1 ? nouns[0] : nouns[1]}`;
}

const ARTICLES: Readonly<Record<string, string>> = {
  int: 'an integer',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  function: 'a function',
};

/**
 * What is wrong with one value, phrased to follow the option's name: `must be an integer >= 1`. A message given
 * in the schema (`.min(1, 'must be at least one partition')`) wins over the generated one.
 */
export function issueMessage(issue: Issue): string {
  const generated = /^(Invalid input|Too (small|big)|Unrecognized key|Invalid (string|option|element))/;
  if (issue.message !== '' && !generated.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if ('input' in issue && issue.input === undefined) return 'is required';
      return `must be ${ARTICLES[issue.expected] ?? `a ${issue.expected}`}`;
    case 'too_small': {
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      if (issue.origin === 'array' && Number(issue.minimum) === 1) return 'must not be empty';
      const bound = count(issue.origin, issue.minimum);
      if (issue.origin in ORIGIN_NOUNS) return `must have at least ${bound}`;
      return `must be ${issue.inclusive === false ? '>' : '>='} ${bound}`;
    }
    case 'too_big': {
      const bound = count(issue.origin, issue.maximum);
      if (issue.origin in ORIGIN_NOUNS) return `must have at most ${bound}`;
      return `must be ${issue.inclusive === false ? '<' : '<='} ${bound}`;
    }
    case 'invalid_value':
      return `must be ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map(String).join(', ')}`}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `must match ${String(issue.pattern)}`
        : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `has unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'does not match any allowed form';
    default:
      return issue.message;
  }
}

/** A value as a message quotes it (`"abc"`, `0`, `["a"]`, `a function`). */
export function quoted(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'nothing';
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}
