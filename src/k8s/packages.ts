// The npm packages the manifests are built with. They are peer dependencies of this library (its typed
// API exposes cdk8s-plus), yet a service without Kubernetes does not install them (~29 MB): its .npmrc
// sets legacy-peer-deps, and a service with Kubernetes lists them in its own package.json
// (NodeToolchain.addKubernetesPackages).

import * as fs from 'fs';
import * as path from 'path';

/** cdk8s and cdk8s-plus, in the order they are required. */
export const KUBERNETES_PACKAGES = ['cdk8s', 'cdk8s-plus-34'] as const;

/** The npm version ranges of {@link KUBERNETES_PACKAGES}: the library's own peer dependency ranges. */
export function kubernetesPackageSpecs(): { [name: string]: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const peers: { [name: string]: string } = require('../../package.json').peerDependencies ?? {};
  return Object.fromEntries(KUBERNETES_PACKAGES.map((name) => [name, peers[name] ?? '*']));
}

/**
 * The ones of {@link KUBERNETES_PACKAGES} that this library would not find: looked up on disk in the
 * folders `require` searches from here, not with require.resolve, because Node caches the file lookups
 * of a module load under way (the runner's, which a synth runs in): a failed lookup would hide what npm
 * installs in the same synth (NodeToolchain.addKubernetesPackages).
 */
export function missingKubernetesPackages(): string[] {
  return KUBERNETES_PACKAGES.filter((name) =>
    !(require.resolve.paths(name) ?? []).some((dir) => fs.existsSync(path.join(dir, name, 'package.json'))));
}

/** Throws one clear error when a package the manifests need is not installed. */
export function assertKubernetesPackages(): void {
  const missing = missingKubernetesPackages();
  if (missing.length === 0) return;
  const specs = kubernetesPackageSpecs();
  throw new Error(
    `kubernetes: true (deploy/k8s/) needs ${missing.join(' and ')}, which are not installed: they are peer ` +
    'dependencies of projen-uv-service, installed only by services that turn Kubernetes on. A UvPythonService adds ' +
    'them to its package.json and installs them at synth; a standalone KubernetesManifests needs them in the ' +
    `project's devDependencies: npm install --save-dev ${missing.map((n) => `${n}@"${specs[n]}"`).join(' ')}`);
}
