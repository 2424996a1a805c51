#!/usr/bin/env node
import { parseCli, type CliInvocation } from './cli/args.js';
import { helpText } from './cli/help.js';
import { startDevstack } from './devstack.js';
import { isDevstackError } from './errors.js';
import type { DevstackOptions } from './options.js';
import { restartElasticsearch, restartKafka } from './restart.js';
import { runSmoke, type SmokeReport } from './smoke.js';
import { devstackLogs, devstackStatus, stopDevstack } from './status.js';
import type { ServiceStatus } from './types.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function withLog(cli: CliInvocation): DevstackOptions {
  return cli.quiet ? cli.options : { ...cli.options, log: (line) => process.stderr.write(`${line}\n`) };
}

async function up(cli: CliInvocation): Promise<number> {
  const stack = await startDevstack(withLog(cli));
  for (const [name, h] of [
    ['kafka', stack.kafka],
    ['elasticsearch', stack.elasticsearch],
  ] as const) {
    if (h === undefined) continue;
    const where = 'brokers' in h ? h.brokers.join(',') : h.url;
    out(
      `${name.padEnd(13)} ${where}  ${h.reused ? 'reused' : `started in ${h.startupMs} ms`}  version ${h.version}${h.pid === undefined ? '' : `  pid ${h.pid}`}`,
    );
  }
  const security = stack.elasticsearch?.security;
  // Where clients find the credentials; the password itself is never printed.
  if (security !== undefined) {
    out(
      `es security   user ${security.username}, password in ${security.passwordFile}, CA ${security.caFile} ` +
        `(sha256 ${security.caFingerprint})`,
    );
  }
  if (stack.dataDir !== undefined) out(`data          ${stack.dataDir}`);
  if (cli.detach) {
    await stack.detach();
    out('detached: stop with `tributary-devstack down` (same port options)');
    return 0;
  }
  out('running; press Ctrl-C to stop');
  // Signal listeners do not keep Node alive, and the servers are unref'ed: hold the loop open until a signal.
  const keepAlive = setInterval(() => {}, 1 << 30);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(keepAlive);
  out('stopping…');
  await stack.stop();
  out('stopped');
  return 0;
}

function statusLine(s: ServiceStatus): string {
  const state = s.healthy ? 'healthy' : s.listening ? 'listening, NOT healthy' : 'not running';
  const managed = s.managed
    ? `  managed pid ${s.pid}${s.detached === true ? ' (detached)' : ''}`
    : s.listening
      ? '  not started by devstack'
      : '';
  return `${s.service.padEnd(13)} port ${s.port}  ${state}${s.version === undefined ? '' : `  version ${s.version}`}${managed}`;
}

async function status(cli: CliInvocation): Promise<number> {
  const result = await devstackStatus(cli.options);
  const services = [result.kafka, result.elasticsearch].filter((s): s is ServiceStatus => s !== undefined);
  if (cli.json) out(JSON.stringify(result, null, 2));
  else for (const s of services) out(statusLine(s));
  return services.every((s) => s.healthy) ? 0 : 1;
}

async function down(cli: CliInvocation): Promise<number> {
  const outcomes = await stopDevstack(withLog(cli));
  for (const o of outcomes) {
    const text = {
      stopped: `stopped (pid ${o.pid})`,
      'not-running': 'not running',
      'not-managed': 'something listens on the port but was not started by tributary-devstack: left alone',
    }[o.result];
    out(`${o.service.padEnd(13)} port ${o.port}  ${text}`);
  }
  return 0;
}

async function logs(cli: CliInvocation): Promise<number> {
  const result = await devstackLogs(cli.options, cli.lines);
  let any = false;
  for (const [service, lines] of Object.entries(result)) {
    if (lines.length === 0) {
      out(`# ${service}: no logs (not started by tributary-devstack up on this port)`);
      continue;
    }
    any = true;
    for (const line of lines) out(line);
  }
  return any ? 0 : 1;
}

function printSmoke(report: SmokeReport): void {
  const s = report.startup;
  const startup = (h: { startupMs: number; reused: boolean; version: string }): string =>
    h.reused ? `reused (${h.version})` : `${h.startupMs} ms (${h.version})`;
  out(`events            ${report.events}`);
  out(`kafka startup     ${startup(s.kafka)}`);
  out(`es startup        ${startup(s.elasticsearch)}`);
  out(`produce           ${report.produce.perSecond} events/s (${report.produce.ms} ms)`);
  out(
    `consume           ${report.consume.perSecond} events/s (${report.consume.ms} ms, ${report.consume.received} received)`,
  );
  out(
    `index             ${report.index.perSecond} docs/s (${report.index.ms} ms incl. refresh, ${report.index.failed} failed)`,
  );
  out(
    `search            median ${report.search.medianMs} ms, max ${report.search.maxMs} ms over ${report.search.runs} runs`,
  );
  out(`count             ${report.search.count}`);
  out(`terms(kind)       ${JSON.stringify(report.aggregation.actual)}`);
  out(report.ok ? 'counts equal      yes: OK' : `counts equal      NO: ${report.mismatches.join('; ')}`);
}

async function smoke(cli: CliInvocation): Promise<number> {
  const report = await runSmoke({ ...withLog(cli), events: cli.events, partitions: cli.partitions });
  if (cli.json) out(JSON.stringify(report, null, 2));
  else printSmoke(report);
  return report.ok ? 0 : 1;
}

async function restart(cli: CliInvocation): Promise<number> {
  const options = { ...withLog(cli), signal: cli.signal };
  const h =
    cli.service === 'elasticsearch' ? await restartElasticsearch(options) : await restartKafka(options);
  const where = 'brokers' in h ? h.brokers.join(',') : h.url;
  out(
    `${(cli.service ?? 'kafka').padEnd(13)} ${where}  restarted: pid ${h.previousPid} ${h.stopped}, pid ${h.pid} ` +
      `healthy in ${h.startupMs} ms (down ${h.downtimeMs} ms)`,
  );
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  let cli: CliInvocation;
  try {
    cli = parseCli(argv);
  } catch (error) {
    process.stderr.write(
      `tributary-devstack: ${(error as Error).message}\nRun tributary-devstack --help for usage.\n`,
    );
    return 2;
  }
  if (cli.help || cli.command === undefined) {
    process.stdout.write(helpText());
    return cli.help ? 0 : 2;
  }
  const commands = { up, down, status, logs, smoke, restart } as const;
  return commands[cli.command](cli);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = isDevstackError(error) ? ` [${error.code}]` : '';
    process.stderr.write(`tributary-devstack: ${(error as Error).message ?? String(error)}${code}\n`);
    process.exitCode = 1;
  },
);
