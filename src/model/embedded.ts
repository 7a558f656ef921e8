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
import { parseText } from '../yaml/parse.js';

/**
 * An object written in a string of a document (an inline Kustomize patch), with what locates it: its
 * own document, parsed with positions from the string's text.
 */
export interface EmbeddedObject {
  object: K8sObject;
  doc: Document;
  text: string;
  lines: LineIndex;
}

/**
 * The objects written in the strings of a document (see `embeddedTexts`): each text parsed with
 * `yaml` on both paths (they are small, and few), so both read the same values. A text that does not
 * parse cleanly (a syntax error, a duplicate key) is not linted: kustomize itself rejects it.
 */
export function embeddedObjects(value: unknown, documentIndex: number, file: string): EmbeddedObject[] {
  const out: EmbeddedObject[] = [];
  for (const { path, text } of embeddedTexts(value, file)) {
    const parsed = parseText(text);
    if (parsed.documents.some((d) => !d.usable || d.problems.length > 0)) continue;
    const directives = mayHaveDirectives(parsed.text);
    let lines: LineIndex | undefined;
    for (const doc of parsed.documents) {
      for (const object of objectsOfDocument(doc.value, documentIndex, { embedded: { path, index: doc.index }, mayHaveDirectives: directives })) {
        out.push({ object, doc: doc.yaml as Document, text: parsed.text, lines: (lines ??= new LineIndex(parsed.text)) });
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
