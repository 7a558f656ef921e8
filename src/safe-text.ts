/** Making names from linted files safe to print in any output. */

/**
 * Characters that must not reach a terminal, a log or a CI annotation verbatim from a file name:
 * C0/C1 controls (line breaks could forge GitHub workflow commands, escapes could rewrite the
 * terminal), line and paragraph separators, bidirectional overrides and isolates (which can make a
 * name read as another), and the invisible marks and format characters that do the same more
 * quietly: the soft hyphen, the Arabic letter mark, the Mongolian vowel separator, zero-width
 * spaces and joiners, left-to-right and right-to-left marks, word joiners and invisible operators,
 * the deprecated format characters, the byte order mark, interlinear annotations and the
 * noncharacters U+FFFE/U+FFFF.
 */
const UNSAFE_IN_NAMES =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The start of a GitHub Actions workflow command: `::name …` (and the older `##[name]`), which the
 * runner reads on any log line that starts with it after blanks.
 */
const COMMAND_START = /^(\s*)(?::(?=:)|#(?=#\[))/;

/** A line that cannot be read as a workflow command: a leading `::` / `##[` gets its first character escaped. */
export function noWorkflowCommand(line: string): string {
  return line.replace(COMMAND_START, (_m, blanks: string) => `${blanks}${escapeChar(_m.slice(blanks.length))}`);
}

/**
 * A file name made safe to print: unsafe characters are shown as `\xNN` / `\uNNNN`. (A name that
 * starts like a workflow command stays as it is, as data; the text formats pass every line that
 * starts with a name through noWorkflowCommand.)
 */
export function safeName(name: string): string {
  // Most names have nothing to escape: a test is cheaper than a replace that finds nothing (a name per file).
  UNSAFE_IN_NAMES.lastIndex = 0;
  return UNSAFE_IN_NAMES.test(name) ? name.replace(UNSAFE_IN_NAMES, escapeChar) : name;
}
