/**
 * Requests and limits of the service's container (the migration Job's container gets the same).
 */
export interface KubernetesResourcesOptions {
  /**
   * CPU the scheduler reserves for one pod, in millicores. The autoscaler's CPU target is a percentage
   * of this request.
   *
   * @default 250
   */
  readonly cpuRequestMillicores?: number;

  /**
   * CPU limit of one pod, in millicores; `0` sets none (the pod may use idle CPU, which avoids
   * throttling the event loop).
   *
   * @default 0
   */
  readonly cpuLimitMillicores?: number;

  /**
   * Memory the scheduler reserves for one pod, in MiB.
   *
   * @default 256
   */
  readonly memoryRequestMebibytes?: number;

  /**
   * Memory limit of one pod, in MiB (the container is OOM-killed above it). At least the request.
   *
   * @default 512
   */
  readonly memoryLimitMebibytes?: number;
}

/**
 * The HorizontalPodAutoscaler (`autoscaling/v2`) of the Deployment.
 */
export interface KubernetesAutoscalingOptions {
  /**
   * Whether the Deployment is autoscaled. With `false`, the Deployment has a fixed `replicas` count
   * and no HorizontalPodAutoscaler is generated; with `true` the Deployment leaves `replicas` unset
   * (the autoscaler owns it, and `kubectl apply` does not fight it).
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Fewest pods.
   *
   * @default 2
   */
  readonly minReplicas?: number;

  /**
   * Most pods. Mind the database: each pod opens connections to the pooler.
   *
   * @default 10
   */
  readonly maxReplicas?: number;

  /**
   * Average CPU utilization the autoscaler aims at, as a percentage of the CPU request (1-100).
   *
   * @default 70
   */
  readonly cpuUtilization?: number;
}

/**
 * Options of the Kubernetes manifests (`deploy/k8s/`). The facts the manifests share with the image
 * (port, health path, uid/gid, database variable names, migration command, image name) are not
 * repeated here: they are read from the service and its components.
 */
export interface KubernetesOptions {
  /**
   * Name of the Deployment, Service, autoscaler, disruption budget and Ingress, and the
   * `app.kubernetes.io/name` label: a DNS-1035 label (lowercase letters, digits, "-"; starts with a
   * letter; at most 40 characters, so the migration Job's name fits in 63).
   *
   * @default - the service name, lower-cased, "." and "_" replaced by "-"
   */
  readonly name?: string;

  /**
   * Namespace of every object. Without one the manifests carry none, and `kubectl` applies them to
   * the namespace of its current context (or `-n`).
   *
   * @default - none
   */
  readonly namespace?: string;

  /**
   * Tag of the image CI publishes (`sha-<short sha>` for one commit, the branch name, or `latest`).
   * An immutable tag such as `sha-1a2b3c4` is what a rollout and a rollback name; the migration Job is
   * named after it, so two rollouts of different tags never share (nor delete) one Job.
   *
   * @default "latest"
   */
  readonly imageTag?: string;

  /**
   * Pods of the Deployment when autoscaling is off.
   *
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Uvicorn worker processes per pod, passed as `WEB_CONCURRENCY` (the variable uvicorn reads for
   * `--workers`). One per pod is the usual choice on Kubernetes: scale with pods instead.
   *
   * @default 1
   */
  readonly workers?: number;

  /**
   * Requests and limits of the container.
   *
   * @default - see {@link KubernetesResourcesOptions}
   */
  readonly resources?: KubernetesResourcesOptions;

  /**
   * The HorizontalPodAutoscaler.
   *
   * @default - see {@link KubernetesAutoscalingOptions}
   */
  readonly autoscaling?: KubernetesAutoscalingOptions;

  /**
   * Name of the Secret holding the pooled database URL, under a key named like its variable (e.g.
   * `DATABASE_URL`). The Deployment reads it by reference; its value is never rendered.
   *
   * @default - "<name>-database"
   */
  readonly pooledUrlSecret?: string;

  /**
   * Name of the Secret holding the direct database URL (migrations), under a key named like its
   * variable (e.g. `DATABASE_URL_DIRECT`). May be the same Secret as the pooled URL's.
   *
   * @default - "<name>-database"
   */
  readonly directUrlSecret?: string;

  /**
   * Host name of an Ingress routing to the Service (e.g. `orders.example.com`).
   *
   * @default - no Ingress
   */
  readonly ingressHost?: string;

  /**
   * `ingressClassName` of the Ingress (e.g. `nginx`).
   *
   * @default - the cluster's default IngressClass
   */
  readonly ingressClassName?: string;

  /**
   * Port of the Service in front of the pods (the container port is the service's `port`).
   *
   * @default 80
   */
  readonly servicePort?: number;
}

