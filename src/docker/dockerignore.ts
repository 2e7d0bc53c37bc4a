import { FileBase, IResolver } from 'projen/lib/file';
import { Project } from 'projen/lib/project';
import { IgnoreMatcher } from './ignore-matcher';

/**
 * Context paths that must never be in the build context (e.g. `.env` files, which hold secrets), for
 * {@link DockerStages.requireOutOfContext}.
 */
export interface ContextExclusion {
  /** Context-relative paths that the ignore file must leave out, e.g. `[".env", "config/.env"]`. */
  readonly paths: string[];
  /** Why they must stay out, shown in the error, e.g. `.env files hold secrets`. */
  readonly reason: string;
  /**
   * One pattern that leaves them all out, suggested as the fix, e.g. `secrets/`.
   *
   * @default - each path
   */
  readonly pattern?: string;
}

/**
 * `.dockerignore` (managed), in pattern order: order matters, because the last matching line wins.
 * Read {@link DockerIgnore.patterns}, test paths with {@link DockerIgnore.ignores}, and change it with
 * {@link DockerIgnore.addPatterns} / {@link DockerIgnore.removePatterns}.
 */
export class DockerIgnore extends FileBase {
  private readonly list: string[] = [];
  private readonly origins = new Map<string, string>();

  constructor(project: Project, filePath: string = '.dockerignore') {
    super(project, filePath);
  }

  /** The patterns, in order (comments included). */
  public get patterns(): string[] {
    return [...this.list];
  }

  /** Appends patterns (a `!` prefix re-includes); a pattern already present moves to the end. */
  public addPatterns(...patterns: string[]): void {
    for (const p of patterns) {
      const i = this.list.indexOf(p);
      if (i >= 0) this.list.splice(i, 1);
      this.list.push(p);
    }
  }

  /**
   * Inserts patterns before position `index` of {@link patterns} (0 = first; the length = append); a
   * pattern already present elsewhere moves here.
   */
  public insertPatterns(index: number, ...patterns: string[]): void {
    if (!Number.isInteger(index) || index < 0 || index > this.list.length) {
      throw new Error(`${this.path}: pattern index ${index} is out of range; expected 0..${this.list.length}.`);
    }
    const before = this.list.slice(0, index).filter((p) => !patterns.includes(p));
    const after = this.list.slice(index).filter((p) => !patterns.includes(p));
    this.list.splice(0, this.list.length, ...before, ...patterns, ...after);
  }

  /**
   * Appends patterns that come from an option the user wrote, e.g. `dockerOptions.ignorePatterns`: a
   * problem caused by one of them names `<option>[<index>]` and the pattern, so the user knows what to change.
   */
  public addOptionPatterns(option: string, patterns: string[]): void {
    this.addPatterns(...patterns);
    patterns.forEach((p, i) => this.origins.set(p, `${option}[${i}]`));
  }

  /** The option a pattern came from (e.g. `dockerOptions.ignorePatterns[0]`), if it was added with {@link addOptionPatterns}. */
  public originOf(pattern: string): string | undefined {
    return this.list.includes(pattern) ? this.origins.get(pattern) : undefined;
  }

  /** Removes patterns. */
  public removePatterns(...patterns: string[]): void {
    for (const p of patterns) {
      const i = this.list.indexOf(p);
      if (i >= 0) this.list.splice(i, 1);
      this.origins.delete(p);
    }
  }

  /** Whether Docker leaves this context-relative path out of the build context. */
  public ignores(file: string): boolean {
    return new IgnoreMatcher(this.list).ignores(file);
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    return [...(this.marker ? [`# ${this.marker}`] : []), ...this.list, ''].join('\n');
  }
}
