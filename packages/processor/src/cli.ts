#!/usr/bin/env node
import { createClickstreamApp } from './app/clickstream.js';
import { parseCli } from './config/cli-options.js';
import { installShutdownHandlers } from './runtime/shutdown.js';

/** `tributary-processor clickstream [options]`: see `--help`. */
async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseCli(process.argv.slice(2), { env: process.env });
  } catch (error) {
    process.stderr.write(`tributary-processor: ${(error as Error).message}\nRun with --help for usage.\n`);
    return 2;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(`${parsed.text}\n`);
    return 0;
  }
  if (parsed.printConfig) {
    process.stdout.write(`${JSON.stringify(parsed.config, null, 2)}\n`);
    return 0;
  }
  const app = createClickstreamApp(parsed.config, {
    onError: (error) => {
      process.stderr.write(`tributary-processor: job failed: ${error.message}\n`);
      process.exit(1);
    },
  });
  installShutdownHandlers(app, {
    onError: (error) =>
      process.stderr.write(`tributary-processor: error while stopping: ${(error as Error).message}\n`),
  });
  await app.start();
  const c = parsed.config;
  process.stdout.write(
    `tributary-processor: clickstream running — ${c.inputTopic} → ${c.resultsTopic} (${c.processingGuarantee})` +
      `${c.elasticsearch ? ` → ${c.elasticsearchUrl} alias ${c.indexPrefix}` : ''}\n`,
  );
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    const e = error as { code?: string; message?: string };
    process.stderr.write(
      `tributary-processor: ${e.code === undefined ? '' : `${e.code}: `}${e.message ?? String(error)}\n`,
    );
    process.exit(1);
  },
);
