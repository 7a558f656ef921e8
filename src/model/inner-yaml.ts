/**
 * YAML written inside a value (a file a ConfigMap holds), read for what it holds without positions:
 * the rules' way to the block reader, which gives js-yaml's values for the block subset faster than
 * js-yaml.
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */
import { blockReadOrRejected } from '../yaml/block-values.js';

/**
 * The documents of `text` as js-yaml's `loadAll` with CORE_SCHEMA reads them, when the block reader
 * can tell; 'rejected' when js-yaml would throw (a duplicate key, an unknown escape); undefined when
 * the text is outside the reader's subset (the caller asks js-yaml).
 */
export function coreYamlValues(text: string): unknown[] | 'rejected' | undefined {
  const read = blockReadOrRejected(text, false, 'core');
  return read === 'rejected' ? read : read?.values;
}
