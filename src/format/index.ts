/**
 * The formatters by name.
 *
 * Room format: must not import yaml, model, input, run, app (types only from model).
 */
import { compact } from './compact.js';
import { github } from './github.js';
import { json, jsonParts } from './json.js';
import { junit } from './junit.js';
import { markdown } from './markdown.js';
import { sarif, sarifParts } from './sarif.js';
import { stylish } from './stylish.js';
import type { Formatter, PartsFormatter } from './types.js';

export const formatters: Readonly<Record<string, Formatter>> = { stylish, compact, json, sarif, github, junit, markdown };
export const FORMAT_NAMES = Object.keys(formatters);
/** The formats that can give their text in parts (each the same text as its formatter's, joined). */
export const partsFormatters: Readonly<Record<string, PartsFormatter>> = { json: jsonParts, sarif: sarifParts };
export type { Formatter, PartsFormatter, Report, RuleInfo } from './types.js';
