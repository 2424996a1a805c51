import { describe, expect, it } from 'vitest';
import { JobServices, type JobService, type JobServiceSpec } from '../../src/runtime/job-services.js';

/** A service that records its calls in `log` and fails when told to. */
class FakeService implements JobService {
  live = true;
  ready = false;
  #fail!: (error: Error) => void;
  readonly failure = new Promise<Error>((resolve) => (this.#fail = resolve));

  constructor(
    readonly name: string,
    readonly log: string[],
    readonly behaviour: { failStart?: boolean; failStop?: boolean } = {},
  ) {}

  async start(): Promise<void> {
    this.log.push(`start ${this.name}`);
    if (this.behaviour.failStart === true) throw new Error(`${this.name} cannot start`);
    this.ready = true;
  }

  async stop(): Promise<void> {
    this.log.push(`stop ${this.name}`);
    this.ready = false;
    if (this.behaviour.failStop === true) throw new Error(`${this.name} cannot stop`);
  }

  health() {
    return { live: this.live, ready: this.ready, details: { name: this.name } };
  }

  fail(error: Error): void {
    this.live = false;
    this.#fail(error);
  }
}

function servicesOf(...services: FakeService[]): { services: JobServices; contexts: unknown[] } {
  const contexts: unknown[] = [];
  const specs: JobServiceSpec[] = services.map((service) => ({
    name: service.name,
    create: (context) => {
      contexts.push(context);
      return service;
    },
  }));
  return { services: new JobServices(specs, { registry: undefined }), contexts };
}

describe('JobServices', () => {
  it('creates each service with the job context, starts them in order and stops them in order', async () => {
    const log: string[] = [];
    const a = new FakeService('a', log);
    const b = new FakeService('b', log);
    const { services, contexts } = servicesOf(a, b);
    expect(contexts).toEqual([{ registry: undefined }, { registry: undefined }]);
    expect(services.size).toBe(2);
    expect(services.get('b')).toBe(b);
    expect(services.get('c')).toBeUndefined();
    await services.start();
    await services.stop();
    expect(log).toEqual(['start a', 'start b', 'stop a', 'stop b']);
  });

  it('rejects with the first service that fails to start, starting no later one', async () => {
    const log: string[] = [];
    const { services } = servicesOf(
      new FakeService('a', log, { failStart: true }),
      new FakeService('b', log),
    );
    await expect(services.start()).rejects.toThrow('a cannot start');
    expect(log).toEqual(['start a']);
  });

  it('stops every service even when one fails to stop, reporting it', async () => {
    const log: string[] = [];
    const { services } = servicesOf(new FakeService('a', log, { failStop: true }), new FakeService('b', log));
    const errors: string[] = [];
    await services.stop((name, error) => errors.push(`${name}: ${(error as Error).message}`));
    expect(log).toEqual(['stop a', 'stop b']);
    expect(errors).toEqual(['a: a cannot stop']);
  });

  it('reports the first failure once', async () => {
    const a = new FakeService('a', []);
    const b = new FakeService('b', []);
    const { services } = servicesOf(a, b);
    const failures: string[] = [];
    services.watch((error) => failures.push(error.message));
    a.fail(new Error('a failed'));
    b.fail(new Error('b failed'));
    await Promise.all([a.failure, b.failure]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toEqual(['a failed']);
  });

  it('is live while every service is, ready while every one is, with each one by name', async () => {
    const a = new FakeService('a', []);
    const b = new FakeService('b', []);
    const { services } = servicesOf(a, b);
    expect(services.health()).toEqual({
      live: true,
      ready: false,
      details: {
        a: { live: true, ready: false, name: 'a' },
        b: { live: true, ready: false, name: 'b' },
      },
    });
    await services.start();
    expect(services.health()).toMatchObject({ live: true, ready: true });
    a.fail(new Error('down'));
    expect(services.health()).toMatchObject({ live: false, ready: false, details: { a: { live: false } } });
  });
});
