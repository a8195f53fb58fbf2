/**
 * JSON with every number kept as the text the feed wrote. JSON.parse turns `3e-06` into the
 * nearest double and the text is gone; `String(double)` gives it back only for texts that are
 * already the shortest round-trip form (not "0.1000000000000000001"), and JSON.parse's reviver
 * sees the source text only in runtimes newer than Node 20. So feeds are read by this small
 * parser, which is strict about syntax and says in one sentence where a bad document breaks.
 */

/** Refuses a whole feed; the message is one clause saying what happened ("the response ends early …"). */
export class FeedError extends Error {
  override name = "FeedError";
}

/** A JSON number as written, e.g. `3e-06`. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type Json = null | boolean | string | JsonNumber | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function quote(text: string): string {
  const shown = text.replace(/\s+/g, " ").trim();
  return `“${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}”`;
}

/** Assigns, except that a "__proto__" key is defined as data, as JSON.parse does. */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  parse(): Json {
    this.space();
    const first = this.text[this.at];
    if (first !== "{" && first !== "[") {
      throw new FeedError(
        this.at >= this.text.length
          ? "the response is empty"
          : `the response is not JSON (it begins ${quote(this.text.slice(this.at, this.at + 60))})`,
      );
    }
    const value = this.value();
    this.space();
    if (this.at < this.text.length) this.fail("after the end of the document");
    return value;
  }

  private fail(where = ""): never {
    if (this.at >= this.text.length) {
      throw new FeedError(`the response ends early (truncated after ${this.text.length.toLocaleString("en-US")} characters)`);
    }
    throw new FeedError(
      `the response is not valid JSON (unexpected ${quote(this.text[this.at])} at character ${this.at.toLocaleString("en-US")}${where ? ` ${where}` : ""})`,
    );
  }

  private space(): void {
    const t = this.text;
    let i = this.at;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.at = i;
  }

  private expect(char: string): void {
    if (this.text[this.at] !== char) this.fail();
    this.at++;
  }

  private value(): Json {
    const t = this.text;
    switch (t[this.at]) {
      case "{":
        return this.object();
      case "[":
        return this.array();
      case '"':
        return this.string();
      case "t":
        return this.word("true", true);
      case "f":
        return this.word("false", false);
      case "n":
        return this.word("null", null);
      default: {
        NUMBER.lastIndex = this.at;
        const m = NUMBER.exec(t);
        if (!m) this.fail();
        this.at += m[0].length;
        return new JsonNumber(m[0]);
      }
    }
  }

  private word<T extends Json>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.at)) this.fail();
    this.at += word.length;
    return value;
  }

  private string(): string {
    const t = this.text;
    const start = this.at + 1;
    let i = start;
    let escaped = false;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i++;
      } else if (Number.isNaN(c)) {
        this.at = i;
        this.fail();
      }
      i++;
    }
    this.at = i + 1;
    if (!escaped) return t.slice(start, i);
    try {
      return JSON.parse(t.slice(start - 1, i + 1)) as string;
    } catch {
      this.at = start;
      throw new FeedError(`the response is not valid JSON (a bad escape in the string at character ${start.toLocaleString("en-US")})`);
    }
  }

  private object(): JsonObject {
    this.at++;
    const out: JsonObject = {};
    this.space();
    if (this.text[this.at] === "}") {
      this.at++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') this.fail();
      const key = this.string();
      this.space();
      this.expect(":");
      this.space();
      setKey(out, key, this.value());
      this.space();
      if (this.text[this.at] === ",") {
        this.at++;
        continue;
      }
      this.expect("}");
      return out;
    }
  }

  private array(): Json[] {
    this.at++;
    const out: Json[] = [];
    this.space();
    if (this.text[this.at] === "]") {
      this.at++;
      return out;
    }
    for (;;) {
      this.space();
      out.push(this.value());
      this.space();
      if (this.text[this.at] === ",") {
        this.at++;
        continue;
      }
      this.expect("]");
      return out;
    }
  }
}

/** Parses a feed's JSON text; throws a FeedError saying in one sentence what is wrong with it. */
export function parseJson(text: string): Json {
  try {
    return new Parser(text).parse();
  } catch (e) {
    if (e instanceof RangeError) throw new FeedError("the response is nested too deeply to be a catalogue");
    throw e;
  }
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** A whole number written in the feed (a JSON number or a numeric string), else undefined. */
export function wholeNumber(v: Json | undefined): number | undefined {
  const text = v instanceof JsonNumber ? v.text : typeof v === "string" ? v : undefined;
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The value with JSON numbers as doubles: for our own schema, whose prices are text already. */
export function toPlain(v: Json): unknown {
  if (v instanceof JsonNumber) return Number(v.text);
  if (Array.isArray(v)) return v.map(toPlain);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) setKey(out, key, toPlain(v[key]));
    return out;
  }
  return v;
}
