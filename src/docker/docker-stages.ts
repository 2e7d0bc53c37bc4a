import { Component } from 'projen/lib/component';
import { FileBase, IResolver } from 'projen/lib/file';
import { Project } from 'projen/lib/project';
import { BASE_DOCKERIGNORE, ContextExclusion, DockerIgnore } from './dockerignore';
import { DockerStage, DockerStageOptions } from './stage';
import { checkDockerfile } from './validate';
import { formatProblem, ServiceConfigError } from '../core/problems';

/**
 * Options of {@link DockerStages}.
 */
export interface DockerStagesOptions {
  /**
   * Path of the Dockerfile.
   *
   * @default "Dockerfile"
   */
  readonly dockerfile?: string;

  /**
   * Frontend of the `# syntax=` parser directive (first line), e.g. `docker/dockerfile:1`.
   *
   * @default - no directive (the builder's own frontend)
   */
  readonly syntax?: string;

  /**
   * Stages, in order. More can be added with {@link DockerStages.addStage}.
   *
   * @default - none
   */
  readonly stages?: DockerStageOptions[];

  /**
   * Name of the stage that runs in production: with `requireNonRootUser` its last USER must not be root.
   *
   * @default - the last stage
   */
  readonly runtimeStage?: string;

  /**
   * Fail synthesis when the runtime stage's last USER is root, or when it sets none.
   *
   * @default true
   */
  readonly requireNonRootUser?: boolean;

  /**
   * Fail synthesis when a (raw) CMD or ENTRYPOINT is in shell form.
   *
   * @default false
   */
  readonly requireExecForm?: boolean;

  /**
   * Generate the ignore file of the build context and check every COPY and bind-mount source against it:
   * `.dockerignore` for a Dockerfile named `Dockerfile`, otherwise `<dockerfile>.dockerignore` (which
   * BuildKit reads for that Dockerfile).
   *
   * @default true
   */
  readonly dockerignore?: boolean;

  /**
   * Patterns of `.dockerignore`, after {@link BASE_DOCKERIGNORE} (`!pattern` re-includes; the last
   * matching line wins).
   *
   * @default - none besides the base patterns
   */
  readonly ignorePatterns?: string[];
}

/** The Dockerfile of a {@link DockerStages}, rendered from its model at synth time. */
class DockerfileFile extends FileBase {
  constructor(project: Project, filePath: string, private readonly model: DockerStages) {
    super(project, filePath);
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    return this.model.render(this.marker);
  }
}

/**
 * A typed multi-stage Dockerfile and its `.dockerignore`, rendered deterministically and checked
 * before anything is written.
 *
 * Usable on its own (`new DockerStages(project, { stages: [...] })`); `UvPythonService` builds one with
 * the uv preset. From `.projenrc.ts`, change it through {@link DockerStages.stage} (e.g.
 * `project.docker.stage('runtime').addInstructions(DockerInstruction.label({ team: 'orders' }))`),
 * {@link DockerStages.addStage} / {@link DockerStages.insertStage} and {@link DockerStages.ignore}.
 * Every change is checked in `preSynthesize`: references to missing or later stages, duplicate or
 * invalid names, cycles, a root runtime user, an unpinned uv image, a COPY source or a
 * {@link DockerStages.requireInContext} file excluded by .dockerignore, a
 * {@link DockerStages.requireOutOfContext} path (a secret) let into the context. One error lists every
 * problem, and no file is written.
 */
export class DockerStages extends Component {
  /** Path of the Dockerfile. */
  public readonly dockerfilePath: string;
  /** The `.dockerignore` file; undefined when `dockerignore: false`. */
  public readonly ignore?: DockerIgnore;
  /** `# syntax=` frontend, if any. */
  public syntax?: string;
  /** Stage that must end with a non-root USER (undefined: the last stage). */
  public runtimeStage?: string;
  /** Whether the runtime stage must end with a non-root USER. */
  public requireNonRootUser: boolean;
  /** Whether raw CMD/ENTRYPOINT lines must be in exec form. */
  public requireExecForm: boolean;
  private readonly list: DockerStage[] = [];
  private readonly inContext: string[] = [];
  private readonly outOfContext: ContextExclusion[] = [];

  constructor(project: Project, options: DockerStagesOptions = {}) {
    super(project);
    this.dockerfilePath = options.dockerfile ?? 'Dockerfile';
    this.syntax = options.syntax;
    this.runtimeStage = options.runtimeStage;
    this.requireNonRootUser = options.requireNonRootUser ?? true;
    this.requireExecForm = options.requireExecForm ?? false;
    for (const s of options.stages ?? []) this.addStage(s);

    new DockerfileFile(project, this.dockerfilePath, this);
    if (options.dockerignore ?? true) {
      // BuildKit reads `<Dockerfile path>.dockerignore` first, then `.dockerignore` at the context root.
      const ignorePath = this.dockerfilePath === 'Dockerfile' ? '.dockerignore' : `${this.dockerfilePath}.dockerignore`;
      this.ignore = new DockerIgnore(project, ignorePath);
      this.ignore.addPatterns(...BASE_DOCKERIGNORE, ...(options.ignorePatterns ?? []));
    }
  }

  /**
   * Files the image needs from the build context besides the COPY and bind-mount sources, e.g. the
   * modules inside a copied directory (`app/main.py`). At synth each one is checked against the ignore
   * file like a COPY source. Literal context-relative paths (no wildcards).
   */
  public requireInContext(...paths: string[]): void {
    for (const p of paths) if (!this.inContext.includes(p)) this.inContext.push(p);
  }

  /** The files registered with {@link requireInContext}, in order. */
  public get requiredContextPaths(): string[] {
    return [...this.inContext];
  }

  /**
   * Paths that must never be in the build context (e.g. secrets): at synth the ignore file must leave
   * each one out, or synthesis fails naming the pattern that lets it in.
   */
  public requireOutOfContext(exclusion: ContextExclusion): void {
    this.outOfContext.push({ ...exclusion, paths: [...exclusion.paths] });
  }

  /** The exclusions registered with {@link requireOutOfContext}, in order. */
  public get contextExclusions(): ContextExclusion[] {
    return this.outOfContext.map((e) => ({ ...e, paths: [...e.paths] }));
  }

  /** A copy of the stage list, in order. */
  public get stages(): DockerStage[] {
    return [...this.list];
  }

  /** Appends a stage and returns it. */
  public addStage(options: DockerStageOptions): DockerStage {
    const stage = new DockerStage(options);
    this.list.push(stage);
    return stage;
  }

  /** Inserts a stage before position `index` (0 = first) and returns it. */
  public insertStage(index: number, options: DockerStageOptions): DockerStage {
    if (!Number.isInteger(index) || index < 0 || index > this.list.length) {
      throw new Error(`${this.dockerfilePath}: stage index ${index} is out of range; expected 0..${this.list.length}.`);
    }
    const stage = new DockerStage(options);
    this.list.splice(index, 0, stage);
    return stage;
  }

  /** Removes the stage with this name. */
  public removeStage(name: string): void {
    this.list.splice(this.list.indexOf(this.stage(name)), 1);
  }

  /** The stage with this name, or undefined. */
  public tryFindStage(name: string): DockerStage | undefined {
    return this.list.find((s) => s.name === name);
  }

  /** The stage with this name; throws listing the stage names when there is none. */
  public stage(name: string): DockerStage {
    const found = this.tryFindStage(name);
    if (!found) {
      throw new Error(`${this.dockerfilePath} has no stage "${name}"; its stages are: ${this.list.map((s) => `"${s.name}"`).join(', ') || 'none'}.`);
    }
    return found;
  }

  /**
   * The Dockerfile text: the optional `# syntax=` directive (it must come first), the marker as a
   * comment, then each stage separated by a blank line; ends with a newline.
   */
  public render(marker?: string): string {
    const head = [
      ...(this.syntax ? [`# syntax=${this.syntax}`] : []),
      ...(marker ? [`# ${marker}`] : []),
    ];
    const blocks = [...(head.length > 0 ? [head.join('\n')] : []), ...this.list.map((s) => s.render())];
    return `${blocks.join('\n\n')}\n`;
  }

  /** Problems of the Dockerfile and its .dockerignore, one line each (empty when it is sound). */
  public problems(): string[] {
    return this.check().map(formatProblem);
  }

  public preSynthesize(): void {
    const found = this.check();
    if (found.length > 0) throw new ServiceConfigError(`DockerStages (${this.dockerfilePath})`, found);
  }

  private check() {
    return checkDockerfile({
      dockerfile: this.dockerfilePath,
      stages: this.list,
      runtimeStage: this.runtimeStage ?? this.list[this.list.length - 1]?.name,
      requireNonRootUser: this.requireNonRootUser,
      requireExecForm: this.requireExecForm,
      dockerignore: this.ignore ? {
        path: this.ignore.path,
        lines: this.ignore.patterns,
        originOf: (line) => this.ignore!.originOf(line),
        required: this.inContext,
        exclusions: this.outOfContext,
      } : undefined,
    });
  }
}
