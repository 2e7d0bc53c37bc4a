import { continued, csvField, isBarePath, jsonArray, quoteKey, quoteValue, renderPairs } from './render';

/**
 * The kind of a Dockerfile instruction in the {@link DockerStages} model.
 */
export enum DockerInstructionKind {
  /** `ARG name[=default]`. */
  ARG = 'ARG',
  /** `ENV key=value ...`. */
  ENV = 'ENV',
  /** `WORKDIR /path`. */
  WORKDIR = 'WORKDIR',
  /** `COPY [--from] [--chown] [--chmod] [--link] src... dest`. */
  COPY = 'COPY',
  /** `RUN [--mount ...] command`. */
  RUN = 'RUN',
  /** `USER user[:group]`. */
  USER = 'USER',
  /** `EXPOSE port[/protocol]`. */
  EXPOSE = 'EXPOSE',
  /** `HEALTHCHECK [options] CMD [...]` or `HEALTHCHECK NONE`. */
  HEALTHCHECK = 'HEALTHCHECK',
  /** `LABEL key=value ...`. */
  LABEL = 'LABEL',
  /** `ENTRYPOINT [...]` (exec form). */
  ENTRYPOINT = 'ENTRYPOINT',
  /** `CMD [...]` (exec form). */
  CMD = 'CMD',
  /** A `# comment` line. */
  COMMENT = 'COMMENT',
  /** A line written as given (escape hatch). */
  RAW = 'RAW',
}

/** Type of a `RUN --mount`. */
export enum MountType {
  /** A persistent cache directory (`type=cache`). */
  CACHE = 'cache',
  /** A read-only view of the build context or another stage (`type=bind`). */
  BIND = 'bind',
  /** A build secret (`type=secret`), never stored in a layer. */
  SECRET = 'secret',
}

/** Sharing mode of a cache mount. */
export enum CacheSharing {
  /** Concurrent builds share the cache (BuildKit's default). */
  SHARED = 'shared',
  /** Each concurrent build gets its own cache. */
  PRIVATE = 'private',
  /** Concurrent builds wait for each other. */
  LOCKED = 'locked',
}

/** Protocol of an `EXPOSE`d port. */
export enum ExposeProtocol {
  TCP = 'tcp',
  UDP = 'udp',
}

/** Options of a `type=cache` mount. */
export interface CacheMountOptions {
  /** Where the cache is mounted in the build container. */
  readonly target: string;
  /**
   * Cache id (caches with the same id are shared).
   *
   * @default - the target path
   */
  readonly id?: string;
  /**
   * How concurrent builds share the cache.
   *
   * @default CacheSharing.SHARED
   */
  readonly sharing?: CacheSharing;
  /**
   * Mount read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Stage whose files seed the cache.
   *
   * @default - an empty directory
   */
  readonly fromStage?: string;
  /**
   * Sub-path of `fromStage` to seed from.
   *
   * @default - its root
   */
  readonly source?: string;
  /**
   * File mode of a new cache directory, octal (e.g. `0755`).
   *
   * @default "0755"
   */
  readonly mode?: string;
  /**
   * Owner uid of a new cache directory.
   *
   * @default 0
   */
  readonly uid?: number;
  /**
   * Owner gid of a new cache directory.
   *
   * @default 0
   */
  readonly gid?: number;
}

/** Options of a `type=bind` mount. */
export interface BindMountOptions {
  /** Where the files appear in the build container (relative to WORKDIR or absolute). */
  readonly target: string;
  /**
   * Path in the source (the build context unless `fromStage`/`fromImage` is given).
   *
   * @default - the root of the source
   */
  readonly source?: string;
  /**
   * Bind from this earlier stage instead of the build context.
   *
   * @default - the build context
   */
  readonly fromStage?: string;
  /**
   * Bind from this image instead of the build context.
   *
   * @default - the build context
   */
  readonly fromImage?: string;
  /**
   * Allow writes (they are discarded after the RUN).
   *
   * @default false
   */
  readonly readWrite?: boolean;
}

/** Options of a `type=secret` mount. */
export interface SecretMountOptions {
  /** Id of the secret (`docker build --secret id=...`). */
  readonly id: string;
  /**
   * File the secret is mounted as.
   *
   * @default - `/run/secrets/<id>` unless `env` is given
   */
  readonly target?: string;
  /**
   * Expose the secret as this environment variable instead of (or besides) a file.
   *
   * @default - no variable
   */
  readonly env?: string;
  /**
   * Fail the build when the secret is not provided.
   *
   * @default false
   */
  readonly required?: boolean;
  /**
   * File mode of the secret file, octal.
   *
   * @default "0400"
   */
  readonly mode?: string;
  /**
   * Owner uid of the secret file.
   *
   * @default 0
   */
  readonly uid?: number;
  /**
   * Owner gid of the secret file.
   *
   * @default 0
   */
  readonly gid?: number;
}

/**
 * One `--mount` of a RUN instruction. Create with {@link RunMount.cache}, {@link RunMount.bind} or
 * {@link RunMount.secret}.
 */
export class RunMount {
  /** A BuildKit cache directory, kept between builds (e.g. uv's cache). */
  public static cache(options: CacheMountOptions): RunMount {
    return new RunMount(MountType.CACHE, [
      ['target', options.target],
      ['id', options.id],
      ['sharing', options.sharing],
      ['from', options.fromStage],
      ['source', options.source],
      ['mode', options.mode],
      ['uid', options.uid?.toString()],
      ['gid', options.gid?.toString()],
      ['ro', options.readOnly ? '' : undefined],
    ], options.target, options.source, options.fromStage, undefined);
  }

  /** Files of the build context (or of a stage or image) visible during one RUN only. */
  public static bind(options: BindMountOptions): RunMount {
    const from = options.fromStage ?? options.fromImage;
    return new RunMount(MountType.BIND, [
      ['source', options.source],
      ['target', options.target],
      ['from', from],
      ['rw', options.readWrite ? '' : undefined],
    ], options.target, options.source, options.fromStage, options.fromImage);
  }

  /** A build secret, available during one RUN and never stored in the image. */
  public static secret(options: SecretMountOptions): RunMount {
    return new RunMount(MountType.SECRET, [
      ['id', options.id],
      ['target', options.target],
      ['env', options.env],
      ['required', options.required ? 'true' : undefined],
      ['mode', options.mode],
      ['uid', options.uid?.toString()],
      ['gid', options.gid?.toString()],
    ], options.target, undefined, undefined, undefined);
  }

  private constructor(
    /** The mount type. */
    public readonly type: MountType,
    private readonly fields: Array<[string, string | undefined]>,
    /** Mount point, if any. */
    public readonly target: string | undefined,
    /** Source path (bind: in the context, stage or image; cache: in `fromStage`). */
    public readonly source: string | undefined,
    /** Stage the mount reads from, if any. */
    public readonly fromStage: string | undefined,
    /** Image the mount reads from, if any. */
    public readonly fromImage: string | undefined,
  ) {}

  /** The `--mount=...` flag. */
  public render(): string {
    const parts = [csvField('type', this.type)];
    for (const [key, value] of this.fields) {
      if (value === undefined) continue;
      parts.push(value === '' ? csvField(key) : csvField(key, value));
    }
    return `--mount=${parts.join(',')}`;
  }
}

/** Options of a COPY instruction. */
export interface CopyOptions {
  /**
   * Copy from this earlier stage instead of the build context.
   *
   * @default - the build context
   */
  readonly fromStage?: string;
  /**
   * Copy from this image (e.g. `ghcr.io/astral-sh/uv:0.9.7`) instead of the build context.
   *
   * @default - the build context
   */
  readonly fromImage?: string;
  /**
   * Owner of the copied files, `user[:group]` (names or ids).
   *
   * @default - root
   */
  readonly chown?: string;
  /**
   * Mode of the copied files, octal (e.g. `0755`) or symbolic (`u=rwX,go=rX`).
   *
   * @default - as in the source
   */
  readonly chmod?: string;
  /**
   * Copy into an independent layer (`--link`), reusable when earlier layers change.
   *
   * @default false
   */
  readonly link?: boolean;
}

/** Options of a RUN instruction. */
export interface RunOptions {
  /**
   * `--mount` flags, in order.
   *
   * @default - none
   */
  readonly mounts?: RunMount[];
}

/** Options of a LABEL instruction. */
export interface LabelOptions {
  /**
   * Write the values as literal text: a `$` is escaped, so `$HOME` in a description stays `$HOME` instead
   * of being expanded by Docker. Use it for text a person wrote.
   *
   * @default false - `$NAME` and `${NAME}` are variable references, as in ENV
   */
  readonly literal?: boolean;
}

/** Options of a HEALTHCHECK. Durations are whole seconds. */
export interface HealthcheckOptions {
  /**
   * Seconds between checks.
   *
   * @default 30
   */
  readonly intervalSeconds?: number;
  /**
   * Seconds before one check counts as failed.
   *
   * @default 30
   */
  readonly timeoutSeconds?: number;
  /**
   * Seconds after start during which failures do not count.
   *
   * @default 0
   */
  readonly startPeriodSeconds?: number;
  /**
   * Seconds between checks during the start period.
   *
   * @default 5
   */
  readonly startIntervalSeconds?: number;
  /**
   * Consecutive failures before the container is unhealthy.
   *
   * @default 3
   */
  readonly retries?: number;
}

/**
 * One instruction of a {@link DockerStage}: what every instruction class implements. Create instructions
 * with the factories of {@link DockerInstruction}; read them back through {@link IDockerInstruction.kind}
 * and the typed class (`CopyInstruction`, `RunInstruction`, ...).
 */
export interface IDockerInstruction {
  /** The instruction's kind. */
  readonly kind: DockerInstructionKind;

  /** The instruction as Dockerfile text (no trailing newline). */
  render(): string;
}

/**
 * The factories of Dockerfile instructions, in one place: `DockerInstruction.copy(...)`,
 * `DockerInstruction.run(...)`, ... Each returns the typed instruction (`CopyInstruction`, ...), an
 * {@link IDockerInstruction}.
 */
export class DockerInstruction {
  /** `ARG name[=default]`. */
  public static arg(name: string, defaultValue?: string): ArgInstruction {
    return new ArgInstruction(name, defaultValue);
  }

  /** `ENV key=value ...`, in the order given. Values may reference variables as `$NAME` or `${NAME}`. */
  public static env(variables: { [key: string]: string }): EnvInstruction {
    return new EnvInstruction(variables);
  }

  /** `WORKDIR path` (absolute). */
  public static workdir(path: string): WorkdirInstruction {
    return new WorkdirInstruction(path);
  }

  /** `COPY [flags] sources... destination`. A destination ending in `/` is a directory. */
  public static copy(sources: string[], destination: string, options: CopyOptions = {}): CopyInstruction {
    return new CopyInstruction(sources, destination, options);
  }

  /** `RUN [--mount ...] command && command ...` (shell form; each command is one `&&` step). */
  public static run(commands: string[], options: RunOptions = {}): RunInstruction {
    return new RunInstruction(commands, false, options);
  }

  /** `RUN [--mount ...] ["executable", "arg", ...]` (exec form, no shell). */
  public static runExec(args: string[], options: RunOptions = {}): RunInstruction {
    return new RunInstruction(args, true, options);
  }

  /** `USER user[:group]`. */
  public static user(user: string, group?: string): UserInstruction {
    return new UserInstruction(user, group);
  }

  /** `EXPOSE port[/protocol]`. */
  public static expose(port: number, protocol?: ExposeProtocol): ExposeInstruction {
    return new ExposeInstruction(port, protocol);
  }

  /** `HEALTHCHECK [options] CMD ["executable", ...]` (exec form). */
  public static healthcheck(command: string[], options: HealthcheckOptions = {}): HealthcheckInstruction {
    return new HealthcheckInstruction(command, options);
  }

  /** `HEALTHCHECK NONE`: disables a check inherited from the base image. */
  public static healthcheckNone(): HealthcheckInstruction {
    return new HealthcheckInstruction(undefined, {});
  }

  /**
   * `LABEL key=value ...`, in the order given. Values may reference variables as `$NAME` or `${NAME}`,
   * unless `literal` is set.
   */
  public static label(labels: { [key: string]: string }, options: LabelOptions = {}): LabelInstruction {
    return new LabelInstruction(labels, options.literal ?? false);
  }

  /** `ENTRYPOINT ["executable", ...]` (exec form). */
  public static entrypoint(args: string[]): ExecFormInstruction {
    return new ExecFormInstruction(DockerInstructionKind.ENTRYPOINT, args);
  }

  /** `CMD ["executable", ...]` (exec form). */
  public static cmd(args: string[]): ExecFormInstruction {
    return new ExecFormInstruction(DockerInstructionKind.CMD, args);
  }

  /** A `# comment` (one line per line of text). */
  public static comment(text: string): CommentInstruction {
    return new CommentInstruction(text);
  }

  /**
   * A line written exactly as given: the escape hatch for anything the model does not cover. It is still
   * checked where it can be (keyword, `--from=`, CMD/ENTRYPOINT form, USER).
   */
  public static raw(line: string): RawInstruction {
    return new RawInstruction(line);
  }

  private constructor() {}
}

/** `ARG name[=default]`. */
export class ArgInstruction implements IDockerInstruction {
  public readonly kind: DockerInstructionKind = DockerInstructionKind.ARG;
  constructor(
    /** Name of the build argument. */
    public readonly name: string,
    /** Default value, if any. */
    public readonly defaultValue?: string,
  ) {
  }

  public render(): string {
    const name = quoteKey(this.name);
    return this.defaultValue === undefined ? `ARG ${name}` : `ARG ${name}=${quoteValue(this.defaultValue)}`;
  }
}

/** `ENV key=value ...`. */
export class EnvInstruction implements IDockerInstruction {
  public readonly kind: DockerInstructionKind = DockerInstructionKind.ENV;
  /** The variables, in order. */
  public readonly variables: { [key: string]: string };
  constructor(variables: { [key: string]: string }) {
    this.variables = { ...variables };
  }

  public render(): string {
    return renderPairs('ENV', this.variables);
  }
}

/** `LABEL key=value ...`. */
export class LabelInstruction implements IDockerInstruction {
  public readonly kind: DockerInstructionKind = DockerInstructionKind.LABEL;
  /** The labels, in order. */
  public readonly labels: { [key: string]: string };
  constructor(
    labels: { [key: string]: string },
    /** Whether a `$` in a value is text (escaped) rather than a variable reference. */
    public readonly literal: boolean = false,
  ) {
    this.labels = { ...labels };
  }

  public render(): string {
    return renderPairs('LABEL', this.labels, this.literal);
  }
}

/** `WORKDIR path`. */
export class WorkdirInstruction implements IDockerInstruction {
  public readonly kind: DockerInstructionKind = DockerInstructionKind.WORKDIR;
  constructor(
    /** The directory. */
    public readonly path: string,
  ) {
  }

  public render(): string {
    return `WORKDIR ${quoteValue(this.path)}`;
  }
}

/** `COPY [flags] sources... destination`. */
export class CopyInstruction implements IDockerInstruction {
  public readonly kind: DockerInstructionKind = DockerInstructionKind.COPY;
  /** Source paths, relative to the context, stage or image. */
  public readonly sources: string[];
  /** The flags. */
  public readonly options: CopyOptions;
  constructor(
    sources: string[],
    /** Destination path. */
    public readonly destination: string,
    options: CopyOptions = {},
  ) {
    this.sources = [...sources];
    this.options = { ...options };
  }

  /** Stage copied from, if any. */
  public get fromStage(): string | undefined {
    return this.options.fromStage;
  }

  /** Image copied from, if any. */
  public get fromImage(): string | undefined {
    return this.options.fromImage;
  }

  public render(): string {
    const o = this.options;
    const flags: string[] = [];
    const from = o.fromStage ?? o.fromImage;
    if (from !== undefined) flags.push(`--from=${from}`);
    if (o.chown !== undefined) flags.push(`--chown=${o.chown}`);
    if (o.chmod !== undefined) flags.push(`--chmod=${o.chmod}`);
    if (o.link) flags.push('--link');
    const paths = [...this.sources, this.destination];
    const args = paths.every(isBarePath) ? paths.join(' ') : jsonArray(paths);
    return ['COPY', ...flags, args].join(' ');
  }
}

/** `RUN [--mount ...] command`. */
export class RunInstruction implements IDockerInstruction {
  public readonly kind: DockerInstructionKind = DockerInstructionKind.RUN;
  /** Shell form: the `&&` steps; exec form: the argument vector. */
  public readonly commands: string[];
  /** The mounts, in order. */
  public readonly mounts: RunMount[];
  constructor(
    commands: string[],
    /** Whether this is the exec form (a JSON array, no shell). */
    public readonly execForm: boolean,
    options: RunOptions = {},
  ) {
    this.commands = [...commands];
    this.mounts = [...(options.mounts ?? [])];
  }

  public render(): string {
    const flags = this.mounts.map((m) => m.render());
    const body = this.execForm ? [jsonArray(this.commands)] : this.commands.map((c, i) => (i === 0 ? c : `&& ${c}`));
    const [first, ...rest] = [...flags, ...body];
    return continued(`RUN ${first ?? ''}`, rest);
  }
}

/** `USER user[:group]`. */
export class UserInstruction implements IDockerInstruction {
  public readonly kind: DockerInstructionKind = DockerInstructionKind.USER;
  constructor(
    /** User name or uid. */
    public readonly name: string,
    /** Group name or gid, if any. */
    public readonly group?: string,
  ) {
  }

  public render(): string {
    return `USER ${this.group === undefined ? this.name : `${this.name}:${this.group}`}`;
  }
}

/** `EXPOSE port[/protocol]`. */
export class ExposeInstruction implements IDockerInstruction {
  public readonly kind: DockerInstructionKind = DockerInstructionKind.EXPOSE;
  constructor(
    /** The port. */
    public readonly port: number,
    /** The protocol, if not the default tcp. */
    public readonly protocol?: ExposeProtocol,
  ) {
  }

  public render(): string {
    return `EXPOSE ${this.port}${this.protocol ? `/${this.protocol}` : ''}`;
  }
}

/** `HEALTHCHECK [options] CMD [...]` or `HEALTHCHECK NONE`. */
export class HealthcheckInstruction implements IDockerInstruction {
  public readonly kind: DockerInstructionKind = DockerInstructionKind.HEALTHCHECK;
  /** Exec-form command; undefined for `HEALTHCHECK NONE`. */
  public readonly command?: string[];
  /** Timing options. */
  public readonly options: HealthcheckOptions;
  constructor(command?: string[], options: HealthcheckOptions = {}) {
    this.command = command ? [...command] : undefined;
    this.options = { ...options };
  }

  public render(): string {
    if (this.command === undefined) return 'HEALTHCHECK NONE';
    const o = this.options;
    const flags: Array<[string, number | undefined, string]> = [
      ['interval', o.intervalSeconds, 's'],
      ['timeout', o.timeoutSeconds, 's'],
      ['start-period', o.startPeriodSeconds, 's'],
      ['start-interval', o.startIntervalSeconds, 's'],
      ['retries', o.retries, ''],
    ];
    const parts = flags.filter(([, v]) => v !== undefined).map(([k, v, unit]) => `--${k}=${v}${unit}`);
    return ['HEALTHCHECK', ...parts, 'CMD', jsonArray(this.command)].join(' ');
  }
}

/** `CMD [...]` or `ENTRYPOINT [...]` in exec form. */
export class ExecFormInstruction implements IDockerInstruction {
  /** The argument vector. */
  public readonly args: string[];
  constructor(
    /** CMD or ENTRYPOINT. */
    public readonly kind: DockerInstructionKind,
    args: string[],
  ) {
    this.args = [...args];
  }

  public render(): string {
    return `${this.kind} ${jsonArray(this.args)}`;
  }
}

/** A `# comment`. */
export class CommentInstruction implements IDockerInstruction {
  public readonly kind: DockerInstructionKind = DockerInstructionKind.COMMENT;
  constructor(
    /** The text; each line becomes one comment line. */
    public readonly text: string,
  ) {
  }

  public render(): string {
    return this.text.split(/\r?\n/).map((l) => (l === '' ? '#' : `# ${l}`)).join('\n');
  }
}

/** A line written as given. */
export class RawInstruction implements IDockerInstruction {
  public readonly kind: DockerInstructionKind = DockerInstructionKind.RAW;
  constructor(
    /** The text, as written to the Dockerfile. */
    public readonly line: string,
  ) {
  }

  /** The Dockerfile keyword the line starts with, upper-cased (empty for a blank line). */
  public get keyword(): string {
    return (/^\s*([A-Za-z]+)/.exec(this.line)?.[1] ?? '').toUpperCase();
  }

  public render(): string {
    return this.line;
  }
}

/** Options of one stage of a multi-stage Dockerfile. */
export interface DockerStageOptions {
  /** Stage name (`FROM ... AS <name>`): lowercase letters, digits, `-`, `_`, `.`, starting with a letter. */
  readonly name: string;
  /**
   * Base image (`FROM <image>`), e.g. `python:3.12-slim` or `python:3.12-slim@sha256:...`.
   * Give exactly one of `image` and `fromStage`.
   *
   * @default - none
   */
  readonly image?: string;
  /**
   * Build on an earlier stage of this Dockerfile (`FROM <stage>`). Give exactly one of `image` and `fromStage`.
   *
   * @default - none
   */
  readonly fromStage?: string;
  /**
   * Target platform (`FROM --platform=...`), e.g. `linux/amd64` or `$BUILDPLATFORM`.
   *
   * @default - the platform of the build
   */
  readonly platform?: string;
  /**
   * The stage's instructions, in order.
   *
   * @default - none
   */
  readonly instructions?: IDockerInstruction[];
}

/**
 * One stage of a {@link DockerStages} Dockerfile. Everything is open to change from `.projenrc.ts`:
 * the base, the platform and the instruction list (add, insert, replace, remove).
 */
export class DockerStage {
  /** Stage name. */
  public readonly name: string;
  /** Base image, when the stage starts from an image. */
  public image?: string;
  /** Earlier stage this one builds on, when it starts from a stage. */
  public fromStage?: string;
  /** Target platform, if set. */
  public platform?: string;
  private readonly list: IDockerInstruction[];
  private readonly inContext: string[] = [];

  constructor(options: DockerStageOptions) {
    this.name = options.name;
    this.image = options.image;
    this.fromStage = options.fromStage;
    this.platform = options.platform;
    this.list = [...(options.instructions ?? [])];
  }

  /**
   * Files this stage needs from the build context besides its COPY and bind-mount sources (e.g. the
   * tests inside a copied directory). Checked at synth against .dockerignore while the stage is part of
   * the Dockerfile; they go with it when it is removed. Literal context-relative paths.
   */
  public requireInContext(...paths: string[]): DockerStage {
    for (const p of paths) if (!this.inContext.includes(p)) this.inContext.push(p);
    return this;
  }

  /** The files registered with {@link requireInContext}, in order. */
  public get requiredContextPaths(): string[] {
    return [...this.inContext];
  }

  /** A copy of the instruction list, in order. */
  public get instructions(): IDockerInstruction[] {
    return [...this.list];
  }

  /** Appends instructions. */
  public addInstructions(...instructions: IDockerInstruction[]): DockerStage {
    this.list.push(...instructions);
    return this;
  }

  /** Inserts instructions before position `index` (0 = first; the list length = append). */
  public insertInstructions(index: number, ...instructions: IDockerInstruction[]): DockerStage {
    this.checkIndex(index, this.list.length);
    this.list.splice(index, 0, ...instructions);
    return this;
  }

  /** Replaces the instruction at `index`. */
  public replaceInstruction(index: number, instruction: IDockerInstruction): DockerStage {
    this.checkIndex(index, this.list.length - 1);
    this.list[index] = instruction;
    return this;
  }

  /** Removes the instruction at `index`. */
  public removeInstruction(index: number): DockerStage {
    this.checkIndex(index, this.list.length - 1);
    this.list.splice(index, 1);
    return this;
  }

  /** Position of an instruction in this stage, or -1. */
  public indexOf(instruction: IDockerInstruction): number {
    return this.list.indexOf(instruction);
  }

  /** The instructions of one kind, in order. */
  public findInstructions(kind: DockerInstructionKind): IDockerInstruction[] {
    return this.list.filter((i) => i.kind === kind);
  }

  /** The `FROM` line. */
  public renderFrom(): string {
    const platform = this.platform === undefined ? '' : `--platform=${this.platform} `;
    return `FROM ${platform}${this.fromStage ?? this.image ?? ''} AS ${this.name}`;
  }

  /** The stage as Dockerfile text: the FROM line and every instruction, newline-separated. */
  public render(): string {
    return [this.renderFrom(), ...this.list.map((i) => i.render())].join('\n');
  }

  private checkIndex(index: number, max: number): void {
    if (!Number.isInteger(index) || index < 0 || index > max) {
      throw new Error(
        `stage "${this.name}": index ${index} is out of range; expected 0..${max} (the stage has ${this.list.length} instructions).`,
      );
    }
  }
}
