#!/usr/bin/env node
import { runDashboardCommand } from './dashboard-command.js';

/** `tributary-dashboard --metrics-url <url> [options]`: see `--help`. */
runDashboardCommand(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    const e = error as { code?: string; message?: string };
    process.stderr.write(
      `tributary-dashboard: ${e.code === undefined ? '' : `${e.code}: `}${e.message ?? String(error)}\n`,
    );
    process.exit(1);
  },
);
