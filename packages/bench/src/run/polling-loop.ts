/** Calls `poll` again `intervalMs` after each call ends, from `start()` until `stop()` (which waits for the call in flight). */
export class PollingLoop {
  readonly #poll: () => Promise<void>;
  readonly #intervalMs: number;
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(poll: () => Promise<void>, intervalMs: number) {
    this.#poll = poll;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        await this.#poll();
        if (this.#running) await new Promise((resolve) => setTimeout(resolve, this.#intervalMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }
}
