/** Making names from linted files safe to print in any output. */

/**
 * Characters that must not reach a terminal, a log or a CI annotation verbatim from a file name:
 * C0/C1 controls (line breaks could forge GitHub workflow commands, escapes could rewrite the
 * terminal), line and paragraph separators, and bidirectional overrides (which can make a name read
 * as another).
 */
const UNSAFE_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A file name made safe to print: unsafe characters are shown as `\xNN` / `\uNNNN`. */
export function safeName(name: string): string {
  return name.replace(UNSAFE_IN_NAMES, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

