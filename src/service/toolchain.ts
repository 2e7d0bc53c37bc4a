import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Component } from 'projen/lib/component';
import { IniFile } from 'projen/lib/ini';
import { JsonFile } from 'projen/lib/json';
import { Project } from 'projen/lib/project';
import { ProjenrcFile } from 'projen/lib/projenrc';
import type * as projenTypescript from 'projen/lib/typescript';
import { LIBRARY_NAME } from '../core/library';
import { kubernetesPackageSpecs, missingKubernetesPackages } from '../k8s/packages';

/** The script that runs `.projenrc.ts` (src/service/run-projenrc.ts), relative to the service root. */
export const PROJENRC_RUNNER = `node_modules/${LIBRARY_NAME}/lib/service/run-projenrc.js`;

/**
 * npm's project config: the library's peer dependencies are not installed (legacy-peer-deps), only
 * what package.json lists.
 */
export const NPMRC = '.npmrc';

/** TypeScript settings for editing `.projenrc.ts`. */
const TSCONFIG_PROJEN = 'tsconfig.projen.json';

const TSCONFIG_PROJEN_COMPILER_OPTIONS = { strict: true, skipLibCheck: true, noEmit: true };

/**
 * `tsconfig.projen.json`, for an editor's type check of `.projenrc.ts`: projen's ProjenrcTs layout, plus
 * `skipLibCheck`, since the library's declarations name cdk8s and cdk8s-plus, which a service installs only
 * with Kubernetes on (see `.npmrc`); `.projenrc.ts` itself is checked, strictly.
 */
function tsconfigProjen(): Record<string, unknown> {
  return {
    compilerOptions: { ...TSCONFIG_PROJEN_COMPILER_OPTIONS },
    include: ['**/*.ts', '.projenrc.ts', 'projenrc/**/*.ts'],
    exclude: ['node_modules'],
  };
}

/**
 * `.projenrc.ts` as projen's ProjenrcFile: the name in every file's "generated" marker, kept in git
 * (.gitignore). What ProjenrcTs is on every synth but `projen new`, without loading its module.
 */
class ProjenrcTsFile extends ProjenrcFile {
  public readonly filePath = '.projenrc.ts';
}

/** What {@link NodeToolchain} needs of the project it runs (a service's or a workspace's resolved options). */
export interface NodeToolchainOptions {
  /** Name of the project (package.json `name`, lower case). */
  readonly name: string;
  /** devDependencies of package.json: name -> npm version spec. */
  readonly toolchainDeps: { [name: string]: string };
}

/**
 * The root's `.projenrc.ts` as a workspace member's files name it in their "generated" marker
 * (`../../.projenrc.ts`): a member has no `.projenrc.ts` of its own.
 */
export class MemberProjenrcFile extends ProjenrcFile {
  public readonly filePath: string;

  constructor(project: Project) {
    super(project);
    this.filePath = path.posix.join(path.relative(project.outdir, project.root.outdir).split(path.sep).join('/'), '.projenrc.ts');
  }

  /** Nothing to keep in the member's .gitignore: the file is the root's. */
  public preSynthesize(): void {}
}

/**
 * The Node.js side of a service: what its `.projenrc.ts` needs to run.
 *
 * - `package.json` (managed) lists projen, constructs, tsx and this library as devDependencies, and
 *   whatever `toolchainDeps` adds or pins differently;
 * - `.projenrc.ts` is created once (by `projen new`) and run in one Node process by the library's
 *   runner (`node_modules/projen-uv-service/lib/service/run-projenrc.js`): with Node's own type
 *   stripping where the running Node has it, else with tsx's hook from the service's own
 *   `node_modules` (no `npx -y`, no ts-node, no tsx CLI);
 * - `tsconfig.projen.json` (managed) lets an editor type-check `.projenrc.ts`;
 * - `.npmrc` (managed) sets `legacy-peer-deps=true`: npm installs what package.json lists and not
 *   the library's peer dependencies, so cdk8s and cdk8s-plus (~29 MB) are not installed in a service
 *   without Kubernetes. `projen new` installs the library before this file exists, peers included
 *   (projen's inventory loads every jsii dependency of the library); the first `npm install` after
 *   it prunes them;
 * - after synth, `npm install` runs when package.json or .npmrc changed or tsx is missing;
 * - with Kubernetes manifests ({@link addKubernetesPackages}), cdk8s and cdk8s-plus join the
 *   devDependencies.
 */
export class NodeToolchain extends Component {
  /** The toolchain of a project (a workspace member's is its root's); undefined if it has none. */
  public static of(project: Project): NodeToolchain | undefined {
    const own = project.components.find((c): c is NodeToolchain => c instanceof NodeToolchain);
    return own ?? (project.parent ? NodeToolchain.of(project.parent) : undefined);
  }

  /** The service's package.json. */
  public readonly packageJson: JsonFile;
  /** package.json and .npmrc as they were before this synth (synth deletes managed files before writing them). */
  private readonly previous: string;
  /** devDependencies of package.json (written sorted at synth). */
  private readonly devDependencies: { [name: string]: string };

  constructor(project: Project, service: NodeToolchainOptions) {
    super(project);
    this.previous = this.installInputs();
    this.devDependencies = { ...service.toolchainDeps };
    this.packageJson = new JsonFile(project, 'package.json', {
      obj: {
        name: service.name.toLowerCase(),
        private: true,
        description: `projen toolchain of ${service.name}: edit .projenrc.ts, then run "npx projen".`,
        devDependencies: () => Object.fromEntries(Object.entries(this.devDependencies).sort(([a], [b]) => a.localeCompare(b))),
      },
    });

    new IniFile(project, NPMRC, { obj: { 'legacy-peer-deps': true } });

    // initProject (deprecated for projectCreation(), which comes too late: the file is chosen here).
    if (project.initProject) {
      // `projen new`: projen's ProjenrcTs writes .projenrc.ts from the command's options (and
      // tsconfig.projen.json). Loaded only then: its module pulls in projen's whole JavaScript
      // project stack, a good part of every synth's start-up otherwise.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ts = require('projen/lib/typescript') as typeof projenTypescript;
      const projenrc = new ts.ProjenrcTs(project, { runner: ts.TypeScriptRunner.tsx() });
      // Its tsconfig.projen.json, with the compiler options every later synth writes.
      for (const [key, value] of Object.entries(TSCONFIG_PROJEN_COMPILER_OPTIONS)) projenrc.tsconfig.file.addOverride(`compilerOptions.${key}`, value);
    } else {
      new ProjenrcTsFile(project);
      new JsonFile(project, TSCONFIG_PROJEN, { allowComments: true, obj: tsconfigProjen() });
    }
    project.defaultTask?.reset();
    project.defaultTask?.exec(`node ${PROJENRC_RUNNER} .projenrc.ts`, {
      name: 'synthesize the project from .projenrc.ts',
    });
  }

  /**
   * cdk8s and cdk8s-plus (the library's peer dependencies, at its ranges) as devDependencies,
   * unless `toolchainDeps` names them already; installed now when they are missing, so the manifests
   * can be built in this synth (a service that turns Kubernetes on gets them at its next `npx projen`).
   */
  public addKubernetesPackages(): void {
    for (const [name, spec] of Object.entries(kubernetesPackageSpecs())) this.devDependencies[name] ??= spec;
    const missing = missingKubernetesPackages();
    if (missing.length === 0) return;
    this.project.logger.info(`Installing ${missing.join(' and ')} for deploy/k8s/ (npm install)...`);
    // --no-save: package.json is projen's to write (after this synth it lists them, and postSynthesize's
    // npm install keeps them).
    this.npmInstall(['--no-save', ...missing.map((name) => `${name}@${this.devDependencies[name]}`)]);
  }

  public postSynthesize(): void {
    const tsx = path.join(this.project.outdir, 'node_modules', '.bin', 'tsx');
    if (this.installInputs() === this.previous && fs.existsSync(tsx)) return;
    this.project.logger.info('Installing the projen toolchain (npm install)...');
    this.npmInstall([]);
  }

  /** What `npm install` installs from: package.json and .npmrc, as they are now (absent: empty). */
  private installInputs(): string {
    const read = (file: string): string => {
      const p = path.join(this.project.outdir, file);
      return fs.existsSync(p) ? fs.readFileSync(p, 'utf-8') : '';
    };
    return JSON.stringify([read('package.json'), read(NPMRC)]);
  }

  private npmInstall(args: string[]): void {
    try {
      execFileSync('npm', ['install', '--no-audit', '--no-fund', ...args], {
        cwd: this.project.outdir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim() ?? String(e);
      throw new Error(`npm install failed in ${this.project.outdir}; run it there by hand to see why:\n${stderr}`);
    }
  }
}
