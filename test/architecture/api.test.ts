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
    expect(lookups).toEqual(['CiWorkflow', 'DockerStages', 'NeonDatabase', 'NodeToolchain', 'Pyproject', 'ServiceCompose', 'WorkspaceCiWorkflow', 'WorkspaceCompose']);
  });

  test('a jsii submodule per component; the project types and their options at the top, where projen new finds them', () => {
    const namespaceOf = (t: JsiiType) => t.fqn.split('.').slice(1, -1).join('.') || '(root)';
    const byNamespace = new Map<string, string[]>();
    for (const t of Object.values(types)) byNamespace.set(namespaceOf(t), [...(byNamespace.get(namespaceOf(t)) ?? []), t.name]);
    expect([...byNamespace.keys()].sort()).toEqual(['(root)', 'ci', 'compose', 'database', 'docker', 'k8s', 'python', 'usercode']);
    expect(byNamespace.get('(root)')).toEqual(expect.arrayContaining([
      'UvPythonService', 'UvPythonServiceOptions', 'UvWorkspace', 'UvWorkspaceOptions', 'UvPythonLibrary', 'UvPythonLibraryOptions',
      // The values written in the options of .projenrc.ts, imported with the project type.
      'WorkspaceDatabaseMode', 'PoolStrategy', 'DatabaseDriver',
    ]));
    // projen's inventory lists the project types by their @pjid.
    const pjids = Object.values(types).filter((t) => (t as { docs?: { custom?: { pjid?: string } } }).docs?.custom?.pjid).map((t) => t.fqn).sort();
    expect(pjids).toEqual(['projen-uv-service.UvPythonService', 'projen-uv-service.UvWorkspace']);
    for (const [ns, names] of [...byNamespace].sort()) console.log(`  ${ns}: ${names.length} types`);
  });

  test('narrow: at most 65 types; no resolved options, no internal fact, file or README type', () => {
    expect(Object.keys(types).length).toBeLessThanOrEqual(65);
    const internal = /^(Resolved|IImageBuild$|KubernetesFacts$|KubernetesSources$|KubernetesFile$|RenderedManifest$|DatabaseFile$|DependabotCandidate$|DroppedUpdater$|ReadmeText$|ReadmeOutcome$|IReadmeSource$|ServiceReadme$|IWorkspaceModel$|WorkspaceMemberJob$|PublishedPort$|NeonComposeApp$|AppEntrypoint$)|Props$/;
    expect(Object.values(types).map((t) => t.name).filter((n) => internal.test(n))).toEqual([]);
  });

  test('TypeScript-only helpers are not exported from the package entry, nor from its submodules', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entry = require('../../src') as Record<string, Record<string, unknown>>;
    const helpers = ['cleanPath', 'compileIgnorePattern', 'ignoreDecision', 'isIgnored', 'IgnoreMatcher', 'dependabotConfig', 'README_BEGIN', 'README_END',
      'resolveServiceOptions', 'resolveDockerOptions', 'runtimeCommandProblems', 'portClashProblems', 'serveCommandOf', 'CI_WORKFLOW_PATH', 'LOCAL_DB'];
    const namespaces = ['', 'python', 'database', 'usercode', 'docker', 'compose', 'ci', 'k8s'];
    const found = namespaces.flatMap((ns) => helpers.filter((h) => h in (ns ? entry[ns] : entry)).map((h) => `${ns || '(root)'}.${h}`));
    expect(found).toEqual([]);
    // Everything a submodule exports at run time is a type of the assembly (no function, no constant).
    const values = namespaces.slice(1).flatMap((ns) => Object.keys(entry[ns]).filter((k) => !Object.values(types).some((t) => t.fqn === `projen-uv-service.${ns}.${k}`)).map((k) => `${ns}.${k}`));
    expect(values).toEqual([]);
    const dir = path.join(ROOT, 'api');
    const pages = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort() : [];
    const lines = pages.map((p) => `${p} ${fs.readFileSync(path.join(dir, p), 'utf-8').split('\n').length}`);
    console.log(`public API: ${Object.keys(types).length} jsii types; API reference (api/): ${lines.join(', ')}`);
  });
});
