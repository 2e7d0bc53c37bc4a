import { ApiObject, App, Chart, Duration, JsonPatch, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-34';
import {
  KubernetesFacts,
  PRESTOP_SLEEP_SECONDS,
  WORKERS_ENV,
} from './facts';

import { migrationJobName, ResolvedKubernetes } from './resolve';

/** Label every object carries: the app's name. */
export const NAME_LABEL = 'app.kubernetes.io/name';
/** Label telling the web pods from the migration pods. */
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

/** The objects of the manifests, for escape hatches (`project.kubernetes.deployment.podMetadata.addLabel(...)`). */
export interface KubernetesObjects {
  readonly app: App;
  /** `deploy/k8s/service.yaml`: Deployment, Service, autoscaler, disruption budget, Ingress. */
  readonly serviceChart: Chart;
  /** `deploy/k8s/migrate-job.yaml`: the migration Job. */
  readonly migrationChart?: Chart;
  readonly deployment: kplus.Deployment;
  readonly service: kplus.Service;
  readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  readonly disruptionBudget: ApiObject;
  readonly ingress?: kplus.Ingress;
  readonly migrationJob?: kplus.Job;
}

/** What both containers (web and migration) share: the image's constraints. */
function securityContext(facts: KubernetesFacts): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: facts.uid,
    group: facts.gid,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
}

function resources(k8s: ResolvedKubernetes): kplus.ContainerResources {
  return {
    cpu: {
      request: kplus.Cpu.millis(k8s.cpuRequestMillicores),
      limit: k8s.cpuLimitMillicores > 0 ? kplus.Cpu.millis(k8s.cpuLimitMillicores) : undefined,
    },
    memory: { request: Size.mebibytes(k8s.memoryRequestMebibytes), limit: Size.mebibytes(k8s.memoryLimitMebibytes) },
  };
}

/** A variable read from a Secret by reference (`valueFrom.secretKeyRef`): the value is never rendered. */
function fromSecret(scope: Chart, id: string, secretName: string, key: string): kplus.EnvValue {
  const secret = kplus.Secret.fromSecretName(scope, id, secretName);
  return kplus.EnvValue.fromSecretValue({ secret, key });
}

/** Pod-level settings both workloads share. */
function podSettings(facts: KubernetesFacts): Pick<kplus.DeploymentProps, 'securityContext' | 'automountServiceAccountToken' | 'select' | 'spread' | 'isolate'> {
  return {
    securityContext: { ensureNonRoot: true, user: facts.uid, group: facts.gid, fsGroup: facts.gid },
    // The app never talks to the Kubernetes API.
    automountServiceAccountToken: false,
    select: false,
    spread: false,
    isolate: false,
  };
}

/** An emptyDir at every path the app writes to (the root filesystem is read-only). */
function mountWritablePaths(scope: Chart, workload: kplus.AbstractPod, container: kplus.Container, facts: KubernetesFacts, prefix: string): void {
  facts.writablePaths.forEach((p, i) => {
    const volume = kplus.Volume.fromEmptyDir(scope, `${prefix}-writable-${i}`, i === 0 ? 'tmp' : `writable-${i}`, {
      sizeLimit: Size.mebibytes(64),
    });
    workload.addVolume(volume);
    container.mount(p, volume);
  });
}

/**
 * Builds the manifests from the resolved options and the facts read from their owners. Synthesized
 * in memory (`Chart.toJson()`); the cdk8s App's `outdir` is never written. The containers' image is
 * `image()`, read each time the charts are rendered.
 */
export function buildKubernetesObjects(k8s: ResolvedKubernetes, facts: KubernetesFacts, imageOf: () => string): KubernetesObjects {
  const app = new App({ outdir: '.cdk8s-unused' });
  const labels = { [NAME_LABEL]: k8s.name };
  const serviceChart = new Chart(app, 'service', { namespace: k8s.namespace, labels, disableResourceNameHashes: true });
  const image: string = Lazy.any({ produce: imageOf });
  const web = { [NAME_LABEL]: k8s.name, [COMPONENT_LABEL]: 'web' };

  const deployment = new kplus.Deployment(serviceChart, 'deployment', {
    metadata: { name: k8s.name },
    replicas: k8s.autoscaling ? undefined : k8s.replicas,
    podMetadata: { labels: web },
    ...podSettings(facts),
    terminationGracePeriod: Duration.seconds(facts.gracePeriodSeconds),
    strategy: kplus.DeploymentStrategy.rollingUpdate({
      maxSurge: kplus.PercentOrAbsolute.absolute(1),
      maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
    }),
  });
  deployment.select(kplus.LabelSelector.of({ labels: web }));

  const envVariables: Record<string, kplus.EnvValue> = {
    [WORKERS_ENV]: kplus.EnvValue.fromValue(String(k8s.workers)),
  };
  if (facts.pooledUrlEnv) {
    envVariables[facts.pooledUrlEnv] = fromSecret(serviceChart, 'pooled-url-secret', k8s.pooledUrlSecret, facts.pooledUrlEnv);
  }
  const probe = (failureThreshold: number, periodSeconds: number, path = facts.healthPath) => kplus.Probe.fromHttpGet(path, {
    port: facts.port,
    periodSeconds: Duration.seconds(periodSeconds),
    timeoutSeconds: Duration.seconds(3),
    failureThreshold,
  });
  const container = deployment.addContainer({
    name: 'app',
    image,
    imagePullPolicy: k8s.imageTag === 'latest' ? kplus.ImagePullPolicy.ALWAYS : kplus.ImagePullPolicy.IF_NOT_PRESENT,
    ports: [{ number: facts.port, name: 'http' }],
    envVariables,
    // Up to 60 s to start; then out of the Service after 3 failed readiness checks (the database
    // unreachable: readyPath), restarted after 6 failed liveness checks (healthPath, no database).
    startup: probe(30, 2),
    readiness: probe(3, 10, facts.readyPath),
    liveness: probe(6, 10),
    resources: resources(k8s),
    securityContext: securityContext(facts),
  });
  mountWritablePaths(serviceChart, deployment, container, facts, 'web');
  // The native sleep action (no binary needed in the image): the pod leaves the endpoints before SIGTERM.
  ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/lifecycle',
    { preStop: { sleep: { seconds: PRESTOP_SLEEP_SECONDS } } }));

  const service = new kplus.Service(serviceChart, 'service', {
    metadata: { name: k8s.name },
    type: kplus.ServiceType.CLUSTER_IP,
    ports: [{ name: 'http', port: k8s.servicePort, targetPort: facts.port }],
    // The web pods by their labels (the Deployment's own selector), not the construct address.
    selector: kplus.Pods.select(serviceChart, 'web-pods', { labels: web }),
  });

  const autoscaler = k8s.autoscaling
    ? new kplus.HorizontalPodAutoscaler(serviceChart, 'autoscaler', {
      metadata: { name: k8s.name },
      target: deployment,
      minReplicas: k8s.minReplicas,
      maxReplicas: k8s.maxReplicas,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(k8s.cpuUtilization))],
    })
    : undefined;

  // cdk8s-plus has no PodDisruptionBudget construct: the generated policy/v1 binding.
  const disruptionBudget = new kplus.k8s.KubePodDisruptionBudget(serviceChart, 'disruption-budget', {
    metadata: { name: k8s.name },
    spec: {
      maxUnavailable: kplus.k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: web },
    },
  });

  const ingress = k8s.ingressHost
    ? new kplus.Ingress(serviceChart, 'ingress', {
      metadata: { name: k8s.name },
      className: k8s.ingressClassName,
      rules: [{
        host: k8s.ingressHost,
        path: '/',
        pathType: kplus.HttpIngressPathType.PREFIX,
        backend: kplus.IngressBackend.fromService(service, { port: k8s.servicePort }),
      }],
    })
    : undefined;

  let migrationChart: Chart | undefined;
  let migrationJob: kplus.Job | undefined;
  if (facts.migrateCommand && facts.directUrlEnv) {
    migrationChart = new Chart(app, 'migrate', { namespace: k8s.namespace, labels, disableResourceNameHashes: true });
    const migrate = { [NAME_LABEL]: k8s.name, [COMPONENT_LABEL]: 'migrate' };
    migrationJob = new kplus.Job(migrationChart, 'job', {
      metadata: { name: migrationJobName(k8s.name, k8s.imageTag) },
      podMetadata: { labels: migrate },
      ...podSettings(facts),
      restartPolicy: kplus.RestartPolicy.NEVER,
      // A failed attempt is retried twice; a migration that hangs (e.g. on a lock) stops after 15 minutes.
      backoffLimit: 2,
      activeDeadline: Duration.minutes(15),
      // Kept a day for its logs, then removed (re-applying the same tag then reruns a no-op upgrade).
      ttlAfterFinished: Duration.days(1),
    });
    const jobContainer = migrationJob.addContainer({
      name: 'migrate',
      image,
      imagePullPolicy: k8s.imageTag === 'latest' ? kplus.ImagePullPolicy.ALWAYS : kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: [...facts.migrateCommand],
      envVariables: {
        [facts.directUrlEnv]: fromSecret(migrationChart, 'direct-url-secret', k8s.directUrlSecret, facts.directUrlEnv),
      },
      resources: resources(k8s),
      securityContext: securityContext(facts),
    });
    mountWritablePaths(migrationChart, migrationJob, jobContainer, facts, 'migrate');
  }

  return { app, serviceChart, migrationChart, deployment, service, autoscaler, disruptionBudget, ingress, migrationJob };
}
