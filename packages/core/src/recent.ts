/**
 * The last few answers of a pure function of up to four keys, compared by identity (a number, or
 * an object worked out once): a sheet's cells mostly share a few inputs, and a GRID's row shares
 * one. A ring: a repeat allocates nothing, a new answer replaces the oldest.
 */
export class Recent<V> {
  private readonly ring: { a: unknown; b: unknown; c: unknown; d: unknown; value: V | undefined }[] = [];
  private next = 0;
  /** The entry that answered last, tried first: a GRID's row asks for one entry many times running. */
  private last = 0;

  constructor(private readonly size: number) {}

  /** compute(a, b, c, d), remembered (undefined too: there is none). `compute` is a top-level function, so a call makes no closure. */
  answer<A, B, C, D>(compute: (a: A, b: B, c: C, d: D) => V | undefined, a: A, b: B, c?: C, d?: D): V | undefined {
    const { ring } = this;
    const hit = ring[this.last];
    if (hit !== undefined && hit.a === a && hit.b === b && hit.c === c && hit.d === d) return hit.value;
    for (let i = 0; i < ring.length; i++) {
      const e = ring[i];
      if (e.a === a && e.b === b && e.c === c && e.d === d) {
        this.last = i;
        return e.value;
      }
    }
    const value = compute(a, b, c as C, d as D);
    this.last = this.next;
    ring[this.next] = { a, b, c, d, value };
    this.next = (this.next + 1) % this.size;
    return value;
  }
}

const NEVER = Symbol("never asked");

/**
 * The up to four keys a value kept in place (a WideAcc) was last worked out for: where a GRID's
 * cells change the keys cell by cell, a ring would allocate an entry each time, this nothing.
 */
export class LastKeys {
  private a: unknown = NEVER;
  private b: unknown = NEVER;
  private c: unknown = NEVER;
  private d: unknown = NEVER;

  /** Whether the keys differ from the last (then remembered): the value is to be worked out again. */
  changed(a: unknown, b?: unknown, c?: unknown, d?: unknown): boolean {
    if (this.a === a && this.b === b && this.c === c && this.d === d) return false;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return true;
  }
}

/** A value kept in place for its keys. */
interface KeptSlot<V> {
  a: unknown;
  b: unknown;
  c: unknown;
  d: unknown;
  readonly value: V;
}

/**
 * Values kept in place (double-doubles in typed arrays, say) for the last few keys asked, up to
 * four compared by identity: a sheet that cycles through a few assumption sets finds each again,
 * and a GRID whose cells change a key reuses the oldest slot instead of allocating one.
 */
export class Kept<V> {
  private readonly slots: KeptSlot<V>[];
  private next = 0;
  private last = 0;

  constructor(size: number, make: () => V) {
    this.slots = Array.from({ length: size }, () => ({ a: NEVER, b: NEVER, c: NEVER, d: NEVER, value: make() }));
  }

  /** The value kept for the keys, or undefined (then `claim` one). */
  find(a: unknown, b: unknown, c?: unknown, d?: unknown): V | undefined {
    const { slots } = this;
    const hit = slots[this.last];
    if (hit.a === a && hit.b === b && hit.c === c && hit.d === d) return hit.value;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      if (s.a === a && s.b === b && s.c === c && s.d === d) {
        this.last = i;
        return s.value;
      }
    }
    return undefined;
  }

  /** The oldest slot's value, given to the keys: the caller's to work out again. */
  claim(a: unknown, b: unknown, c?: unknown, d?: unknown): V {
    const s = this.slots[this.next];
    this.last = this.next;
    this.next = (this.next + 1) % this.slots.length;
    s.a = a;
    s.b = b;
    s.c = c;
    s.d = d;
    return s.value;
  }
}

/**
 * Values by two keys (Map keys: numbers compare by value), made on first ask and kept: what a
 * GRID's row or column works out once, found again on its next recalculation. The last pair asked
 * is tried first. Bounded: each value made counts one toward `budget`, a value that grows counts
 * what it adds (`spend`), and past the budget all are let go at the next value made.
 */
export class ByTwoKeys<V> {
  private readonly map = new Map<unknown, Map<unknown, V>>();
  private readonly lastKeys = new LastKeys();
  private last: V | undefined;
  private spent = 0;

  constructor(private readonly budget: number) {}

  get<A, B>(a: A, b: B, make: (a: A, b: B) => V): V {
    if (!this.lastKeys.changed(a, b) && this.last !== undefined) return this.last;
    let value = this.map.get(a)?.get(b);
    if (value === undefined) {
      if (this.spent > this.budget) {
        this.map.clear();
        this.spent = 0;
      }
      let inner = this.map.get(a);
      if (!inner) this.map.set(a, (inner = new Map()));
      this.spent++;
      inner.set(b, (value = make(a, b)));
    }
    this.last = value;
    return value;
  }

  /** Counts what a kept value has grown by toward the budget. */
  spend(n: number): void {
    this.spent += n;
  }
}
