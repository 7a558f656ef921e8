/**
 * Embedded documents: YAML texts written in a string of a document whose documents hold objects of
 * their own (inline Kustomize patches, see model/kustomization.ts). Their objects are linted like
 * the file's, and their findings are located in the file, inside the string.
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */
import type { Document } from 'yaml';
import { embeddedRange, LineIndex, locateInner, locateOffsets, type Locator } from '../yaml/locate.js';
import { embeddedTexts } from './kustomization.js';
import { mayHaveDirectives, objectsOfDocument, type K8sObject } from './objects.js';
import { parseText, type ParsedFile } from '../yaml/parse.js';
import { fastDocuments } from '../yaml/fast-parse.js';

/**
 * An object written in a string of a document (an inline Kustomize patch), with what locates it: its
 * own document, parsed with positions from the string's text (on the fast path, when first asked).
 */
export interface EmbeddedObject {
  object: K8sObject;
  readonly doc: Document;
  readonly text: string;
  readonly lines: LineIndex;
}

/** An embedded text, parsed with positions once and only when something in it is located. */
class EmbeddedSource {
  private lineIndex: LineIndex | undefined;

  constructor(
    private readonly source: string,
    private parsed?: ParsedFile,
  ) {}

  file(): ParsedFile {
    return (this.parsed ??= parseText(this.source));
  }

  lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.file().text));
  }
}

class Embedded implements EmbeddedObject {
  constructor(
    readonly object: K8sObject,
    private readonly source: EmbeddedSource,
    private readonly index: number,
  ) {}

  get doc(): Document {
    return this.source.file().documents[this.index]!.yaml as Document;
  }

  get text(): string {
    return this.source.file().text;
  }

  get lines(): LineIndex {
    return this.source.lines();
  }
}

/**
 * The objects written in the strings of a document (see `embeddedTexts`). A text that does not parse
 * cleanly (a syntax error, a duplicate key) is not linted: kustomize itself rejects it. Each text is
 * read as the file's documents are: on the fast path (js-yaml, `fastDocuments`) where it gives the
 * exact path's values and nothing to report, then parsed with positions only to locate a finding in
 * it; with `exact`, or where the fast path refuses, parsed with `yaml` (positions and problems). A
 * text that cannot hold a `kind` key (no `kind`, no escape that could write one) holds no object and
 * is not read at all: JSON 6902 operations (`- op: replace`) are most inline patches without one.
 */
export function embeddedObjects(value: unknown, documentIndex: number, file: string, exact = false): EmbeddedObject[] {
  const out: EmbeddedObject[] = [];
  for (const { path, text } of embeddedTexts(value, file)) {
    if (!text.includes('kind') && !text.includes('\\')) continue;
    const values = exact ? undefined : fastDocuments(text);
    if (values) {
      const source = new EmbeddedSource(text);
      const directives = mayHaveDirectives(text);
      values.forEach((v, index) => {
        for (const object of objectsOfDocument(v, documentIndex, { embedded: { path, index }, mayHaveDirectives: directives })) {
          out.push(new Embedded(object, source, index));
        }
      });
      continue;
    }
    const parsed = parseText(text);
    if (parsed.documents.some((d) => !d.usable || d.problems.length > 0)) continue;
    const directives = mayHaveDirectives(parsed.text);
    const source = new EmbeddedSource(text, parsed);
    for (const doc of parsed.documents) {
      for (const object of objectsOfDocument(doc.value, documentIndex, { embedded: { path, index: doc.index }, mayHaveDirectives: directives })) {
        out.push(new Embedded(object, source, doc.index));
      }
    }
  }
  return out;
}

/**
 * Where a path of an embedded object is in the document holding its string: located in its own
 * text, then moved into the string when it is a literal block scalar (`patch: |`), whose lines map
 * one to one; otherwise at the string's entry.
 */
export function embeddedLocator(outer: Locator, embedded: EmbeddedObject): Locator {
  const at = embedded.object.embedded!.path;
  const move = (range: [number, number]): [number, number] =>
    embeddedRange(embedded.lines, range, (inner) => outer.inner(at, inner)) ?? outer.offsets(at);
  return {
    offsets: (path) => move(locateOffsets(embedded.doc, path)),
    inner(path, inner) {
      const range = locateInner(embedded.doc, embedded.text, path, inner);
      return range && move(range);
    },
  };
}
