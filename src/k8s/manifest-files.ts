/** Folder of the manifests. */
export const KUBERNETES_DIR = 'deploy/k8s';

/** Deployment, Service, autoscaler, disruption budget and Ingress. */
export const SERVICE_MANIFEST = `${KUBERNETES_DIR}/service.yaml`;

/** The migration Job (applied, and waited for, before the Deployment). */
export const MIGRATION_MANIFEST = `${KUBERNETES_DIR}/migrate-job.yaml`;

/** A manifest file and what it holds. */
export interface KubernetesFile {
  /** Path relative to the project root. */
  readonly path: string;
  /** One line on what the file is. */
  readonly purpose: string;
}

/** Whether a tag names one build for good (`sha-<commit>` as CI tags it, or a release `v1.2.3`). */
export function isImmutableTag(tag: string): boolean {
  return /^sha-[0-9a-f]{7,40}$/.test(tag) || /^v?[0-9]+\.[0-9]+\.[0-9]+([-+.][0-9A-Za-z.-]+)?$/.test(tag);
}
