import type { Prng } from '../random/prng.js';

const DEVICES = ['desktop', 'mobile', 'tablet'] as const;
const COUNTRIES = ['US', 'DE', 'IN', 'BR', 'GB', 'FR', 'JP', 'CA', 'NL', 'ES'] as const;
const USER_AGENTS = [
  'Chrome/126',
  'Firefox/127',
  'Safari/17',
  'Edge/126',
  'Mobile Safari/17',
  'Samsung/25',
] as const;
const ENTRY_REFERRERS = [
  '',
  'https://www.google.com/',
  'https://news.ycombinator.com/',
  'https://t.co/',
  '',
] as const;

export interface UserProfile {
  userId: string;
  device: string;
  country: string;
  userAgent: string;
}

export interface SessionStep {
  user: UserProfile;
  sessionId: string;
  /** Page the user came from: the previous page of the session, or an entry referrer. */
  referrer: string;
}

interface Session {
  user: UserProfile;
  sessionId: string;
  remaining: number;
  lastPage: string;
}

/**
 * A fixed number of concurrent sessions; each event is given to one uniformly, so each session's events form a
 * thinned (≈ Poisson) arrival process with exponential gaps. A session lasts a geometric number of events, then a
 * new session of a random user takes its slot. Users' device, country and user agent are fixed per user.
 */
export class UserSessions {
  readonly #rng: Prng;
  readonly #users: number;
  readonly #meanEvents: number;
  readonly #slots: (Session | undefined)[];
  readonly #profiles = new Map<number, UserProfile>();
  readonly #idPrefix: string;
  readonly #userIdWidth: number;
  #sessionsStarted = 0;

  constructor(rng: Prng, users: number, concurrentSessions: number, meanEvents: number, seed: number) {
    this.#rng = rng;
    this.#users = users;
    this.#meanEvents = meanEvents;
    this.#slots = new Array<Session | undefined>(concurrentSessions).fill(undefined);
    this.#idPrefix = seed.toString(36);
    this.#userIdWidth = String(users - 1).length;
  }

  /** Picks the session that emits the next event. `page` is that event's page, remembered as the next referrer. */
  next(page: string): SessionStep {
    const slot = this.#rng.int(this.#slots.length);
    let session = this.#slots[slot];
    if (session === undefined || session.remaining <= 0) {
      session = this.#startSession();
      this.#slots[slot] = session;
    }
    session.remaining--;
    const referrer = session.lastPage;
    session.lastPage = page;
    return { user: session.user, sessionId: session.sessionId, referrer };
  }

  get sessionsStarted(): number {
    return this.#sessionsStarted;
  }

  #startSession(): Session {
    const user = this.#profile(this.#rng.int(this.#users));
    // Geometric length with the configured mean (>= 1).
    const p = 1 / this.#meanEvents;
    const remaining = p >= 1 ? 1 : 1 + Math.floor(Math.log(1 - this.#rng.float()) / Math.log(1 - p));
    const sessionId = `s${this.#idPrefix}-${(this.#sessionsStarted++).toString(36)}`;
    const lastPage = ENTRY_REFERRERS[this.#rng.int(ENTRY_REFERRERS.length)]!;
    return { user, sessionId, remaining, lastPage };
  }

  #profile(index: number): UserProfile {
    let profile = this.#profiles.get(index);
    if (profile === undefined) {
      const h = hash32(index);
      profile = {
        userId: `u${String(index).padStart(this.#userIdWidth, '0')}`,
        device: DEVICES[h % DEVICES.length]!,
        country: COUNTRIES[(h >>> 8) % COUNTRIES.length]!,
        userAgent: USER_AGENTS[(h >>> 16) % USER_AGENTS.length]!,
      };
      this.#profiles.set(index, profile);
    }
    return profile;
  }
}

function hash32(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
