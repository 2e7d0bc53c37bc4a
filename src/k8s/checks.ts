import {
  KubernetesFacts,
  PRESTOP_SLEEP_SECONDS,
  SHUTDOWN_MARGIN_SECONDS,
  WORKERS_ENV,
} from './facts';

import { ResolvedKubernetes } from './resolve';
import { OptionProblem, Problems } from '../core/problems';
import { findSecret } from '../core/secrets';
import { shellWordValue } from '../docker/command';

/** One rendered manifest file: its path and its objects, as `Chart.toJson()` gives them. */
export interface RenderedManifest {
  readonly path: string;
  readonly objects: any[];
}

type Obj = Record<string, any>;

const FIX = 'edit .projenrc.ts instead of the manifest';

/** The container's security setting, the container's own value first, then the pod's. */
function effective(container: Obj, pod: Obj, key: string): unknown {
  return container.securityContext?.[key] ?? pod.securityContext?.[key];
}

function isSubset(sub: Obj | undefined, of: Obj | undefined): boolean {
  if (!sub || Object.keys(sub).length === 0) return false;
  return Object.entries(sub).every(([k, v]) => of?.[k] === v);
}

/**
 * Checks the rendered manifests, after any escape-hatch edit, against the facts their owners hold
 * now: the image, the port and health path, uid/gid, the non-root constraints, the variable and
 * Secret names, the migration command. Returns every problem (empty when they agree).
 */
export function checkManifests(manifests: readonly RenderedManifest[], facts: KubernetesFacts, k8s: ResolvedKubernetes): OptionProblem[] {
  const problems = new Problems();
  const all = manifests.flatMap((m) => m.objects.map((o: Obj) => ({ file: m.path, obj: o })));
  const where = (file: string, obj: Obj, field: string) => `${file} ${obj.kind}/${obj.metadata?.name}${field ? ` ${field}` : ''}`;
  const find = (kind: string) => all.filter((e) => e.obj.kind === kind);

  // Facts that must hold before anything is compared with them.
  // Without a runtime stage there is nothing to compare: DockerStages reports it, naming the manifests.
  const stage = facts.runtimeStage ?? 'runtime';
  if (facts.runtimeStage !== undefined && (facts.uid === undefined || facts.gid === undefined)) {
    problems.add(`Dockerfile stage "${stage}" USER`, facts.user ?? null,
      'the manifests run the image as its numeric uid:gid (runAsUser/runAsGroup, runAsNonRoot): the runtime stage must end with a numeric USER such as DockerInstruction.user("10001", "10001").');
  }
  // The uvicorn server of the runtime CMD, as the Dockerfile's model reads it (its port is the
  // Dockerfile's own rule: the CMD listens on DockerStages.port, which the manifests probe).
  const serve = facts.serve;
  const cmd = serve?.cmd ?? [];
  // `--workers "${WEB_CONCURRENCY:-1}"` still reads the Deployment's worker count.
  if (serve?.workers !== undefined && shellWordValue(serve.workers).variable !== WORKERS_ENV) {
    problems.add(`Dockerfile stage "${stage}" CMD`, cmd, `passes --workers, so uvicorn ignores ${WORKERS_ENV}, the worker count the Deployment sets (kubernetesOptions.workers); leave --workers out of the CMD, or pass "\${${WORKERS_ENV}:-1}".`);
  }
  if (serve?.host !== undefined && serve.host !== '0.0.0.0' && serve.host !== '::') {
    problems.add(`Dockerfile stage "${stage}" CMD --host`, serve.host, 'the kubelet probes the pod\'s IP: the image must listen on 0.0.0.0.');
  }

  // No credential anywhere, whatever an escape hatch added.
  const scan = (file: string, obj: Obj, value: unknown, field: string): void => {
    if (typeof value === 'string') {
      const what = findSecret(value);
      if (what) problems.add(where(file, obj, field), '<redacted>', `looks like ${what}: a secret never goes into a manifest; put it in a Secret and reference it (valueFrom.secretKeyRef).`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => scan(file, obj, v, `${field}[${i}]`));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) scan(file, obj, v, field ? `${field}.${k}` : k);
    }
  };
  for (const { file, obj } of all) {
    scan(file, obj, obj, '');
    if (obj.kind === 'Secret') {
      problems.add(where(file, obj, ''), obj.kind, 'the manifests never hold a Secret: create it in the cluster (kubectl create secret generic ...) and keep it out of git.');
    }
  }

  /** The checks every pod (web and migration) shares: image, uid/gid, non-root, writable paths, URL from its Secret. */
  const checkPod = (file: string, obj: Obj, containerName: string, urlEnv: string | undefined, secretName: string) => {
    const pod = obj.spec?.template?.spec ?? {};
    const containers: Obj[] = pod.containers ?? [];
    const c = containers.find((x) => x.name === containerName);
    if (!c) {
      problems.add(where(file, obj, 'spec.template.spec.containers'), containers.map((x) => x.name), `must have the container "${containerName}"; ${FIX}.`);
      return undefined;
    }
    const at = (field: string) => where(file, obj, `containers[${containerName}].${field}`);
    if (facts.image !== undefined && c.image !== facts.image) {
      problems.add(at('image'), c.image, `must be ${facts.image}: the image CI publishes (ciOptions.imageRegistry/imageName, dockerOptions.imageName) with kubernetesOptions.imageTag; ${FIX}.`);
    }
    const want: Array<[string, unknown, string]> = [
      ['runAsNonRoot', true, 'the image runs as a non-root user'],
      ['runAsUser', facts.uid, `the uid of the Dockerfile's USER (${facts.user ?? 'none'}; dockerOptions.uid)`],
      ['runAsGroup', facts.gid, `the gid of the Dockerfile's USER (${facts.user ?? 'none'}; dockerOptions.gid)`],
      ['readOnlyRootFilesystem', true, 'the app writes only to its emptyDir mounts'],
      ['allowPrivilegeEscalation', false, 'no process gains privileges'],
    ];
    for (const [key, value, why] of want) {
      if (value !== undefined && effective(c, pod, key) !== value) {
        problems.add(at(`securityContext.${key}`), effective(c, pod, key) ?? null, `must be ${value}: ${why}; ${FIX}.`);
      }
    }
    if (effective(c, pod, 'privileged') === true) {
      problems.add(at('securityContext.privileged'), true, `must not be true; ${FIX}.`);
    }
    const drop: unknown = c.securityContext?.capabilities?.drop;
    if (!Array.isArray(drop) || !drop.includes('ALL') || (c.securityContext?.capabilities?.add ?? []).length > 0) {
      problems.add(at('securityContext.capabilities'), c.securityContext?.capabilities ?? null, `must drop ALL and add none: the image needs no capability; ${FIX}.`);
    }
    const seccomp = (c.securityContext?.seccompProfile ?? pod.securityContext?.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault') {
      problems.add(at('securityContext.seccompProfile.type'), seccomp ?? null, `must be RuntimeDefault; ${FIX}.`);
    }
    const volumes: Obj[] = pod.volumes ?? [];
    for (const p of facts.writablePaths) {
      const mount = (c.volumeMounts ?? []).find((m: Obj) => m.mountPath === p);
      const volume = mount && volumes.find((v) => v.name === mount.name);
      if (!volume?.emptyDir || mount.readOnly === true) {
        problems.add(at(`volumeMounts[${p}]`), mount ?? null, `must mount a writable emptyDir at ${p}: the root filesystem is read-only and the app writes there; ${FIX}.`);
      }
    }
    const env: Obj[] = c.env ?? [];
    if (urlEnv) {
      const e = env.find((x) => x.name === urlEnv);
      const ref = e?.valueFrom?.secretKeyRef;
      if (!e || e.value !== undefined || ref?.name !== secretName || ref?.key !== urlEnv) {
        problems.add(at(`env[${urlEnv}]`), e?.value !== undefined ? '<value>' : e?.valueFrom ?? null,
          `must come from the Secret "${secretName}", key "${urlEnv}" (valueFrom.secretKeyRef), never a value: the variable the app reads (databaseOptions) in the Secret named by kubernetesOptions; ${FIX}.`);
      }
    }
    return { c, pod, at, env };
  };

  // The Deployment.
  const deployments = find('Deployment');
  const dep = deployments.find((e) => e.obj.metadata?.name === k8s.name);
  let podLabels: Obj | undefined;
  if (!dep) {
    problems.add('deploy/k8s Deployment', deployments.map((e) => e.obj.metadata?.name), `must include the Deployment "${k8s.name}"; ${FIX}.`);
  } else {
    podLabels = dep.obj.spec?.template?.metadata?.labels;
    if (!isSubset(dep.obj.spec?.selector?.matchLabels, podLabels)) {
      problems.add(where(dep.file, dep.obj, 'spec.selector.matchLabels'), dep.obj.spec?.selector?.matchLabels ?? null, `must select the Deployment's own pod labels; ${FIX}.`);
    }
    const checked = checkPod(dep.file, dep.obj, 'app', facts.pooledUrlEnv, k8s.pooledUrlSecret);
    if (checked) {
      const { c, pod, at, env } = checked;
      const ports: Obj[] = c.ports ?? [];
      const named = (p: unknown) => (typeof p === 'string' ? ports.find((x) => x.name === p)?.containerPort : p);
      if (!ports.some((p) => p.containerPort === facts.port)) {
        problems.add(at('ports'), ports.map((p) => p.containerPort), `must include containerPort ${facts.port}: the port the image listens on (port in .projenrc.ts); ${FIX}.`);
      }
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        const get = c[probe]?.httpGet;
        if (!get) {
          problems.add(at(probe), c[probe] ?? null, `must be an HTTP GET on ${facts.healthPath} port ${facts.port} (healthPath and port in .projenrc.ts); ${FIX}.`);
          continue;
        }
        // The readiness probe may fall back to the health path (a Neon compute left free to suspend).
        const paths = probe === 'readinessProbe' ? [facts.readyPath, facts.healthPath] : [facts.healthPath];
        if (!paths.includes(get.path)) {
          const what = probe === 'readinessProbe'
            ? `${facts.readyPath}: the app's readiness route (readyPath in .projenrc.ts), or ${facts.healthPath} to leave the database out of it`
            : `${facts.healthPath}: the app's health route (healthPath in .projenrc.ts)`;
          problems.add(at(`${probe}.httpGet.path`), get.path ?? null, `must be ${what}; ${FIX}.`);
        }
        if (named(get.port) !== facts.port) {
          problems.add(at(`${probe}.httpGet.port`), get.port ?? null, `must be ${facts.port}: the port the image listens on (port in .projenrc.ts); ${FIX}.`);
        }
      }
      const value = (name: string) => env.find((x) => x.name === name)?.value;
      if (value(WORKERS_ENV) !== String(k8s.workers)) {
        problems.add(at(`env[${WORKERS_ENV}]`), value(WORKERS_ENV) ?? null, `must be "${k8s.workers}": uvicorn reads its worker count from ${WORKERS_ENV} (kubernetesOptions.workers); ${FIX}.`);
      }
      // The CMD's --timeout-graceful-shutdown (the Dockerfile's own rule ties it to the grace period).
      const timeout = Number(serve?.gracefulShutdown);
      const grace = pod.terminationGracePeriodSeconds;
      if (serve?.gracefulShutdown !== undefined && (!Number.isInteger(timeout) || typeof grace !== 'number' || grace < PRESTOP_SLEEP_SECONDS + timeout + SHUTDOWN_MARGIN_SECONDS)) {
        problems.add(where(dep.file, dep.obj, 'spec.template.spec.terminationGracePeriodSeconds'), grace ?? null,
          `must be at least the preStop pause (${PRESTOP_SLEEP_SECONDS} s) plus uvicorn's graceful-shutdown timeout (the CMD's --timeout-graceful-shutdown: ${serve?.gracefulShutdown ?? 'unset'}) plus ${SHUTDOWN_MARGIN_SECONDS} s for the app's shutdown, or requests in flight are killed: it is the image's grace period (${facts.gracePeriodSeconds} s); set dockerOptions.gracePeriodSeconds.`);
      }
    }
  }

  // Service, autoscaler, disruption budget, Ingress: they must reach the Deployment's pods.
  const svc = find('Service').find((e) => e.obj.metadata?.name === k8s.name);
  if (!svc) {
    problems.add('deploy/k8s Service', null, `must include the Service "${k8s.name}"; ${FIX}.`);
  } else {
    if (podLabels && !isSubset(svc.obj.spec?.selector, podLabels)) {
      problems.add(where(svc.file, svc.obj, 'spec.selector'), svc.obj.spec?.selector ?? null, `must select the Deployment's pods (a subset of their labels); ${FIX}.`);
    }
    const ports: Obj[] = svc.obj.spec?.ports ?? [];
    if (!ports.some((p) => p.targetPort === facts.port || p.targetPort === 'http')) {
      problems.add(where(svc.file, svc.obj, 'spec.ports'), ports.map((p) => p.targetPort), `must target port ${facts.port}, the port the image listens on; ${FIX}.`);
    }
  }
  for (const { file, obj } of find('HorizontalPodAutoscaler')) {
    const ref = obj.spec?.scaleTargetRef;
    if (ref?.kind !== 'Deployment' || ref?.name !== k8s.name) {
      problems.add(where(file, obj, 'spec.scaleTargetRef'), ref ?? null, `must scale the Deployment "${k8s.name}"; ${FIX}.`);
    }
  }
  for (const { file, obj } of find('PodDisruptionBudget')) {
    if (podLabels && !isSubset(obj.spec?.selector?.matchLabels, podLabels)) {
      problems.add(where(file, obj, 'spec.selector.matchLabels'), obj.spec?.selector?.matchLabels ?? null, `must select the Deployment's pods; ${FIX}.`);
    }
  }
  for (const { file, obj } of find('Ingress')) {
    (obj.spec?.rules ?? []).forEach((rule: Obj, i: number) => (rule.http?.paths ?? []).forEach((p: Obj, j: number) => {
      const s = p.backend?.service;
      if (s?.name !== k8s.name || s?.port?.number !== k8s.servicePort) {
        problems.add(where(file, obj, `spec.rules[${i}].http.paths[${j}].backend.service`), s ?? null, `must be the Service "${k8s.name}" port ${k8s.servicePort}; ${FIX}.`);
      }
    }));
  }

  // The migration Job.
  if (facts.migrateCommand) {
    const jobs = find('Job');
    if (jobs.length !== 1) {
      problems.add('deploy/k8s Job', jobs.map((e) => e.obj.metadata?.name), `must include exactly one migration Job; ${FIX}.`);
    } else {
      const job = jobs[0];
      const checked = checkPod(job.file, job.obj, 'migrate', facts.directUrlEnv, k8s.directUrlSecret);
      if (checked) {
        const command: unknown = checked.c.command;
        const argv = [...(Array.isArray(command) ? command : []), ...(checked.c.args ?? [])];
        if (JSON.stringify(argv) !== JSON.stringify(facts.migrateCommand)) {
          problems.add(checked.at('command'), argv, `must be ${JSON.stringify(facts.migrateCommand)}: the database layer's migration command, run from the image's WORKDIR; ${FIX}.`);
        }
      }
    }
  }
  return [...problems.all];
}
