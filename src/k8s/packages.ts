// The npm packages the manifests are built with. They are optional peer dependencies of this library
// (package.json peerDependenciesMeta): a service without Kubernetes does not install them (~29 MB), and
// a service with it lists them in its own toolchain (NodeToolchain.addKubernetesPackages).

/** cdk8s and cdk8s-plus, in the order they are required. */
export const KUBERNETES_PACKAGES = ['cdk8s', 'cdk8s-plus-34'] as const;

/** The npm version ranges of {@link KUBERNETES_PACKAGES}: the library's own peer dependency ranges. */
export function kubernetesPackageSpecs(): { [name: string]: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const peers: { [name: string]: string } = require('../../package.json').peerDependencies ?? {};
  return Object.fromEntries(KUBERNETES_PACKAGES.map((name) => [name, peers[name] ?? '*']));
}

/** The ones of {@link KUBERNETES_PACKAGES} that this library cannot load (not installed next to it). */
export function missingKubernetesPackages(): string[] {
  return KUBERNETES_PACKAGES.filter((name) => {
    try {
      require.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}

/** Throws one clear error when a package the manifests need is not installed. */
export function assertKubernetesPackages(): void {
  const missing = missingKubernetesPackages();
  if (missing.length === 0) return;
  const specs = kubernetesPackageSpecs();
  throw new Error(
    `kubernetes: true (deploy/k8s/) needs ${missing.join(' and ')}, which are not installed: they are optional peer ` +
    'dependencies of projen-uv-service, installed only by services that turn Kubernetes on. A UvPythonService adds ' +
    'them to its package.json and installs them at synth; a standalone KubernetesManifests needs them in the ' +
    `project's devDependencies: npm install --save-dev ${missing.map((n) => `${n}@"${specs[n]}"`).join(' ')}`);
}
