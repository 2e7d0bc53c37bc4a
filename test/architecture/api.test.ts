import * as fs from 'fs';
import * as path from 'path';

/**
 * The public API as jsii sees it (the `.jsii` assembly written by `npx projen compile`), so the checks
 * are about what users of every language get, not about TypeScript exports.
 */
const ROOT = path.join(__dirname, '..', '..');
const ASSEMBLY = path.join(ROOT, '.jsii');

interface JsiiMethod { readonly name: string; readonly static?: boolean }
interface JsiiType {
  readonly fqn: string;
  readonly kind: string;
  readonly name: string;
  readonly base?: string;
  readonly interfaces?: string[];
  readonly methods?: JsiiMethod[];
}

function assembly(): Record<string, JsiiType> {
  if (!fs.existsSync(ASSEMBLY)) {
    throw new Error(`${ASSEMBLY} is missing: run \`npx projen compile\` first (scripts/test does).`);
  }
  return JSON.parse(fs.readFileSync(ASSEMBLY, 'utf-8')).types;
}

describe('the public API', () => {
  const types = assembly();
  const byName = (name: string): JsiiType => Object.values(types).find((t) => t.name === name)!;

  test('Dockerfile instruction factories live in one place, not inherited by every instruction class', () => {
    const instructionClasses = Object.values(types).filter((t) => t.kind === 'class' && t.name.endsWith('Instruction') && t.name !== 'DockerInstruction');
    expect(instructionClasses.length).toBeGreaterThanOrEqual(12);
    for (const c of instructionClasses) {
      expect({ name: c.name, base: c.base, statics: (c.methods ?? []).filter((m) => m.static).map((m) => m.name) })
        .toEqual({ name: c.name, base: undefined, statics: [] });
      expect(c.interfaces).toContain(byName('IDockerInstruction').fqn);
    }
    const factories = (byName('DockerInstruction').methods ?? []).filter((m) => m.static).map((m) => m.name);
    expect(factories).toEqual(expect.arrayContaining(['copy', 'run', 'cmd', 'raw', 'env', 'user', 'healthcheck']));
  });

  test('only factory classes have static methods, besides the components\' of(project) lookups', () => {
    const withStatics = Object.values(types)
      .filter((t) => (t.methods ?? []).some((m) => m.static && m.name !== 'of'))
      .map((t) => t.name)
      .sort();
    expect(withStatics).toEqual(['DockerInstruction', 'RunMount']);
    // Like projen's GitHub.of(project): how one component reads another's facts at synth.
    const lookups = Object.values(types)
      .filter((t) => (t.methods ?? []).some((m) => m.static && m.name === 'of'))
      .map((t) => t.name)
      .sort();
    expect(lookups).toEqual(['CiWorkflow', 'DockerStages', 'NeonDatabase', 'Pyproject', 'ServiceCompose', 'WorkspaceCiWorkflow', 'WorkspaceCompose']);
  });

  test('TypeScript-only helpers are not exported from the package entry', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entry = require('../../src') as Record<string, unknown>;
    for (const helper of ['cleanPath', 'compileIgnorePattern', 'ignoreDecision', 'isIgnored', 'IgnoreMatcher', 'dependabotConfig']) {
      expect({ helper, exported: helper in entry }).toEqual({ helper, exported: false });
    }
    const apiLines = fs.existsSync(path.join(ROOT, 'API.md')) ? fs.readFileSync(path.join(ROOT, 'API.md'), 'utf-8').split('\n').length : 0;
    console.log(`public API: ${Object.keys(types).length} jsii types; API.md ${apiLines} lines`);
  });
});
