import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/counter-job.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

export interface CounterJobConfig {
  readonly brokers: string[];
  readonly applicationId: string;
  readonly input: string;
  readonly results: string;
  readonly guarantee?: 'exactly-once' | 'at-least-once';
  readonly delayMs?: number;
  readonly sessionTimeoutMs?: number;
  readonly commitIntervalMs?: number;
}

/** A counter job in a child process running the BUILT package (`dist/`), so it can be SIGKILLed for real. */
export class ChildJob {
  static readonly #live = new Set<ChildProcess>();

  /** SIGKILLs every child still running (test cleanup after a failure). */
  static killAll(): void {
    for (const child of ChildJob.#live) child.kill('SIGKILL');
  }

  readonly #child: ChildProcess;
  readonly #exit: Promise<number | null>;
  #output = '';
  lastStats: { recordsIn: number; commits: number; restoredRecords: number } | undefined;

  constructor(config: CounterJobConfig) {
    if (!existsSync(DIST))
      throw new Error(`${DIST} is missing: run \`npx nx build @tributary/processor\` first`);
    this.#child = spawn(process.execPath, [FIXTURE, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child.stdout!.on('data', (chunk: Buffer) => {
      this.#output += chunk.toString();
      const lines = this.#output.split('\n');
      for (const line of lines.slice(-3)) {
        if (line.startsWith('{')) {
          try {
            this.lastStats = (
              JSON.parse(line) as { stats: { recordsIn: number; commits: number; restoredRecords: number } }
            ).stats;
          } catch {
            // partial line
          }
        }
      }
    });
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      this.#output += chunk.toString();
    });
    ChildJob.#live.add(this.#child);
    this.#exit = new Promise((resolve) =>
      this.#child.on('exit', (code) => {
        ChildJob.#live.delete(this.#child);
        resolve(code);
      }),
    );
  }

  get output(): string {
    return this.#output;
  }

  /** Resolves when the child printed `started` (joined and consuming). */
  async started(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#output.includes('started\n')) {
      if (this.#child.exitCode !== null)
        throw new Error(`child exited early (${this.#child.exitCode}): ${this.#output}`);
      if (Date.now() > deadline) throw new Error(`child did not start: ${this.#output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits until the child fed at least `records` input records and completed at least `commits` commits. */
  async processed(records: number, commits = 0, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.lastStats?.recordsIn ?? 0) < records || (this.lastStats?.commits ?? 0) < commits) {
      if (this.#child.exitCode !== null || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  exited(): Promise<number | null> {
    return this.#exit;
  }
}
