import { IResolver } from 'projen/lib/file';
import { YamlFile } from 'projen/lib/yaml';

import { ResolvedCi } from './resolve';
import { ActionPinRecord, GITHUB_ACTIONS } from '../core/versions';

/** Key of an action in the library's table (`versions.ts`). */
export type ActionKey = keyof typeof GITHUB_ACTIONS;

/**
 * The `uses:` references of the CI: by major tag, or by commit SHA when `pinActionsToSha` is on.
 */
export class ActionRefs {
  /** `uses:` value -> release tag, for every reference pinned to a SHA. */
  public readonly comments = new Map<string, string>();

  constructor(private readonly ci: ResolvedCi) {}

  /** The `uses:` value of an action. */
  public uses(key: ActionKey): string {
    const action = GITHUB_ACTIONS[key];
    if (!this.ci.pinActionsToSha) return `${action.repo}@${action.major}`;
    const pin = this.ci.actionShas[action.repo];
    const record: ActionPinRecord = action;
    if (!pin && record.immutable && record.release) {
      // An immutable release's tag cannot move: the exact tag pins it (see ActionPinRecord.immutable).
      return `${action.repo}@${record.release}`;
    }
    if (!pin) {
      // resolveCiOptions reports this as an option problem before any component is built.
      throw new Error(`no commit SHA for ${action.repo}: give it in ciOptions.actionShas`);
    }
    const ref = `${action.repo}@${pin.sha}`;
    this.comments.set(ref, pin.release);
    return ref;
  }
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
