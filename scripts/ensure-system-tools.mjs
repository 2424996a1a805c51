#!/usr/bin/env node
/**
 * Installs the Debian packages the test suite drives for real: Prometheus (`prometheus`, `promtool`) for the
 * alert-rule tests and the scrape test, Chromium for the dashboard's browser test, and OpenSSL for the certificates
 * of the gateway's TLS tests. Runs first in `npm test`;
 * does nothing when they are already installed. Needs root (or password-less sudo) and Debian's package mirror.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const REQUIRED = [
  { pkg: 'prometheus', binary: '/usr/bin/promtool' },
  { pkg: 'prometheus', binary: '/usr/bin/prometheus' },
  { pkg: 'chromium', binary: '/usr/bin/chromium' },
  { pkg: 'openssl', binary: '/usr/bin/openssl' },
];

const missing = [...new Set(REQUIRED.filter((r) => !existsSync(r.binary)).map((r) => r.pkg))];
if (missing.length === 0) process.exit(0);

const isRoot = process.getuid?.() === 0;
const sudo = !isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
if (!isRoot && !sudo) {
  console.error(
    `Missing system packages: ${missing.join(', ')}. Install them with\n` +
      `  sudo apt-get install -y --no-install-recommends ${missing.join(' ')}\n` +
      `(the alert-rule tests need promtool, the scrape test prometheus, the dashboard test chromium, the gateway TLS tests openssl).`,
  );
  process.exit(1);
}

const run = (args) => {
  const [cmd, ...rest] = sudo ? ['sudo', '-n', ...args] : args;
  console.log(`ensure-system-tools: ${args.join(' ')}`);
  execFileSync(cmd, rest, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
};

const started = Date.now();
run(['apt-get', 'update', '-qq']);
run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
console.log(
  `ensure-system-tools: installed ${missing.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
