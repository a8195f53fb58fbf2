/** Text crossing the terminal and file boundaries. */

/** C0 controls but tab and line feed, DEL, C1 controls, and the bidi controls that reorder what a terminal shows. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A line as printed: a feed's ids and names reach the terminal, and must not drive it (escape sequences). */
export function printable(line: string): string {
  return line.replace(UNPRINTABLE, "");
}

/** Text files may start with a UTF-8 byte-order mark, which is not part of the JSON. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
