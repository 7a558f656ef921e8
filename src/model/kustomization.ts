/**
 * What a kustomization holds besides references to files: YAML documents written in its strings
 * (inline patches). Knows Kustomize's file format, not YAML parsing: the engine parses the texts.
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */
import type { Path } from '../types.js';
import { asArray, isPlainMap } from './objects.js';

/** The file names kustomize reads a kustomization from. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

const KUSTOMIZE_API = /^kustomize\.config\.k8s\.io\//;

/**
 * Whether a document is a kustomization: its kind is `Kustomization` or `Component` with a
 * `kustomize.config.k8s.io` apiVersion, or it is a map without a kind in a file named
 * `kustomization.yaml`, `kustomization.yml` or `Kustomization` (kustomize does not need the header).
 */
export function isKustomization(value: unknown, file: string): boolean {
  if (!isPlainMap(value)) return false;
  const { kind, apiVersion } = value;
  if ((kind === 'Kustomization' || kind === 'Component') && typeof apiVersion === 'string' && KUSTOMIZE_API.test(apiVersion)) return true;
  if (kind !== undefined && kind !== 'Kustomization' && kind !== 'Component') return false;
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return (KUSTOMIZATION_FILES as readonly string[]).includes(base);
}

/** A YAML text written in a string of a document, whose documents are objects of their own. */
export interface EmbeddedText {
  /** The path of the string from the document's root. */
  path: Path;
  text: string;
}

/**
 * The inline patches of a kustomization document (see `isKustomization`): `patches[].patch`, and the
 * `patchesStrategicMerge` entries that are YAML texts rather than file names (they span lines).
 * `patchesJson6902[].patch` holds operations, not objects, and is left out (a `patches[].patch` that
 * holds operations yields no object either). Empty for any other document.
 */
export function embeddedTexts(value: unknown, file: string): EmbeddedText[] {
  if (!isKustomization(value, file) || !isPlainMap(value)) return [];
  const out: EmbeddedText[] = [];
  asArray(value.patches).forEach((entry, i) => {
    if (isPlainMap(entry) && typeof entry.patch === 'string' && entry.patch.trim() !== '') out.push({ path: ['patches', i, 'patch'], text: entry.patch });
  });
  asArray(value.patchesStrategicMerge).forEach((entry, i) => {
    if (typeof entry === 'string' && entry.includes('\n') && entry.trim() !== '') out.push({ path: ['patchesStrategicMerge', i], text: entry });
  });
  return out;
}
