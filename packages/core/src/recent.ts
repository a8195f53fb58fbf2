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
  /** How many times the keys have changed: the value kept in place is the same while this is. */
  changes = 0;

  /** Whether the keys differ from the last (then remembered): the value is to be worked out again. */
  changed(a: unknown, b: unknown, c?: unknown, d?: unknown): boolean {
    if (this.a === a && this.b === b && this.c === c && this.d === d) return false;
    this.changes++;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return true;
  }
}
