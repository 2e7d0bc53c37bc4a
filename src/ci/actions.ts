import { IResolver } from 'projen/lib/file';
import { YamlFile } from 'projen/lib/yaml';

import { ResolvedCi } from './resolve';
import { ActionPinRecord, FIRST_NODE24_MAJOR, GITHUB_ACTIONS } from '../core/versions';

/** Key of an action in the library's table (`versions.ts`). */
export type ActionKey = keyof typeof GITHUB_ACTIONS;

/**
 * The `uses:` references of the CI: by major tag, or by commit SHA when `pinActionsToSha` is on.
 */
export class ActionRefs {
  /** `uses:` value -> release tag, for every reference pinned to a SHA. */
  public readonly comments = new Map<string, string>();

  constructor(private readonly ci: ResolvedCi) {}

  /**
   * The `uses:` value of an action: its commit SHA with `pinActionsToSha` (or when the action's fix is on
   * a commit only, `shaOnly`), else its tag. An action pinned without a confirmed SHA is referenced by
   * its exact release tag.
   */
  public uses(key: ActionKey): string {
    const action: ActionPinRecord = GITHUB_ACTIONS[key];
    const user = this.ci.actionShas[action.repo];
    if (!this.ci.pinActionsToSha && !action.shaOnly) return `${action.repo}@${action.tag}`;
    const pin = user ?? (action.sha ? { sha: action.sha, release: action.release } : undefined);
    if (!pin) return `${action.repo}@${action.release}`;
    const ref = `${action.repo}@${pin.sha}`;
    this.comments.set(ref, pin.release);
    return ref;
  }
}

/**
 * The problem of a pinned release that runs on Node 20 although the action has a Node 24 major
 * ({@link FIRST_NODE24_MAJOR}), or of an action the table does not know; undefined when it is fine.
 * A release that is a default-branch commit (`shaOnly`) carries no major and is not checked here.
 */
export function node20Problem(repo: string, release: string): string | undefined {
  if (!(repo in FIRST_NODE24_MAJOR)) return `${repo}: not in FIRST_NODE24_MAJOR (add its first Node 24 major, from its release notes)`;
  const first = FIRST_NODE24_MAJOR[repo];
  const major = /^v(\d+)(\.|$)/.exec(release)?.[1];
  if (first === null || major === undefined) return undefined;
  return Number(major) < first ? `${repo}@${release}: v${major} runs on Node 20 (Node 24 from v${first})` : undefined;
}

/** A `uses:` line as projen's YAML renderer writes a plain (unquoted) scalar. */
const USES_LINE = /^(\s*(?:- )?uses: )([A-Za-z0-9._/-]+@[0-9a-f]{40})$/;

/**
 * Appends ` # <release>` to each `uses: owner/repo@<sha>` line whose reference is in `comments`.
 *
 * projen's `YamlFile` renders through `JSON.stringify` and cannot carry comments, so the comment is
 * added to the rendered text: only to lines that hold exactly `uses: <ref>` with `<ref>` a plain
 * scalar of the given form (letters, digits, `._/-`, `@`, 40 hex digits), where a following ` # …`
 * is a YAML comment by definition and leaves the value unchanged. Tests parse the result to check it.
 */
function addReleaseComments(yaml: string, comments: ReadonlyMap<string, string>): string {
  return yaml
    .split('\n')
    .map((line) => {
      const m = USES_LINE.exec(line);
      const release = m ? comments.get(m[2]) : undefined;
      return release ? `${line} # ${release}` : line;
    })
    .join('\n');
}

/** Release comments of each adopted workflow file. */
const COMMENTS = new WeakMap<YamlFile, ReadonlyMap<string, string>>();

/**
 * A `YamlFile` that writes the release after each SHA-pinned `uses:` reference as a comment.
 *
 * `github.GithubWorkflow` creates its own `YamlFile`; {@link PinnedActionsYamlFile.adopt} gives that
 * very object this class's rendering, so the workflow and every escape hatch on `workflow.file`
 * (`addOverride`, `patch`, …) keep working unchanged.
 */
export class PinnedActionsYamlFile extends YamlFile {
  public static adopt(file: YamlFile, comments: ReadonlyMap<string, string>): void {
    COMMENTS.set(file, comments);
    Object.setPrototypeOf(file, PinnedActionsYamlFile.prototype);
  }

  protected synthesizeContent(resolver: IResolver): string | undefined {
    const text = super.synthesizeContent(resolver);
    const comments = COMMENTS.get(this);
    return text === undefined || !comments ? text : addReleaseComments(text, comments);
  }
}
