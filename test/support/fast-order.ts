/**
 * What lets fastDocuments (src/yaml/fast-parse.ts) run the block reader before some of its checks and
 * skip them, asserted on any text (the old order, every check before the reader, is the reference):
 * - `blockRead(text, true)` (the reader trusting the caller's check for non-printable characters)
 *   gives what `blockRead(text, false)` gives whenever that check passed: no YAML 1.1 line break and
 *   no problem for parse.ts' inputProblem.
 * - A `simple` text the reader reads, with no line over 1024 characters, is one needsExactPath
 *   passes: skipping needsExactPath then changes nothing.
 * - The reader's values are never too deep or too large for treeDeeperThan (fastDocuments skips it),
 *   in a text without aliases (mayHaveAliases: fastDocuments checks those values for cycles and
 *   expansion instead).
 * - A text the reader reads with no stream doubt (BlockRead.streamDoubt), unchanged by kubeLineBreaks,
 *   has no stream problem (hasStreamProblems).
 * - A text the reader reads with no line doubt (BlockRead.lineDoubt) gets the same answer from
 *   kubeDoubtBesideLines as from kubeDoubt: skipping the line-start part changes nothing.
 * - A text the reader reads with no slash escape (BlockRead.slashEscape) has no double-quoted scalar,
 *   as `yaml` reads it, that holds the `\/` escape (the exact path's problem): kubeDoubt need not
 *   look for `\/`.
 * - A text the fast path takes that the reader reads with no `.inf` or `.nan` (BlockRead.infNan), or
 *   with no flow collection holding anything (BlockRead.flowContent), is one the exact path reads
 *   alike and reports nothing in, though it has an `.inf` or a `[`/`{` (kubeDoubt's parts for these
 *   are skipped: `.inf` elsewhere is text, and so are null keys and comments after brackets outside
 *   flow collections).
 * - Likewise a simple text with a line over 1024 characters and no flow collection holding anything
 *   (a key whose `:` stands that far into its line, BlockRead.longKey, sends the text to the exact
 *   path first), which needsExactPath would send to the exact path (it looks at any `:` past 1024
 *   characters: a long value's too).
 * - Likewise a text the fast path takes that the reader reads though shapeDoubt looks twice at it:
 *   fastDocuments asks only shapeDoubtBesideRead of a text the reader read (the reader refuses the
 *   shapes shapeDoubt looks for, as js-yaml reads them).
 */
import { blockRead } from '../../src/yaml/block-values.js';
import { fastDocuments, hasLineLongerThan, kubeDoubt, kubeDoubtBesideLines, mayHaveAliases, needsExactPath, shapeDoubt } from '../../src/yaml/fast-parse.js';
import { hasStreamProblems, hasUnicodeBreaks, kubeLineBreaks } from '../../src/yaml/kube-stream.js';
import { inputProblem, MAX_DEPTH, parseText, SLASH_ESCAPE, treeDeeperThan } from '../../src/yaml/parse.js';
import { valueDifference } from './same-value.js';
import { parseAllDocuments, Scalar, visit } from 'yaml';

/** How often each skip was tried: the tests check that the texts exercise them. */
export const orderTally = { checkedPrintable: 0, simple: 0, simpleLong: 0, lineChecked: 0, lineDoubt: 0, streamChecked: 0, streamDoubt: 0, slashChecked: 0, slashEscape: 0, infNanChecked: 0, infNan: 0, flowChecked: 0, flowContent: 0, shapeChecked: 0, longChecked: 0 };

/** undefined when both skips are sound for `text`; else what is wrong. */
export function orderProblem(text: string): string | undefined {
  const read = blockRead(text, false);
  if (!hasUnicodeBreaks(text) && inputProblem(text) === undefined) {
    orderTally.checkedPrintable++;
    const trusted = blockRead(text, true);
    if ((read === undefined) !== (trusted === undefined)) return `blockRead(text, true) ${trusted ? 'reads' : 'refuses'} it, blockRead(text, false) does not`;
    if (read && trusted) {
      if (read.simple !== trusted.simple) return 'simple differs with printableChecked';
      const difference = valueDifference(trusted.values, read.values);
      if (difference !== undefined) return `printableChecked: ${difference}`;
    }
  }
  if (read) {
    if (!mayHaveAliases(text) && read.values.some((doc) => treeDeeperThan(doc, MAX_DEPTH, text.length + 1))) return 'read, but treeDeeperThan says yes';
    if (read.streamDoubt) orderTally.streamDoubt++;
    else if (!hasUnicodeBreaks(text) && kubeLineBreaks(text) === text) {
      orderTally.streamChecked++;
      if (hasStreamProblems(text, text)) return 'read with no stream doubt, but hasStreamProblems says yes';
    }
    if (read.lineDoubt) orderTally.lineDoubt++;
    else {
      orderTally.lineChecked++;
      if (kubeDoubt(text) !== kubeDoubtBesideLines(text)) return 'read with no line doubt, but kubeDoubt doubts a line start';
    }
    const skipsInfNan = !read.infNan && /\.(?:inf|Inf|INF|nan|NaN|NAN)\b/.test(text);
    const skipsFlow = !read.flowContent && /[[{]/.test(text);
    const skipsShape = shapeDoubt(text);
    const skipsLong = read.simple && !read.flowContent && hasLineLongerThan(text, 1024) && needsExactPath(text);
    if (read.infNan) orderTally.infNan++;
    if (read.flowContent) orderTally.flowContent++;
    if (skipsInfNan || skipsFlow || skipsShape || skipsLong) {
      const fast = fastDocuments(text);
      if (fast !== undefined) {
        if (skipsInfNan) orderTally.infNanChecked++;
        if (skipsFlow) orderTally.flowChecked++;
        if (skipsShape) orderTally.shapeChecked++;
        if (skipsLong) orderTally.longChecked++;
        const exact = parseText(text).documents;
        const problems = exact.flatMap((d) => d.problems.map((p) => p.message));
        if (problems.length > 0) return `taken with kubeDoubt's .inf or flow parts, shapeDoubt or needsExactPath skipped, but the exact path reports: ${problems[0]}`;
        const difference = valueDifference(fast, exact.map((d) => d.value));
        if (difference !== undefined) return `taken with kubeDoubt's .inf or flow parts, shapeDoubt or needsExactPath skipped, but the exact path reads otherwise: ${difference}`;
      }
    }
    if (text.includes('\\/')) {
      if (read.slashEscape) orderTally.slashEscape++;
      else {
        orderTally.slashChecked++;
        if (doubleQuotedSlash(text)) return 'read with no slash escape, but `yaml` reads a double-quoted scalar with \\/';
      }
    }
  }
  if (read?.simple) {
    if (hasLineLongerThan(text, 1024)) {
      orderTally.simpleLong++;
      return undefined;
    }
    orderTally.simple++;
    if (needsExactPath(text)) return 'read as simple, with no long line, but needsExactPath says yes';
  }
  return undefined;
}

/** Whether `yaml` reads a double-quoted scalar (key or value) in the text whose source has the `\/` escape. */
function doubleQuotedSlash(text: string): boolean {
  let found = false;
  for (const doc of parseAllDocuments(text)) {
    if (!('contents' in doc)) continue;
    visit(doc, {
      Scalar(_key, node: Scalar) {
        if (node.type === 'QUOTE_DOUBLE' && node.range && SLASH_ESCAPE.test(text.slice(node.range[0], node.range[1]))) {
          found = true;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    if (found) return true;
  }
  return false;
}
