/** The explicit, sorted list of built-in rules. */
import type { AnyRule } from '../src/rule.js';
import configmapSensitiveData from './configmap-sensitive-data.js';
import containerPortConflict from './container-port-conflict.js';
import duplicateContainerName from './duplicate-container-name.js';
import jobSidecarNotNative from './job-sidecar-not-native.js';
import nativeSidecarUnsupported from './native-sidecar-unsupported.js';
import secretInMainContainer from './secret-in-main-container.js';
import sharedProcessNamespaceSecret from './shared-process-namespace-secret.js';
import uncoupledContainers from './uncoupled-containers.js';

export const builtinRules: readonly AnyRule[] = [
  configmapSensitiveData,
  containerPortConflict,
  duplicateContainerName,
  jobSidecarNotNative,
  nativeSidecarUnsupported,
  secretInMainContainer,
  sharedProcessNamespaceSecret,
  uncoupledContainers,
];
