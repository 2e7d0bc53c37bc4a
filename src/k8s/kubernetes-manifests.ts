// cdk8s and cdk8s-plus are loaded only when a service turns Kubernetes on: requiring them costs about half
// a second, which every other synth would pay (the imports below are types only). They are peer
// dependencies, installed only in services that use them (./packages.ts).
import type { ApiObject, App, Chart } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-34';
import { Component } from 'projen/lib/component';
import { FileBase, IResolver } from 'projen/lib/file';
import { Project } from 'projen/lib/project';
import { checkManifests, RenderedManifest } from './checks';
import { imageOwner, imageRepository, KubernetesFacts, PRESTOP_SLEEP_SECONDS, readKubernetesFacts, WORKERS_ENV } from './facts';
import { KUBERNETES_DIR, KubernetesFile, MIGRATION_MANIFEST, SERVICE_MANIFEST, isImmutableTag } from './manifest-files';
import { KubernetesOptions } from './options';
import { assertKubernetesPackages } from './packages';
import { migrationJobName, resolveKubernetesOptions, ResolvedKubernetes } from './resolve';
import { CiWorkflow } from '../ci/ci-workflow';
import { checkKnownOptions } from '../core/known-options';
import { checkNoSecrets } from '../core/option-reader';
import { OptionProblem, Problems, ServiceConfigError } from '../core/problems';
import { renderTemplate } from '../core/template';
import { isValidDistributionName } from '../python/pep508';

/* eslint-disable @typescript-eslint/no-require-imports */
function chartModule(): typeof import('./chart') {
  assertKubernetesPackages();
  return require('./chart');
}
function cdk8sModule(): typeof import('cdk8s') {
  return require('cdk8s');
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** A manifest file: the projen marker as a comment, then the chart's objects as YAML documents. */
class ManifestFile extends FileBase {
  constructor(project: Project, filePath: string, private readonly objects: () => any[]) {
    super(project, filePath, { marker: true, readonly: true });
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    return `# ${this.marker}\n${cdk8sModule().Yaml.stringify(...this.objects())}`;
  }
}

/**
 * Kubernetes manifests of a service in `deploy/k8s/`, built with cdk8s and cdk8s-plus (Kubernetes
 * 1.34), synthesized in memory and written by projen (marker, read-only, removed when turned off):
 *
 * - `service.yaml`: the Deployment (the image CI publishes; probes on the health path; non-root with the
 *   Dockerfile's uid/gid, read-only root filesystem with an emptyDir at /tmp, no privilege escalation,
 *   all capabilities dropped, RuntimeDefault seccomp; the pooled URL from a Secret by reference;
 *   `WEB_CONCURRENCY`; the image's grace period as terminationGracePeriodSeconds),
 *   the Service, the HorizontalPodAutoscaler (autoscaling/v2), the PodDisruptionBudget and, with a
 *   host, the Ingress;
 * - `migrate-job.yaml` (with a database): the Job running the migration command from the same image
 *   with the direct URL, named after the image tag.
 *
 * Escape hatches: edit {@link deployment}, {@link service}, {@link migrationJob}... (cdk8s-plus) or
 * any object with `ApiObject.of(x).addJsonPatch(...)`. At synth the rendered manifests are checked
 * against the facts their owners hold then (port and health path, the Dockerfile's USER and CMD, the
 * image name, the URL variables and Secret names, the migration command; no secret value anywhere):
 * an edit that breaks one is refused with a {@link ServiceConfigError}, and nothing is written.
 */
export class KubernetesManifests extends Component {
  /**
   * The options after defaults and validation.
   *
   * @internal
   */
  public readonly _resolved: ResolvedKubernetes;
  /** The cdk8s App holding the charts (its `outdir` is never written). */
  public readonly app: App;
  /** The chart of `deploy/k8s/service.yaml`. */
  public readonly serviceChart: Chart;
  /** The chart of `deploy/k8s/migrate-job.yaml`; undefined without a database. */
  public readonly migrationChart?: Chart;
  /** The Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The Service in front of the pods. */
  public readonly service: kplus.Service;
  /** The HorizontalPodAutoscaler; undefined when autoscaling is off. */
  public readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  /** The PodDisruptionBudget (policy/v1). */
  public readonly disruptionBudget: ApiObject;
  /** The Ingress; undefined without `ingressHost`. */
  public readonly ingress?: kplus.Ingress;
  /** The migration Job; undefined without a database. */
  public readonly migrationJob?: kplus.Job;
  /**
   * The manifest files, in the order they are applied, with what each holds (the service README).
   *
   * @internal
   */
  public readonly _files: KubernetesFile[];

  private rendered?: RenderedManifest[];

  /**
   * Add it after the project's `DockerStages` (the image it runs), its `NeonDatabase` (the migration
   * Job) and its `CiWorkflow` (the image it publishes), when it has them.
   */
  constructor(project: Project, options: KubernetesOptions = {}) {
    super(project);
    const problems = new Problems();
    checkKnownOptions(problems, options, 'KubernetesOptions', 'KubernetesManifests');
    checkNoSecrets(problems, options, '');
    const docker = imageOwner(project);
    const ci = CiWorkflow.of(project);
    const resolved = resolveKubernetesOptions(options, problems, '', {
      serviceName: isValidDistributionName(project.name) ? project.name : undefined,
      hasImage: docker !== undefined,
      imageNamed: imageRepository(project) !== undefined,
      ciImageNameOption: ci ? 'the image name CI publishes (ciOptions.imageName)' : 'DockerStages imageName',
    });
    problems.throwIfAny(`KubernetesManifests (${KUBERNETES_DIR})`);
    this._resolved = resolved;
    // The image is read from its owner when the manifests are rendered (at synth): an image name set
    // in .projenrc.ts after construction reaches them.
    const objects = chartModule().buildKubernetesObjects(resolved, this.facts(), () => this.facts().image ?? `${resolved.name}:${resolved.imageTag}`);
    this.app = objects.app;
    this.serviceChart = objects.serviceChart;
    this.migrationChart = objects.migrationChart;
    this.deployment = objects.deployment;
    this.service = objects.service;
    this.autoscaler = objects.autoscaler;
    this.disruptionBudget = objects.disruptionBudget;
    this.ingress = objects.ingress;
    this.migrationJob = objects.migrationJob;

    this._files = [];
    if (this.migrationChart) {
      const chart = this.migrationChart;
      new ManifestFile(project, MIGRATION_MANIFEST, () => this.objectsOf(MIGRATION_MANIFEST, chart));
      this._files.push({ path: MIGRATION_MANIFEST, purpose: 'Kubernetes: the migration Job, applied and waited for before the Deployment.' });
    }
    const chart = this.serviceChart;
    new ManifestFile(project, SERVICE_MANIFEST, () => this.objectsOf(SERVICE_MANIFEST, chart));
    this._files.push({
      path: SERVICE_MANIFEST,
      purpose: `Kubernetes: Deployment, Service, ${resolved.autoscaling ? 'autoscaler, ' : ''}disruption budget${resolved.ingressHost ? ', Ingress' : ''}.`,
    });
  }

  /** The facts the manifests share with the image, read from their owners now. */
  private facts(): KubernetesFacts {
    return readKubernetesFacts(this.project, this._resolved.imageTag);
  }

  /** The rendered objects of every manifest file, as JSON (after escape-hatch edits). */
  private render(): RenderedManifest[] {
    const out: RenderedManifest[] = [{ path: SERVICE_MANIFEST, objects: this.serviceChart.toJson() }];
    if (this.migrationChart) out.unshift({ path: MIGRATION_MANIFEST, objects: this.migrationChart.toJson() });
    return out;
  }

  /** Problems of the rendered manifests against the facts (empty when they agree), one line each. */
  public problems(): string[] {
    return this._checkProblems().map((p) => `${p.option}: ${p.expected}`);
  }

  /**
   * The rules of the rendered manifests (escape hatches included) against the facts their owners hold
   * now, as problems (empty when they agree).
   *
   * @internal
   */
  public _checkProblems(): OptionProblem[] {
    return checkManifests(this.render(), this.facts(), this._resolved);
  }

  /** Name of the migration Job of the current image tag. */
  public get migrationJobName(): string | undefined {
    return this.migrationJob ? migrationJobName(this._resolved.name, this._resolved.imageTag) : undefined;
  }

  /** Markdown section of the service README: deploy, Secrets, migrations, rollbacks. */
  public readmeSection(): string {
    const k = this._resolved;
    const facts = this.facts();
    const ns = k.namespace ? ` -n ${k.namespace}` : '';
    const job = this.migrationJob ? this.migrationJob.name : undefined;
    const secretKeys = (secret: string) => [
      ...(facts.pooledUrlEnv && k.pooledUrlSecret === secret ? [facts.pooledUrlEnv] : []),
      ...(facts.directUrlEnv && k.directUrlSecret === secret ? [facts.directUrlEnv] : []),
    ];
    const secrets = [...new Set([k.pooledUrlSecret, k.directUrlSecret])].filter((s) => secretKeys(s).length > 0);
    const secretCommands = secrets.map((s) =>
      `kubectl${ns} create secret generic ${s} ${secretKeys(s).map((key) => `\\\n  --from-literal=${key}="$${key}"`).join(' ')}`).join('\n');
    return renderTemplate('k8s/readme-section.md', {
      ns,
      name: k.name,
      image: facts.image ?? '',
      imageTag: k.imageTag,
      port: String(facts.port),
      healthPath: facts.healthPath,
      uid: String(facts.uid ?? ''),
      gid: String(facts.gid ?? ''),
      workersEnv: WORKERS_ENV,
      shutdownTimeout: facts.serve?.gracefulShutdown ?? 'unset',
      grace: String(facts.gracePeriodSeconds),
      preStop: String(PRESTOP_SLEEP_SECONDS),
      serviceManifest: SERVICE_MANIFEST,
      secretsBlock: secrets.length > 0
        ? `The database URLs live in ${secrets.length === 1 ? 'a Secret' : 'Secrets'} you create in the cluster (never in git); each key is the variable's name:\n\n\`\`\`sh\n${secretCommands}\n\`\`\`\n`
        : 'The service has no database: no Secret is needed.\n',
      migrateBlock: job
        ? migrateBlock(ns, job, MIGRATION_MANIFEST, facts, k.imageTag)
        : '',
      scaling: k.autoscaling
        ? `The HorizontalPodAutoscaler keeps ${k.minReplicas} to ${k.maxReplicas} pods at ${k.cpuUtilization}% of the CPU request (the Deployment leaves \`replicas\` to it)`
        : `The Deployment runs ${k.replicas} pods (autoscaling is off)`,
      ingress: k.ingressHost ? `, and the Ingress routes \`${k.ingressHost}\` to the Service` : '',
    });
  }

  public preSynthesize(): void {
    this.rendered = this.render();
    const problems = checkManifests(this.rendered, this.facts(), this._resolved);
    if (problems.length > 0) throw new ServiceConfigError(`Kubernetes manifests (${KUBERNETES_DIR})`, problems);
  }

  private objectsOf(filePath: string, chart: Chart): any[] {
    return this.rendered?.find((m) => m.path === filePath)?.objects ?? chart.toJson();
  }
}

function migrateBlock(ns: string, job: string, manifest: string, facts: KubernetesFacts, tag: string): string {
  const mutable = !isImmutableTag(tag);
  return [
    ...(mutable
      ? [`\`${tag}\` is a moving tag: the Job of the previous rollout has the same name, and a finished Job never runs again, so delete it first.`, '']
      : []),
    '```sh',
    ...(mutable ? [`kubectl${ns} delete job/${job} --ignore-not-found --wait`] : []),
    `kubectl${ns} apply -f ${manifest}`,
    `kubectl${ns} wait --for=condition=complete --timeout=15m job/${job}`,
    '```',
    '',
    `The Job runs \`${(facts.migrateCommand ?? []).join(' ')}\` from the same image, with \`${facts.directUrlEnv}\` (the direct URL) only.`,
    `If it fails, \`kubectl wait\` times out: read \`kubectl${ns} logs job/${job}\`, fix, and publish a new tag; the`,
    'Deployment is not applied, so the running version keeps serving. A Job\'s pod template cannot change: if',
    '`kubectl apply` says so (its spec changed under the same tag), delete the finished Job and apply again.',
    '',
    '',
  ].join('\n');
}
