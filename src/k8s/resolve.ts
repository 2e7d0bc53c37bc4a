import * as crypto from 'crypto';
import { KubernetesOptions } from './options';

import { REPOSITORY_EXPRESSION } from '../ci/resolve';
import type { ResolvedCi } from '../ci/resolve';
import { OptionReader } from '../core/option-reader';
import { Problems } from '../core/problems';

/** A DNS-1035 label (Service names): lowercase letters, digits, "-", starting with a letter. */
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 label (namespaces). */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain (Secret names, IngressClass names). */
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A host name of an Ingress rule: a DNS-1123 subdomain, optionally `*.` in front. */
const INGRESS_HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
/** A Docker image tag. */
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Longest `name`: the migration Job is `<name>-migrate-<tag>`, and a Job's name is a 63-character label. */
export const MAX_NAME_LENGTH = 40;

/** The Kubernetes name a service name gives by default: lower-cased, "." and "_" turned into "-". */
export function defaultKubernetesName(serviceName: string): string {
  return serviceName.toLowerCase().replace(/[._]+/g, '-');
}

/**
 * Name of the migration Job of one image tag: `<name>-migrate-<tag>`, the tag lower-cased with "."
 * and "_" as "-"; when that changes the tag or does not fit in 63 characters, a short hash of the exact
 * tag keeps two tags from sharing a Job.
 */
export function migrationJobName(name: string, tag: string): string {
  const prefix = `${name}-migrate-`;
  const clean = tag.toLowerCase().replace(/[._]+/g, '-').replace(/^-+|-+$/g, '');
  if (clean === tag && prefix.length + clean.length <= 63) return `${prefix}${clean}`;
  const hash = crypto.createHash('sha256').update(tag).digest('hex').slice(0, 8);
  const room = 63 - prefix.length - hash.length - 1;
  const head = clean.slice(0, Math.max(room, 0)).replace(/-+$/, '');
  return head ? `${prefix}${head}-${hash}` : `${prefix}${hash}`;
}

/**
 * Whether the image the manifests run can be named from the options: what CI publishes when it
 * publishes one (a literal `ciOptions.imageName`), otherwise the Dockerfile's image name.
 */
export function imageNamedByOptions(ci: ResolvedCi | undefined): boolean {
  return !(ci && ci.publishImage && ci.imageName === REPOSITORY_EXPRESSION);
}

/** What the Kubernetes options need from the rest of the service. */
export interface KubernetesContext {
  /** The service name (undefined when it is itself invalid: the default name is then skipped). */
  readonly serviceName?: string;
  /** Whether the project builds an image (has a Dockerfile). */
  readonly hasImage: boolean;
  /** Whether the image the manifests run can be named (not only `${{ github.repository }}`, known inside GitHub Actions). */
  readonly imageNamed: boolean;
  /** Option path of CI's image name, named when it cannot be used. */
  readonly ciImageNameOption: string;
}

/**
 * Applies defaults and checks every Kubernetes option, recording problems under `optionPath`; also
 * checks that the manifests can name their image (Docker on, a literal image name when CI publishes).
 */
export function resolveKubernetesOptions(
  options: KubernetesOptions | undefined,
  problems: Problems,
  optionPath: string,
  ctx: KubernetesContext,
): ResolvedKubernetes {
  const o = (options ?? {}) as KubernetesOptions;
  const r = new OptionReader(problems, optionPath);

  if (!ctx.hasImage) {
    problems.add('kubernetes', true, 'the manifests run the image the Dockerfile builds: set docker: true (the default), or kubernetes: false.');
  } else if (!ctx.imageNamed) {
    problems.add(ctx.ciImageNameOption, REPOSITORY_EXPRESSION,
      'is known only inside GitHub Actions, and kubernetes: true names the image CI publishes in deploy/k8s/: set the repository, e.g. "acme/orders-api".');
  }

  const fallbackName = ctx.serviceName ? defaultKubernetesName(ctx.serviceName) : 'service';
  let name = r.str('name', o.name, fallbackName, (v) => DNS_1035.test(v) && v.length <= MAX_NAME_LENGTH,
    `expected a DNS-1035 label of at most ${MAX_NAME_LENGTH} characters (lowercase letters, digits, "-"; starting with a letter, not ending with "-"), e.g. "orders-api".`);
  if (o.name === undefined && ctx.serviceName && !(DNS_1035.test(name) && name.length <= MAX_NAME_LENGTH)) {
    r.problem('name', undefined,
      `the default "${name}" (from the service name) is not a DNS-1035 label of at most ${MAX_NAME_LENGTH} characters; set kubernetesOptions.name, e.g. "orders-api".`);
    name = 'service';
  }

  const namespace = r.str('namespace', o.namespace, undefined, (v) => DNS_1123_LABEL.test(v) && v.length <= 63,
    'expected a DNS-1123 label of at most 63 characters (lowercase letters, digits, "-"), e.g. "orders".');
  const imageTag = r.str('imageTag', o.imageTag, 'latest', IMAGE_TAG,
    'expected a Docker image tag (letters, digits, "_", ".", "-"; at most 128; not starting with "." or "-"), e.g. "sha-1a2b3c4".');

  const replicas = r.int('replicas', o.replicas, 2, 1, 1000, 'expected a whole number of pods from 1 to 1000, e.g. 2.');
  const workers = r.int('workers', o.workers, 1, 1, 64, 'expected a whole number of uvicorn workers from 1 to 64, e.g. 1.');
  const servicePort = r.int('servicePort', o.servicePort, 80, 1, 65535, 'expected an integer TCP port from 1 to 65535, e.g. 80.');

  const res = (o.resources ?? {});
  const rr = new OptionReader(problems, r.at('resources'));
  const cpuRequestMillicores = rr.int('cpuRequestMillicores', res.cpuRequestMillicores, 250, 1, 256_000,
    'expected a whole number of millicores from 1 to 256000, e.g. 250 (a quarter of a CPU).');
  const cpuLimitMillicores = rr.int('cpuLimitMillicores', res.cpuLimitMillicores, 0, 0, 256_000,
    'expected a whole number of millicores from 0 (no limit) to 256000, e.g. 1000.');
  if (cpuLimitMillicores !== 0 && cpuLimitMillicores < cpuRequestMillicores) {
    rr.problem('cpuLimitMillicores', cpuLimitMillicores, `must be 0 (no limit) or at least cpuRequestMillicores (${cpuRequestMillicores}).`);
  }
  const memoryRequestMebibytes = rr.int('memoryRequestMebibytes', res.memoryRequestMebibytes, 256, 16, 1_048_576,
    'expected a whole number of MiB from 16 to 1048576, e.g. 256.');
  const memoryLimitMebibytes = rr.int('memoryLimitMebibytes', res.memoryLimitMebibytes, Math.max(512, memoryRequestMebibytes), 16, 1_048_576,
    'expected a whole number of MiB from 16 to 1048576, e.g. 512.');
  if (memoryLimitMebibytes < memoryRequestMebibytes) {
    rr.problem('memoryLimitMebibytes', memoryLimitMebibytes, `must be at least memoryRequestMebibytes (${memoryRequestMebibytes}).`);
  }

  const auto = (o.autoscaling ?? {});
  const ar = new OptionReader(problems, r.at('autoscaling'));
  const autoscaling = ar.bool('enabled', auto.enabled, true);
  const minReplicas = ar.int('minReplicas', auto.minReplicas, 2, 1, 1000, 'expected a whole number of pods from 1 to 1000, e.g. 2.');
  const maxReplicas = ar.int('maxReplicas', auto.maxReplicas, Math.max(10, minReplicas), 1, 1000, 'expected a whole number of pods from 1 to 1000, e.g. 10.');
  if (maxReplicas < minReplicas) {
    ar.problem('maxReplicas', maxReplicas, `must be at least minReplicas (${minReplicas}).`);
  }
  const cpuUtilization = ar.int('cpuUtilization', auto.cpuUtilization, 70, 1, 100, 'expected a percentage of the CPU request from 1 to 100, e.g. 70.');

  const secretName = (option: 'pooledUrlSecret' | 'directUrlSecret') => r.str(option, o[option], `${name}-database`,
    (v) => DNS_1123_SUBDOMAIN.test(v) && v.length <= 253,
    `expected the name of a Secret (a DNS-1123 subdomain: lowercase letters, digits, "-", "."), e.g. "${name}-database".`);
  const pooledUrlSecret = secretName('pooledUrlSecret');
  const directUrlSecret = secretName('directUrlSecret');

  const ingressHost = r.str('ingressHost', o.ingressHost, undefined, (v) => INGRESS_HOST.test(v) && v.length <= 253,
    'expected a lowercase host name such as "orders.example.com" (no scheme, port or path; "*." allowed in front).');
  const ingressClassName = r.str('ingressClassName', o.ingressClassName, undefined, (v) => DNS_1123_SUBDOMAIN.test(v) && v.length <= 253,
    'expected the name of an IngressClass, e.g. "nginx".');
  if (ingressClassName !== undefined && ingressHost === undefined && o.ingressHost === undefined) {
    r.problem('ingressClassName', ingressClassName, 'is used only with ingressHost: set ingressHost too, or leave ingressClassName out.');
  }

  return {
    name,
    namespace,
    imageTag,
    replicas,
    workers,
    cpuRequestMillicores,
    cpuLimitMillicores,
    memoryRequestMebibytes,
    memoryLimitMebibytes,
    autoscaling,
    minReplicas,
    maxReplicas,
    cpuUtilization,
    pooledUrlSecret,
    directUrlSecret,
    ingressHost,
    ingressClassName,
    servicePort,
  };
}

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
