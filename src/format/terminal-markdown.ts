/**
 * Markdown for a terminal (`--explain`): headings as plain lines (underlined when coloured), code
 * blocks indented by four spaces without their fences, links as `text (address)`, emphasis and
 * inline code marks dropped, HTML comments left out. Everything else is printed as written.
 *
 * Room format: must not import yaml, model, input, run, app (types only from model).
 */
export function terminalMarkdown(markdown: string, color = false): string {
  const out: string[] = [];
  let fence: string | null = null;
  let inComment = false;
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (fence !== null) {
      if (raw.trim().startsWith(fence) && raw.trim().replace(/`|~/g, '') === '') fence = null;
      else out.push(`    ${raw}`);
      continue;
    }
    if (inComment) {
      if (raw.includes('-->')) inComment = false;
      continue;
    }
    const open = /^\s*(```+|~~~+)/.exec(raw);
    if (open) {
      fence = open[1]!;
      continue;
    }
    let line = raw.replace(/<!--.*?-->/g, '');
    if (line.includes('<!--')) {
      inComment = true;
      line = line.slice(0, line.indexOf('<!--'));
    }
    if (line.trim() === '' && raw.trim() !== '') continue; // a line that was only a comment
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const text = inline(heading[2]!);
      out.push(color ? `\u001b[1m\u001b[4m${text}\u001b[0m` : heading[1]!.length <= 2 ? `${text}\n${(heading[1]!.length === 1 ? '=' : '-').repeat(text.length)}` : text);
      continue;
    }
    out.push(inline(line));
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\s+$/, '')}\n`;
}

/** Inline marks: links, bold/italic, code spans. */
function inline(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|[^\w*])\*([^*\s][^*]*)\*(?!\w)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1');
}
