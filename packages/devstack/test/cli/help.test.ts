import { describe, expect, it } from 'vitest';
import { helpText } from '../../src/cli/help.js';

describe('helpText', () => {
  const text = helpText();

  it('keeps the commands and derives one line per option from the specs', () => {
    expect(text).toMatch(/^Usage: tributary-devstack <command> \[options\]\n/);
    expect(text).toMatch(/\n {2}restart kafka\|es\n/);
    expect(text).toMatch(
      /--kafka-port <n> +Kafka listener on 127.0.0.1 \[TRIBUTARY_KAFKA_PORT, default 9092\]/,
    );
    expect(text).toMatch(/--services <list> +.*\[TRIBUTARY_DEVSTACK_SERVICES, default all\]/);
    expect(text).toMatch(/--write-threads <n> +ES thread_pool.write.size \[TRIBUTARY_ES_WRITE_THREADS\]/);
    expect(text).toMatch(/--cache-dir <dir> +.*\[TRIBUTARY_DEVSTACK_CACHE, default \//);
    expect(text).toMatch(/--java <path> +java launcher/);
    expect(text).toMatch(/--no-reuse +reuse a healthy server/);
    expect(text).toMatch(/--signal term\|kill +\(restart\).*\[default term\]/);
    expect(text).toMatch(/-q, --quiet +no progress lines/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('leaves out the options that have no flag', () => {
    expect(text).not.toMatch(/kafka-properties|es-settings|resolve-timeout|consume-timeout|--log/);
  });
});
