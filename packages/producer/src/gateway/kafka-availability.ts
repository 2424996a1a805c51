/**
 * Whether Kafka can take records now: once connected, until a send fails for a reason waiting can cure (a broker
 * down, no ack in time); then not for `coolDownMs`, during which requests get 503 before their body is read, and
 * after which the next request tries again. Driven by an injected clock (ms).
 */
export class KafkaAvailability {
  readonly #coolDownMs: number;
  readonly #now: () => number;
  #connected = false;
  #failedAt: number | undefined;

  constructor(coolDownMs: number, now: () => number = Date.now) {
    this.#coolDownMs = coolDownMs;
    this.#now = now;
  }

  /** Connected to Kafka (the topic exists). */
  get connected(): boolean {
    return this.#connected;
  }

  /** Connected and not cooling down after a failed send. */
  get available(): boolean {
    return (
      this.#connected && (this.#failedAt === undefined || this.#now() - this.#failedAt >= this.#coolDownMs)
    );
  }

  connectedNow(): void {
    this.#connected = true;
    this.#failedAt = undefined;
  }

  disconnected(): void {
    this.#connected = false;
  }

  sendFailed(): void {
    this.#failedAt = this.#now();
  }

  sendSucceeded(): void {
    this.#failedAt = undefined;
  }
}
