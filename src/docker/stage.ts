import { IDockerInstruction, DockerInstructionKind } from './instructions';

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

  constructor(options: DockerStageOptions) {
    this.name = options.name;
    this.image = options.image;
    this.fromStage = options.fromStage;
    this.platform = options.platform;
    this.list = [...(options.instructions ?? [])];
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
