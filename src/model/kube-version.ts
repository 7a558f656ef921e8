/**
 * The Kubernetes version the manifests target (`settings.kubeVersion`, `--kube-version`): parsing,
 * comparison, and the releases that matter to the rules.
 *
 * Room model: must not import input, config, run, format, app, rules/.
 */

export interface KubeVersion {
  major: number;
  minor: number;
}

/** Native sidecars (`initContainers[]` with `restartPolicy: Always`): beta and on by default in 1.29. */
export const NATIVE_SIDECARS_SINCE: KubeVersion = { major: 1, minor: 29 };

/** The newest release sidecar-lint knows; a setting that cannot be read means this one. */
export const NEWEST_KUBE_VERSION: KubeVersion = { major: 1, minor: 34 };

/**
 * `"1.29"`, `"v1.29"`, `"1.29.3"` (and a full release such as `"v1.29.3-eks-1234"` as `kubectl version`
 * prints it) → `{ major: 1, minor: 29 }`. Anything else, including a bare `"1"`, `"1.x"`, four parts or
 * a non-string, → undefined. Surrounding whitespace is ignored.
 */
export function parseKubeVersion(text: unknown): KubeVersion | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^v?(\d{1,6})\.(\d{1,6})(?:\.\d{1,6}(?:[-+][0-9A-Za-z][0-9A-Za-z.+-]*)?)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** Negative when `a` is older than `b`, 0 when equal, positive when newer. */
export function compareKubeVersions(a: KubeVersion, b: KubeVersion): number {
  return a.major - b.major || a.minor - b.minor;
}

/** `"1.29"`. */
export function formatKubeVersion(v: KubeVersion): string {
  return `${v.major}.${v.minor}`;
}

/** The target version of a setting; a missing or unreadable setting means the newest release. */
export function targetKubeVersion(setting: unknown): KubeVersion {
  return parseKubeVersion(setting) ?? NEWEST_KUBE_VERSION;
}

/** Whether the targeted version (a setting as in `SharedSettings.kubeVersion`) is `since` or later. */
export function kubeVersionAtLeast(setting: unknown, since: KubeVersion): boolean {
  return compareKubeVersions(targetKubeVersion(setting), since) >= 0;
}

/** Whether the targeted version supports native sidecars. */
export function supportsNativeSidecars(setting: unknown): boolean {
  return kubeVersionAtLeast(setting, NATIVE_SIDECARS_SINCE);
}
