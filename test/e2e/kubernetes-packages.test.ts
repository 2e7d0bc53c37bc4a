// cdk8s and cdk8s-plus-34 are peer dependencies of the library (its typed API exposes them), yet only a
// service with kubernetes: true installs them: the service's managed .npmrc (legacy-peer-deps) makes npm
// install what package.json lists, and package.json lists them only with Kubernetes on.
import * as fs from 'fs';
import * as path from 'path';
import { addProjenrcOptions, newFromTarball, newServiceFromTarball, read, resynth, run, write } from './helpers';
import { kubernetesSchemaFindings } from '../k8s/validators';
import { listFiles, tempDir } from '../support/synth';

jest.setTimeout(600_000);

const CDK8S = ['cdk8s', 'cdk8s-plus-34'];

/** Every package installed under `dir`/node_modules, nested ones included, as `path@version`. */
function installedTree(dir: string): string[] {
  const found: string[] = [];
  const walk = (modules: string): void => {
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const pkgs = entry.startsWith('@') ? fs.readdirSync(path.join(modules, entry)).map((n) => path.join(entry, n)) : [entry];
      for (const name of pkgs) {
        const pkgDir = path.join(modules, name);
        const manifest = path.join(pkgDir, 'package.json');
        if (!fs.existsSync(manifest)) continue;
        found.push(`${path.relative(dir, pkgDir)}@${JSON.parse(fs.readFileSync(manifest, 'utf-8')).version}`);
        walk(path.join(pkgDir, 'node_modules'));
      }
    }
  };
  walk(path.join(dir, 'node_modules'));
  return found.sort();
}

/** Top-level packages of the tree that are cdk8s or cdk8s-plus-34. */
function cdk8sInstalled(dir: string): string[] {
  return CDK8S.filter((name) => fs.existsSync(path.join(dir, 'node_modules', name, 'package.json')));
}

/** `npm ci` in a copy of `dir` without node_modules (as CI and a fresh clone install): its tree. */
function treeAfterNpmCi(dir: string): string[] {
  const copy = path.join(tempDir('uvsvc-npm-ci-'), path.basename(dir));
  fs.cpSync(dir, copy, { recursive: true, filter: (src) => !src.startsWith(path.join(dir, 'node_modules')) });
  run('npm', ['ci', '--no-audit', '--no-fund'], copy);
  return installedTree(copy);
}

const KUBERNETES_OPTIONS = ['kubernetes: true,', "ciOptions: { imageName: 'acme/plain-api' },", "kubernetesOptions: { imageTag: 'sha-1a2b3c4' },"];

describe('a service from the packed library installs cdk8s only with kubernetes: true', () => {
  let dir: string;
  let plainTree: string[];
  beforeAll(() => {
    dir = newServiceFromTarball('plain-api');
  });

  test('projen new leaves a service without cdk8s in node_modules; npx projen works; npm ci installs the same tree', () => {
    // projen new installed them with the library (its inventory loads the library's jsii dependencies);
    // the synth's npm install, with the managed .npmrc, pruned them.
    expect(read(dir, '.npmrc')).toMatch(/^legacy-peer-deps=true$/m);
    expect(cdk8sInstalled(dir)).toEqual([]);
    expect(Object.keys(JSON.parse(read(dir, 'package-lock.json')).packages)).not.toEqual(
      expect.arrayContaining(['node_modules/cdk8s']));
    resynth(dir);
    // An editor's type check of .projenrc.ts (tsconfig.projen.json) passes without cdk8s installed, and
    // still finds a type error in the service's own TypeScript.
    const tsc = require.resolve('typescript/bin/tsc');
    expect(run(process.execPath, [tsc, '-p', 'tsconfig.projen.json'], dir)).toBe('');
    write(dir, 'typo.ts', "const port: number = '8000';\nexport { port };\n");
    try {
      expect(() => run(process.execPath, [tsc, '-p', 'tsconfig.projen.json'], dir)).toThrow(/typo\.ts.*TS2322/);
    } finally {
      fs.rmSync(path.join(dir, 'typo.ts'));
    }
    plainTree = installedTree(dir);
    expect(plainTree.filter((p) => p.startsWith('node_modules/tsx@'))).toHaveLength(1);
    expect(treeAfterNpmCi(dir)).toEqual(plainTree);
  });

  test('kubernetes: true + npx projen installs them and writes the manifests; npm ci gives the same tree; turned off, they go', async () => {
    const projenrc = read(dir, '.projenrc.ts');
    addProjenrcOptions(dir, KUBERNETES_OPTIONS);
    const out = resynth(dir);
    expect(out).toContain('Installing cdk8s and cdk8s-plus-34 for deploy/k8s/');
    expect(cdk8sInstalled(dir)).toEqual(CDK8S);
    const devDeps = JSON.parse(read(dir, 'package.json')).devDependencies;
    const peers = JSON.parse(read(dir, 'node_modules/projen-uv-service/package.json')).peerDependencies;
    expect(CDK8S.map((n) => devDeps[n])).toEqual(CDK8S.map((n) => peers[n]));
    const files = listFiles(dir).filter((f) => f.startsWith('deploy/'));
    expect(files).toEqual(['deploy/k8s/migrate-job.yaml', 'deploy/k8s/service.yaml']);
    expect(read(dir, 'deploy/k8s/service.yaml')).toContain('image: ghcr.io/acme/plain-api:sha-1a2b3c4');
    expect(Object.values(await kubernetesSchemaFindings(files.map((f) => path.join(dir, f)))).flat()).toEqual([]);
    // A second synth changes nothing and installs nothing.
    expect(resynth(dir)).not.toContain('Installing');
    const kubernetesTree = installedTree(dir);
    expect(kubernetesTree.length).toBeGreaterThan(plainTree.length);
    expect(treeAfterNpmCi(dir)).toEqual(kubernetesTree);

    write(dir, '.projenrc.ts', projenrc);
    resynth(dir);
    expect(listFiles(dir).filter((f) => f.startsWith('deploy/'))).toEqual([]);
    expect(cdk8sInstalled(dir)).toEqual([]);
    expect(installedTree(dir)).toEqual(plainTree);
  });
});

describe('a workspace from the packed library: the root toolchain installs cdk8s only for a member with kubernetes: true', () => {
  test('no cdk8s at first; a member with kubernetes: true brings them at the root; removed, they go', () => {
    const dir = newFromTarball('uv-workspace', 'shop');
    expect(read(dir, '.npmrc')).toMatch(/^legacy-peer-deps=true$/m);
    expect(cdk8sInstalled(dir)).toEqual([]);
    const rc = read(dir, '.projenrc.ts');
    const member = "new UvPythonService({ parent: project, name: 'ship', outdir: 'services/ship', port: 8011, kubernetes: true, " +
      "kubernetesOptions: { imageTag: 'sha-1a2b3c4' } });";
    write(dir, '.projenrc.ts', `${rc.includes('UvPythonService') ? '' : 'import { UvPythonService } from "projen-uv-service";\n'}${rc}`
      .replace('project.synth();', `${member}\nproject.synth();`));
    resynth(dir);
    expect(cdk8sInstalled(dir)).toEqual(CDK8S);
    expect(listFiles(dir).filter((f) => f.startsWith('services/ship/deploy/'))).toEqual(['services/ship/deploy/k8s/migrate-job.yaml', 'services/ship/deploy/k8s/service.yaml']);
    expect(Object.keys(JSON.parse(read(dir, 'package.json')).devDependencies)).toEqual(expect.arrayContaining(CDK8S));
    write(dir, '.projenrc.ts', rc);
    resynth(dir);
    expect(cdk8sInstalled(dir)).toEqual([]);
  });
});
