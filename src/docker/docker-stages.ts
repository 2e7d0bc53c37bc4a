import { Component } from 'projen/lib/component';
import { FileBase, IResolver } from 'projen/lib/file';
import { Project } from 'projen/lib/project';
import type { TaskStep } from 'projen/lib/task-model';
import { checkDockerfile, lastUser } from './checks';
import { ContextExclusion, DockerIgnore } from './dockerignore';
import { BASE_DOCKERIGNORE } from './ignore-matcher';
import { DockerInstructionKind, DockerStage, DockerStageOptions, ExecFormInstruction } from './model';
import { DerivedAction, reconcileDerived } from '../core/derived';
import { checkKnownOptions } from '../core/known-options';
import { IMAGE_REPOSITORY } from '../core/option-reader';
import { formatProblem, OptionProblem, Problems, ServiceConfigError } from '../core/problems';

/** Task that builds the runtime stage (when {@link DockerStagesOptions.imageName} is given). */
const DOCKER_BUILD_TASK = 'docker:build';

/** Task that builds the testing stage and runs it (when there is a testing stage and an image name). */
const DOCKER_TEST_TASK = 'docker:test';

/**
 * A role a stage of a {@link DockerStages} plays, which files outside the Dockerfile read (a build
 * target of a task, of CI, of compose.yaml).
 */
export enum DockerStageRole {
  /** The stage that runs the application (`runtimeStage`); required. */
  RUNTIME = 'runtime',
  /** The stage that runs the test suite (`testingStage`); optional. */
  TESTING = 'testing',
  /** The stage that installs the dependencies and the project (`builderStage`); optional. */
  BUILDER = 'builder',
}

interface TaskSpec {
  readonly description: string;
  readonly steps: TaskStep[];
}

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
   * Name of the stage that runs the test suite: the `docker:test` task and CI build it. Optional; when
   * that stage is removed (`removeStage`) the role goes with it, and so do the task and the CI steps.
   *
   * @default - no testing stage
   */
  readonly testingStage?: string;

  /**
   * Name of the stage that installs the dependencies and the project.
   *
   * @default - no builder role
   */
  readonly builderStage?: string;

  /**
   * Port the runtime stage listens on. The files that reach the running image read it here
   * (compose.yaml publishes it, deploy/k8s/ probes it); an error about it names them.
   *
   * @default - none stated: no file publishes the image's port
   */
  readonly port?: number;

  /**
   * HTTP path on which the runtime answers health checks (the Kubernetes probes read it here).
   *
   * @default - none stated
   */
  readonly healthPath?: string;

  /**
   * HTTP path on which the runtime answers readiness checks: 200 when it can serve traffic (its
   * database answers), 503 while it cannot (the Kubernetes readiness probe reads it here).
   *
   * @default - none stated: readiness probes use the health path
   */
  readonly readyPath?: string;

  /**
   * Seconds the runtime gets from the stop signal to the kill. The files that stop it read it here
   * (compose.yaml's `stop_grace_period`, deploy/k8s/'s `terminationGracePeriodSeconds`), and the CMD's
   * `--timeout-graceful-shutdown` is checked against it; an error about it names them.
   *
   * @default - none stated
   */
  readonly gracePeriodSeconds?: number;

  /**
   * Build context, relative to the project root: COPY sources and `requireInContext` paths are relative
   * to it. The tasks, CI and compose.yaml read it.
   *
   * @default "."
   */
  readonly context?: string;

  /**
   * Name (repository, no tag) of the image the `docker:build` and `docker:test` tasks tag. With it,
   * those tasks are added; they are derived at synth from the stages' roles, the Dockerfile path and
   * the context.
   *
   * @default - no tasks
   */
  readonly imageName?: string;

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
 * {@link DockerStages.requireOutOfContext} path (a secret) let into the context, a key of the options
 * or of a stage's options that is not a documented option. One error lists every problem, and no file
 * is written.
 */
export class DockerStages extends Component {
  /**
   * The project's `DockerStages`, or undefined when it has none: how the other components (CI, compose,
   * tasks) find the Dockerfile's facts at synth, like projen's `GitHub.of(project)`.
   */
  public static of(project: Project): DockerStages | undefined {
    const isDockerStages = (c: Component): c is DockerStages => c instanceof DockerStages;
    return project.components.find(isDockerStages);
  }

  /** Path of the Dockerfile. */
  public readonly dockerfilePath: string;
  /** Build context, relative to the project root. */
  public readonly context: string;
  /** Stage that runs the test suite (undefined: none); removing that stage clears it. */
  public testingStage?: string;
  /** Stage that installs the dependencies and the project (undefined: none); removing that stage clears it. */
  public builderStage?: string;
  /** Image name (repository, no tag) the tasks tag; undefined: no tasks. */
  public imageName?: string;
  /** Port the runtime stage listens on, as the options state it (see {@link DockerStagesOptions.port}). */
  public readonly port?: number;
  /** HTTP path of the runtime's health checks, as the options state it. */
  public readonly healthPath?: string;
  /** HTTP path of the runtime's readiness checks, as the options state it. */
  public readonly readyPath?: string;
  /** Seconds from the stop signal to the kill (see {@link DockerStagesOptions.gracePeriodSeconds}). */
  public readonly gracePeriodSeconds?: number;
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
  /** Stage names `removeStage` removed, to name that edit in errors. */
  private readonly removed = new Set<string>();
  /** Who reads each role, named in errors (`.github/workflows/ci.yml (job docker)`). */
  private readonly readers = new Map<DockerStageRole, string[]>();
  /** Who depends on the port, named in errors (`compose.yaml publishes it`). */
  private readonly portReaderList: string[] = [];
  /** Who depends on the grace period, named in errors (`compose.yaml stops the app within it`). */
  private readonly graceReaderList: string[] = [];
  /** The tasks as this component last built them (JSON), to tell the user's edits from the model's. */
  private readonly builtTasks = new Map<string, string>();
  /** Unknown option keys, reported at synth with the Dockerfile's other problems. */
  private readonly optionProblems = new Problems();
  /** Checks registered with {@link _addCheck}. */
  private readonly addedChecks: Array<() => OptionProblem[]> = [];

  constructor(project: Project, options: DockerStagesOptions = {}) {
    super(project);
    checkKnownOptions(this.optionProblems, options, 'DockerStagesOptions', 'DockerStages');
    this.dockerfilePath = options.dockerfile ?? 'Dockerfile';
    this.context = options.context ?? '.';
    this.syntax = options.syntax;
    this.runtimeStage = options.runtimeStage;
    this.testingStage = options.testingStage;
    this.builderStage = options.builderStage;
    this.imageName = options.imageName;
    this.port = options.port;
    this.healthPath = options.healthPath;
    this.readyPath = options.readyPath;
    this.gracePeriodSeconds = options.gracePeriodSeconds;
    this.requireNonRootUser = options.requireNonRootUser ?? true;
    this.requireExecForm = options.requireExecForm ?? false;
    for (const s of options.stages ?? []) this.list.push(new DockerStage(s));

    new DockerfileFile(project, this.dockerfilePath, this);
    if (options.dockerignore ?? true) {
      // BuildKit reads `<Dockerfile path>.dockerignore` first, then `.dockerignore` at the context root.
      const atRoot = this.dockerfilePath === 'Dockerfile' && this.context === '.';
      const ignorePath = atRoot ? '.dockerignore' : `${this.dockerfilePath}.dockerignore`;
      this.ignore = new DockerIgnore(project, ignorePath);
      this.ignore.addPatterns(...BASE_DOCKERIGNORE, ...(options.ignorePatterns ?? []));
    }
    this.syncTasks();
  }

  /**
   * The name of the stage that runs the application: {@link runtimeStage}, or the last stage when it is
   * unset (empty when there is no stage). Read at synth by the tasks, CI and compose.yaml.
   */
  public get runtimeTarget(): string {
    return this.runtimeStage ?? this.list[this.list.length - 1]?.name ?? '';
  }

  /**
   * Records that `reader` (a file and where in it, e.g. `.github/workflows/ci.yml (job docker)`) builds
   * the stage of `role`: an error about that stage (removed, or the role pointed at a missing stage)
   * names every reader.
   */
  public addRoleReader(role: DockerStageRole, reader: string): void {
    const list = this.readers.get(role) ?? [];
    if (!list.includes(reader)) list.push(reader);
    this.readers.set(role, list);
  }

  /**
   * Records that `reader` depends on {@link port}, in the words an error shows it (`compose.yaml
   * publishes it`): an error about the port names every reader.
   */
  public addPortReader(reader: string): void {
    if (!this.portReaderList.includes(reader)) this.portReaderList.push(reader);
  }

  /**
   * Records that `reader` depends on {@link gracePeriodSeconds}, in the words an error shows it
   * (`compose.yaml stops the app within it`): an error about the grace period names every reader.
   */
  public addGracePeriodReader(reader: string): void {
    if (!this.graceReaderList.includes(reader)) this.graceReaderList.push(reader);
  }

  /** The readers of {@link gracePeriodSeconds} in one phrase; empty when none. */
  public get gracePeriodReaders(): string {
    const list = this.graceReaderList;
    return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
  }

  /** The readers of {@link port} in one phrase (`compose.yaml publishes it and ...`); empty when none. */
  public get portReaders(): string {
    const list = this.portReaderList;
    return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
  }

  /**
   * The USER in effect at the end of the runtime stage (followed through `fromStage`), as written
   * (`10001:10001`); undefined when none is set. The manifests run the image as it.
   */
  public get runtimeUser(): string | undefined {
    const index = this.list.findIndex((s) => s.name === this.runtimeTarget);
    if (index < 0) return undefined;
    return lastUser(this.list, index, new Map(this.list.map((s, i) => [s.name.toLowerCase(), i] as [string, number])));
  }

  /** The exec-form CMD of the runtime stage (its last CMD), as arguments; undefined when it has none. */
  public get runtimeCommand(): string[] | undefined {
    const stage = this.tryFindStage(this.runtimeTarget);
    const cmds = (stage?.findInstructions(DockerInstructionKind.CMD) ?? []).filter((i): i is ExecFormInstruction => i instanceof ExecFormInstruction);
    return cmds.length > 0 ? [...cmds[cmds.length - 1].args] : undefined;
  }

  /**
   * Files the image needs from the build context besides the COPY and bind-mount sources, e.g. the
   * modules inside a copied directory (`app/main.py`). At synth each one is checked against the ignore
   * file like a COPY source. Literal context-relative paths (no wildcards).
   */
  public requireInContext(...paths: string[]): void {
    for (const p of paths) if (!this.inContext.includes(p)) this.inContext.push(p);
  }

  /**
   * The files registered with {@link requireInContext}, then those of each stage
   * ({@link DockerStage.requireInContext}), in stage order, each once.
   */
  public get requiredContextPaths(): string[] {
    return [...new Set([...this.inContext, ...this.list.flatMap((s) => s.requiredContextPaths)])];
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
    this.checkStageOptions('addStage', options);
    const stage = new DockerStage(options);
    this.list.push(stage);
    return stage;
  }

  /** Inserts a stage before position `index` (0 = first) and returns it. */
  public insertStage(index: number, options: DockerStageOptions): DockerStage {
    if (!Number.isInteger(index) || index < 0 || index > this.list.length) {
      throw new Error(`${this.dockerfilePath}: stage index ${index} is out of range; expected 0..${this.list.length}.`);
    }
    this.checkStageOptions('insertStage', options);
    const stage = new DockerStage(options);
    this.list.splice(index, 0, stage);
    return stage;
  }

  /**
   * Removes the stage with this name. An optional role it played (testing, builder) goes with it, and
   * so does what reads that role (the `docker:test` task, the CI's testing steps). The runtime stage
   * cannot go without a replacement: point {@link runtimeStage} at another stage first, or the synth
   * fails naming this edit and the files that build it.
   */
  public removeStage(name: string): void {
    this.list.splice(this.list.indexOf(this.stage(name)), 1);
    this.removed.add(name);
    if (this.testingStage === name) this.testingStage = undefined;
    if (this.builderStage === name) this.builderStage = undefined;
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
    return this._checkProblems().map(formatProblem);
  }

  /**
   * Problems of the Dockerfile, its .dockerignore, the stages' roles and the tasks derived from them,
   * as {@link OptionProblem}s (what `UvPythonService` lists with its other cross-file problems).
   *
   * @internal
   */
  public _checkProblems(): OptionProblem[] {
    const added = this.addedChecks.flatMap((check) => check());
    return [...added, ...this.roleProblems(), ...this.check(), ...this.syncTasks(true)];
  }

  /**
   * Registers a check of the model that a preset adds to the Dockerfile's own (the uv preset's runtime
   * command against the service's port and app). A check may first bring a part of the model in line
   * with facts known only at synth (the workspace members a service's image copies) and return what
   * prevents it; it must be idempotent. The checks run first whenever the model is checked
   * ({@link _checkProblems}: the owning project's own check, then this component's `preSynthesize`), so
   * every check and the rendered files see the same model.
   *
   * @internal
   */
  public _addCheck(check: () => OptionProblem[]): void {
    this.addedChecks.push(check);
  }

  public preSynthesize(): void {
    const found = this._checkProblems();
    if (found.length > 0) throw new ServiceConfigError(`DockerStages (${this.dockerfilePath})`, found);
    this.syncTasks();
  }

  /** Where this component is reached from `.projenrc.ts`, in messages. */
  private get label(): string {
    return (this.project as { docker?: unknown }).docker === this ? 'project.docker' : 'DockerStages';
  }

  private readersOf(role: DockerStageRole): string {
    // The tasks read the model while it has an image name; the other readers registered themselves.
    const task = this.imageName === undefined ? undefined
      : role === DockerStageRole.RUNTIME ? DOCKER_BUILD_TASK : role === DockerStageRole.TESTING ? DOCKER_TEST_TASK : undefined;
    const list = [...(task ? [`the ${task} task (.projen/tasks.json)`] : []), ...(this.readers.get(role) ?? [])];
    if (list.length === 0) return '';
    const joined = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
    return `${joined} ${list.length === 1 ? 'builds' : 'build'} it`;
  }

  /** Each role must name a stage of the Dockerfile; the image name must be a valid repository. */
  private roleProblems(): OptionProblem[] {
    const problems = new Problems();
    const names = this.list.map((s) => `"${s.name}"`).join(', ') || 'none';
    const roles: Array<[DockerStageRole, string, string | undefined]> = [
      [DockerStageRole.RUNTIME, 'runtimeStage', this.runtimeStage],
      [DockerStageRole.TESTING, 'testingStage', this.testingStage],
      [DockerStageRole.BUILDER, 'builderStage', this.builderStage],
    ];
    for (const [role, property, name] of roles) {
      if (name === undefined || this.tryFindStage(name)) continue;
      const readers = this.readersOf(role);
      const uses = readers ? `${readers} as the ${role} stage` : `it is the ${role} stage`;
      const edit = this.removed.has(name)
        ? `names the stage that ${this.label}.removeStage("${name}") removed, but ${uses}; keep that stage, or point ${this.label}.${property} at the stage that replaces it (stages now: ${names})`
        : `names no stage of ${this.dockerfilePath}, but ${uses}; name one of its stages (${names})`;
      problems.add(`${this.label}.${property}`, name, `${edit}${role === DockerStageRole.RUNTIME ? '' : ', or set it to undefined'}.`);
    }
    if (this.imageName !== undefined && !IMAGE_REPOSITORY.test(this.imageName)) {
      problems.add(`${this.label}.imageName`, this.imageName,
        'expected a Docker repository name without tag: lowercase letters, digits, ".", "_", "-", and "/" between components, e.g. "orders-api".');
    }
    return [...problems.all];
  }

  /** The tasks the live model gives: undefined for a task it gives none (no image name, no testing stage). */
  private wantedTasks(): Map<string, TaskSpec | undefined> {
    const wanted = new Map<string, TaskSpec | undefined>([[DOCKER_BUILD_TASK, undefined], [DOCKER_TEST_TASK, undefined]]);
    const image = this.imageName;
    if (image === undefined) return wanted;
    // `docker build` reads <context>/Dockerfile unless told: name the file when it is not there.
    const file = this.dockerfilePath === 'Dockerfile' && this.context === '.' ? '' : ` -f ${this.dockerfilePath}`;
    const build = (target: string, tag: string) => `docker build${file} --target ${target} --tag ${image}:${tag} ${this.context}`;
    const runtime = this.runtimeTarget;
    wanted.set(DOCKER_BUILD_TASK, {
      description: `Build the ${runtime} image ${image}:latest`,
      steps: [{ exec: build(runtime, 'latest') }],
    });
    const testing = this.testingStage;
    wanted.set(DOCKER_TEST_TASK, testing === undefined ? undefined : {
      description: `Build the ${testing} stage and run the test suite in it`,
      steps: [{ exec: build(testing, testing) }, { exec: `docker run --rm ${image}:${testing}` }],
    });
    return wanted;
  }

  /**
   * Brings the tasks in line with the live model (see {@link reconcileDerived}): a task edited in
   * `.projenrc.ts` is kept while the model still gives what it gave. With `dryRun`, changes nothing
   * and returns the conflicts (a task edited while the model it is built from changed too).
   */
  private syncTasks(dryRun = false): OptionProblem[] {
    const problems = new Problems();
    const tasks = this.project.tasks;
    for (const [name, spec] of this.wantedTasks()) {
      const task = tasks.tryFind(name);
      const current = task ? JSON.stringify({ description: task.description, steps: task.steps }) : undefined;
      const wanted = spec ? JSON.stringify(spec) : undefined;
      const action = reconcileDerived(current, this.builtTasks.get(name), wanted);
      if (action === DerivedAction.CONFLICT) {
        problems.add(`task ${name}`, task!.steps.map((s) => s.exec ?? s.spawn ?? s.say ?? s.builtin).join(' && '),
          `was edited in .projenrc.ts, and the stages it builds changed too (it would now run: ${spec ? spec.steps.map((s) => s.exec).join(' && ') : 'nothing: its stage is gone'}); ` +
          `make the change in one place: edit ${this.label} and leave the task to it, or remove the task (project.removeTask("${name}")) and add your own under another name.`);
        continue;
      }
      if (dryRun) continue;
      if (action === DerivedAction.REMOVE) {
        this.project.removeTask(name);
        this.builtTasks.delete(name);
      } else if (action === DerivedAction.CREATE) {
        this.project.addTask(name, { description: spec!.description, steps: spec!.steps.map((st) => ({ ...st })) });
        this.builtTasks.set(name, wanted!);
      } else if (action === DerivedAction.REPLACE) {
        task!.reset();
        task!.description = spec!.description;
        task!.addSteps(...spec!.steps.map((st) => ({ ...st })));
        this.builtTasks.set(name, wanted!);
      }
    }
    return [...problems.all];
  }

  private checkStageOptions(method: string, options: DockerStageOptions): void {
    const name = (options as { name?: unknown } | undefined)?.name;
    checkKnownOptions(this.optionProblems, options, 'DockerStageOptions', 'DockerStageOptions',
      `${method}(${typeof name === 'string' ? JSON.stringify(name) : ''})`);
  }

  private check() {
    return [...this.optionProblems.all, ...this.checkModel()];
  }

  private checkModel() {
    const runtime = this.runtimeTarget;
    return checkDockerfile({
      dockerfile: this.dockerfilePath,
      stages: this.list,
      // A runtime role naming no stage is reported by roleProblems, with the files that build it.
      runtimeStage: this.tryFindStage(runtime) ? runtime : undefined,
      requireNonRootUser: this.requireNonRootUser,
      requireExecForm: this.requireExecForm,
      dockerignore: this.ignore ? {
        path: this.ignore.path,
        lines: this.ignore.patterns,
        originOf: (line) => this.ignore!.originOf(line),
        required: this.requiredContextPaths,
        exclusions: this.outOfContext,
      } : undefined,
    });
  }
}
