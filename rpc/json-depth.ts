// A guard that runs before JSON.parse: V8's parser takes seconds on a few MB of nested brackets
// ("[[[[…"), holding the event loop, while no JSON-RPC request nests deeper than a handful of
// levels. One pass over the text counts [ and { outside strings and stops as soon as the depth
// passes the limit, so a hostile body costs microseconds. It does not validate: JSON.parse still
// decides what is JSON.

/** Deepest nesting any JSON-RPC request needs is ≈ 6 (batch, request, params, filter, topics, OR-list). */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/** True when arrays and objects in `text` nest deeper than `limit` (brackets inside strings do not count). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // jump to the closing quote: one not preceded by an odd run of backslashes
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j < 0) return false; // unterminated string: JSON.parse refuses it
        let k = j - 1;
        while (text.charCodeAt(k) === BACKSLASH) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j++;
      }
      i = j + 1;
      continue;
    }
    if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
    i++;
  }
  return false;
}
