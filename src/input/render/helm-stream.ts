/**
 * `helm template` output: documents preceded by `# Source: <chart>/templates/<file>` comments, and
 * sometimes a trailing `NOTES:` section that is not YAML. Findings in such a stream are reported
 * against the template file, with the line inside the rendered document.
 *
 * Room input: must not import config, run, format, app, rules/ (types only from run).
 */
import { isSeparatorLine } from '../../yaml/kube-stream.js';

export interface RenderedSegment {
  /** The template path from the `# Source:` comment, e.g. `mychart/templates/deployment.yaml`. */
  source: string;
  /** 1-based line (in the whole stream) of the document's first line after the `# Source:` comment. */
  firstLine: number;
  /** 1-based last line of the document in the stream. */
  lastLine: number;
}

const SOURCE = /^# Source: (.+?)\s*$/;

/** Whether a stream looks like `helm template` output. */
export function isHelmStream(text: string): boolean {
  return /^# Source: \S/m.test(text);
}

/** Cuts a trailing `NOTES:` section (helm's post-install notes) that would not parse as YAML. */
export function stripHelmNotes(text: string): string {
  const m = /^NOTES:[ \t]*\r?$/m.exec(text);
  if (!m || !isHelmStream(text.slice(0, m.index))) return text;
  // Keep the line count so positions in the YAML part do not move.
  const tail = text.slice(m.index).replace(/[^\n]/g, '');
  return text.slice(0, m.index) + tail;
}

/** The documents of a helm stream with the template each came from. */
export function helmSegments(text: string): RenderedSegment[] {
  const lines = text.split('\n');
  const out: RenderedSegment[] = [];
  let current: RenderedSegment | undefined;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const lineNo = i + 1;
    if (isSeparatorLine(line)) {
      if (current) current.lastLine = lineNo - 1;
      current = undefined;
      return;
    }
    const m = SOURCE.exec(line);
    if (m) {
      if (current) current.lastLine = lineNo - 1;
      current = { source: m[1]!, firstLine: lineNo + 1, lastLine: lines.length };
      out.push(current);
    }
  });
  return out;
}

/** The segment holding a stream line, if any. */
export function segmentAt(segments: readonly RenderedSegment[], line: number): RenderedSegment | undefined {
  return segments.find((s) => line >= s.firstLine && line <= s.lastLine);
}
