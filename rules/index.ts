/** The explicit, sorted list of built-in rules. */
import type { AnyRule } from '../src/rule.js';
import configmapSensitiveData from './configmap-sensitive-data.js';
import containerPortConflict from './container-port-conflict.js';
import defaultContainerMissing from './default-container-missing.js';
import duplicateContainerName from './duplicate-container-name.js';
import envLiteralSecret from './env-literal-secret.js';
import exposedSecretSidecar from './exposed-secret-sidecar.js';
import jobSidecarNotNative from './job-sidecar-not-native.js';
import mainContainerToken from './main-container-token.js';
import missingReferenceKey from './missing-reference-key.js';
import nativeSidecarUnsupported from './native-sidecar-unsupported.js';
import secretCommitted from './secret-committed.js';
import secretDataPlaintext from './secret-data-plaintext.js';
import secretEnvVar from './secret-env-var.js';
import secretInMainContainer from './secret-in-main-container.js';
import secretInvalidBase64 from './secret-invalid-base64.js';
import sharedProcessNamespaceSecret from './shared-process-namespace-secret.js';
import sidecarMissingResources from './sidecar-missing-resources.js';
import uncoupledContainers from './uncoupled-containers.js';

export const builtinRules: readonly AnyRule[] = [
  configmapSensitiveData,
  containerPortConflict,
  defaultContainerMissing,
  duplicateContainerName,
  envLiteralSecret,
  exposedSecretSidecar,
  jobSidecarNotNative,
  mainContainerToken,
  missingReferenceKey,
  nativeSidecarUnsupported,
  secretCommitted,
  secretDataPlaintext,
  secretEnvVar,
  secretInMainContainer,
  secretInvalidBase64,
  sharedProcessNamespaceSecret,
  sidecarMissingResources,
  uncoupledContainers,
];
