/** Time is an input: everything that needs "now" gets a Clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that runs in real time but can be moved forward (never back). Used by the
 * scripted console (`"at"` lines) and by tests that exercise expiry and schedules.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: () => number = () => Date.now()) {}

  now(): Date {
    return new Date(this.base() + this.offsetMs);
  }

  /** Puts the clock at `t`, backwards too (a script setting its scene before anything happened). */
  reset(t: Date): void {
    this.offsetMs = t.getTime() - this.base();
  }

  /** Moves the clock to `t`. Moving backwards is refused (returns false). */
  set(t: Date): boolean {
    const delta = t.getTime() - this.now().getTime();
    if (delta < 0) return false;
    this.offsetMs += delta;
    return true;
  }
}

/** A frozen clock for unit tests and deterministic replays. */
export class FixedClock implements Clock {
  constructor(private t: Date) {}
  now(): Date {
    return new Date(this.t);
  }
  set(t: Date): void {
    this.t = new Date(t);
  }
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
}
