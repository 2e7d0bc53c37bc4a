/**
 * Options of the Kubernetes manifests after defaults and validation (see {@link KubernetesOptions}
 * for each field's meaning). The facts the manifests share with the image are not here: they are read
 * from their owners at synth.
 */
export interface ResolvedKubernetes {
  readonly name: string;
  readonly namespace?: string;
  readonly imageTag: string;
  readonly replicas: number;
  readonly workers: number;
  readonly shutdownTimeoutSeconds: number;
  readonly cpuRequestMillicores: number;
  /** 0: no CPU limit. */
  readonly cpuLimitMillicores: number;
  readonly memoryRequestMebibytes: number;
  readonly memoryLimitMebibytes: number;
  readonly autoscaling: boolean;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilization: number;
  readonly pooledUrlSecret: string;
  readonly directUrlSecret: string;
  readonly ingressHost?: string;
  readonly ingressClassName?: string;
  readonly servicePort: number;
}
