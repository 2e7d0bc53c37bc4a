import { Component } from 'projen/lib/component';
import { Project } from 'projen/lib/project';
import { YamlFile } from 'projen/lib/yaml';
import { CiOptions } from './options';
import { DEPENDABOT_PATH } from './plan';
import { resolveCiOptions, ResolvedCi } from './resolve';
import { DroppedUpdater, dependabotCandidates, dependabotConfig, managedFiles, splitUpdaters } from './updaters';
import { Problems } from '../core/problems';

/**
 * Dependabot version updates only where their pull requests can pass: at synth, when every managed
 * file is known, the updaters whose edits land in a managed file are left out
 * ({@link splitUpdaters}); `.github/dependabot.yml` is written only when some updater remains.
 */
export class DependabotUpdates extends Component {
  /** The config file; undefined until synth, and when no updater remains. */
  public file?: YamlFile;
  /** Ecosystems in the config (known at synth). */
  public ecosystems: string[] = [];
  /**
   * Ecosystems left out, each with the managed files it would edit (known at synth).
   *
   * @internal
   */
  public _dropped: DroppedUpdater[] = [];

  private readonly ci: ResolvedCi;

  /** `options`: the CI options (their `dependabotCooldownDays`). */
  constructor(project: Project, options: CiOptions = {}) {
    super(project);
    const problems = new Problems();
    this.ci = resolveCiOptions(options, problems, '');
    problems.throwIfAny(`DependabotUpdates (${DEPENDABOT_PATH})`);
  }

  public preSynthesize(): void {
    const managed = managedFiles(this.project);
    const { kept, dropped } = splitUpdaters(dependabotCandidates(managed), managed);
    this.ecosystems = kept.map((c) => c.ecosystem);
    this._dropped = dropped;
    const obj = dependabotConfig(this.ci, this.ecosystems);
    if (obj && !this.file) this.file = new YamlFile(this.project, DEPENDABOT_PATH, { obj, committed: true });
  }
}
