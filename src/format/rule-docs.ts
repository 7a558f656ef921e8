/**
 * Where the docs of the built-in rules are published.
 *
 * Room format: must not import yaml, model, input, run, app (types only from model).
 */
/** Where the project lives, for links to rule docs from SARIF, Markdown and the Action's summary. */
export const REPOSITORY_URL = 'https://github.com/sidecar-lint/sidecar-lint';

/** The web address of a built-in rule's doc (`rules/<id>.md` in the repository). */
export function ruleDocUrl(id: string): string {
  return `${REPOSITORY_URL}/blob/main/rules/${encodeURIComponent(id)}.md`;
}
