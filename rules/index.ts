/** The explicit, sorted list of built-in rules. */
import type { AnyRule } from '../src/rule.js';
import configmapSensitiveData from './configmap-sensitive-data.js';
import secretInMainContainer from './secret-in-main-container.js';
import uncoupledContainers from './uncoupled-containers.js';

export const builtinRules: readonly AnyRule[] = [configmapSensitiveData, secretInMainContainer, uncoupledContainers];
