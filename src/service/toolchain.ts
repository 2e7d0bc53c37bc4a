import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Component, JsonFile, Project, typescript } from 'projen';
import { LIBRARY_NAME } from './resolve';
import { ResolvedService } from './resolved';
import { VERSIONS } from '../core/versions';

/**
 * The Node.js side of a service: what its `.projenrc.ts` needs to run.
 *
 * - `package.json` (managed) lists projen, constructs, tsx and this library as devDependencies;
 * - `.projenrc.ts` is created once (by `projen new`) and run with tsx from the service's own
 *   `node_modules` (no `npx -y`, no ts-node);
 * - after synth, `npm install` runs when package.json changed or tsx is missing.
 */
export class NodeToolchain extends Component {
  /** The service's package.json. */
  public readonly packageJson: JsonFile;
  /** package.json as it was before this synth (synth deletes managed files before writing them). */
  private readonly previous: string | undefined;

  constructor(project: Project, service: ResolvedService) {
    super(project);
    const file = path.join(project.outdir, 'package.json');
    this.previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf-8') : undefined;
    this.packageJson = new JsonFile(project, 'package.json', {
      obj: {
        name: service.name.toLowerCase(),
        private: true,
        description: `projen toolchain of ${service.name}: edit .projenrc.ts, then run "npx projen".`,
        devDependencies: {
          constructs: VERSIONS.constructs,
          projen: VERSIONS.projen,
          [LIBRARY_NAME]: service.toolchainSpec,
          tsx: VERSIONS.tsx,
        },
      },
    });

    new typescript.ProjenrcTs(project, { runner: typescript.TypeScriptRunner.tsx() });
    // ProjenrcTs runs tsx through `npx -y -p tsx`; use the installed binary instead.
    project.defaultTask?.reset();
    project.defaultTask?.exec('node_modules/.bin/tsx .projenrc.ts', {
      name: 'synthesize the project from .projenrc.ts',
    });
  }

  public postSynthesize(): void {
    const tsx = path.join(this.project.outdir, 'node_modules', '.bin', 'tsx');
    const now = fs.readFileSync(path.join(this.project.outdir, 'package.json'), 'utf-8');
    if (now === this.previous && fs.existsSync(tsx)) return;
    this.project.logger.info('Installing the projen toolchain (npm install)...');
    try {
      execFileSync('npm', ['install', '--no-audit', '--no-fund'], {
        cwd: this.project.outdir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim() ?? String(e);
      throw new Error(`npm install failed in ${this.project.outdir}; run it there by hand to see why:\n${stderr}`);
    }
  }
}
