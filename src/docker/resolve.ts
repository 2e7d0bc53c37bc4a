import { forwardedEntryProblem } from './forwarded';
import { UvDockerOptions } from './options';
import { hasLineBreak } from './render';
import { DIGEST, IMAGE_REPOSITORY, OptionReader } from '../core/option-reader';
import { Problems } from '../core/problems';

/**
 * An image name with an optional tag, no digest (`python:3.12-slim`, `registry:5000/team/python:3.12`);
 * with an optional `@<digest>` it is an image reference (see validate.ts).
 */
export const IMAGE_WITH_TAG = /^([a-z0-9]+([._-]+[a-z0-9]+)*(:[0-9]+)?\/)*[a-z0-9]+([._-]+[a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/;
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const MAX_ID = 2 ** 31 - 2;
const DEFAULT_ID = 10001;

/** The image repository name derived from a service name: lower-cased, runs of other characters as `-`. */
export function imageNameOf(serviceName: string): string {
  // Lower case; a run of separators Docker's grammar refuses (".." , "._", "___") becomes one "-".
  const name = String(serviceName).toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]{2,}/g, (run) => (run === '__' || /^-+$/.test(run) ? run : '-'))
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name || 'service';
}

/** The official Python image, with or without its registry: `python`, `library/python`, `docker.io/library/python`. */
const PYTHON_IMAGE = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?(?:library\/)?python(?::(.*))?$/;

/**
 * The problem with an official `python` base image for this service, if any: its tag must start with
 * the service's Python version (`3.13`, `3.13.1`, `3.13-slim`...), and it must not be Alpine-based (the
 * runtime stage creates its user with Debian's groupadd/useradd). Other images are not checked.
 */
export function baseImageProblem(image: string, pythonVersion: string): string | undefined {
  const m = PYTHON_IMAGE.exec(image);
  if (!m) return undefined;
  const slim = `"python:${pythonVersion}-slim"`;
  const tag = m[1] ?? 'latest';
  if (/(^|-)alpine/.test(tag)) {
    return `is Alpine-based, but the runtime stage creates its user with groupadd/useradd (Debian); use the Debian slim tag, e.g. ${slim}.`;
  }
  const version = /^([0-9]+)\.([0-9]+)(?![0-9])/.exec(tag);
  if (!version) {
    return `does not name a Python version, so the image's Python can differ from pythonVersion "${pythonVersion}" (requires-python, and UV_PYTHON_DOWNLOADS=0 keeps uv from fetching another); use a tag that starts with it, e.g. ${slim}.`;
  }
  const imageVersion = `${version[1]}.${version[2]}`;
  if (imageVersion !== pythonVersion) {
    return `has Python ${imageVersion}, but pythonVersion is "${pythonVersion}" (requires-python >=${pythonVersion}, and UV_PYTHON_DOWNLOADS=0 keeps uv from fetching another Python, so uv sync fails); use ${slim}, or set pythonVersion to "${imageVersion}".`;
  }
  return undefined;
}

/**
 * Applies defaults to {@link UvDockerOptions} and records every problem under `optionPath`.
 * Never throws: the caller throws once for all problems.
 *
 * @param serviceName the service's name, from which the default image name is derived
 * @param pythonVersion the service's `pythonVersion` (`3.N`); when given, an official `python` base image
 *   must carry that version and not be Alpine-based (an invalid version is not compared: it has its own problem)
 */
export function resolveDockerOptions(
  options: UvDockerOptions | undefined,
  problems: Problems,
  optionPath: string,
  serviceName: string = 'service',
  pythonVersion?: string,
): ResolvedDocker {
  const o: UvDockerOptions = options ?? {};
  const r = new OptionReader(problems, optionPath);
  const idHelp = `expected a non-root numeric id from 1 to ${MAX_ID} (0 is root), e.g. ${DEFAULT_ID}.`;
  const digestHelp = 'expected "sha256:" followed by 64 lowercase hex digits (docker buildx imagetools inspect <image> shows it).';

  const testing = r.bool('testingStage', o.testingStage, true);
  const baseImage = r.str('baseImage', o.baseImage, undefined, IMAGE_WITH_TAG,
    'expected an image name with an optional tag and no digest, e.g. "python:3.12-slim-trixie" (pin a digest with baseImageDigest).');
  if (baseImage !== undefined && typeof pythonVersion === 'string' && /^3\.[0-9]+$/.test(pythonVersion)) {
    const mismatch = baseImageProblem(baseImage, pythonVersion);
    if (mismatch) r.problem('baseImage', baseImage, mismatch);
  }
  const baseImageDigest = r.str('baseImageDigest', o.baseImageDigest, undefined, DIGEST, digestHelp);
  const uvImageDigest = r.str('uvImageDigest', o.uvImageDigest, undefined, DIGEST, digestHelp);
  const userName = r.str('userName', o.userName, undefined, USER_NAME,
    'expected a Linux user name: lowercase letters, digits, "_" or "-", starting with a letter or "_", at most 32 characters (not "root").');
  if (userName === 'root') {
    r.problem('userName', userName, 'the service must not run as root; choose another name, e.g. "app".');
  }
  const imageName = r.str('imageName', o.imageName, undefined, IMAGE_REPOSITORY,
    'expected a Docker repository name without tag: lowercase letters, digits, ".", "_", "-", and "/" between components, e.g. "orders-api" or "team/orders-api".');

  const ignorePatterns: string[] = [];
  if (o.ignorePatterns !== undefined) {
    if (!Array.isArray(o.ignorePatterns)) {
      r.problem('ignorePatterns', o.ignorePatterns, 'expected an array of .dockerignore patterns, e.g. ["docs/", "*.md", "!README.md"].');
    } else {
      o.ignorePatterns.forEach((p, i) => {
        if (typeof p === 'string' && p.trim() !== '' && !hasLineBreak(p)) {
          ignorePatterns.push(p);
        } else {
          r.problem(`ignorePatterns[${i}]`, p, 'expected one non-empty .dockerignore pattern on one line.');
        }
      });
    }
  }

  const syntax = r.str('syntax', o.syntax, undefined, /^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?(@sha256:[0-9a-f]{64})?$/,
    'expected a Dockerfile frontend image such as "docker/dockerfile:1".');

  let forwardedAllowIps: string | undefined;
  if (o.forwardedAllowIps !== undefined) {
    const entries = o.forwardedAllowIps;
    if (!Array.isArray(entries) || entries.length === 0) {
      r.problem('forwardedAllowIps', entries, 'expected a non-empty array of IP addresses or networks, e.g. ["10.0.0.0/8"], or ["*"] for every peer.');
    } else if (entries.includes('*') && entries.length > 1) {
      r.problem('forwardedAllowIps', entries, 'uvicorn trusts every peer only for "*" alone (with other entries it is no address at all); write ["*"], or list the addresses.');
    } else if (entries[0] !== '*') {
      let ok = true;
      entries.forEach((e, i) => {
        const problem = typeof e === 'string' ? forwardedEntryProblem(e) : 'expected a string';
        if (problem !== undefined) {
          ok = false;
          r.problem(`forwardedAllowIps[${i}]`, e, `${problem}: expected an IP address (10.0.0.7, fd00::7) or a network (10.0.0.0/8).`);
        }
      });
      if (ok) forwardedAllowIps = entries.join(',');
    } else {
      forwardedAllowIps = '*';
    }
  }

  return {
    forwardedAllowIps,
    builderStage: 'builder',
    runtimeStage: 'runtime',
    testingStage: testing ? 'testing' : undefined,
    dockerfile: 'Dockerfile',
    context: '.',
    imageName: imageName ?? imageNameOf(serviceName),
    baseImage,
    baseImageDigest,
    uvImageDigest,
    userName: userName === 'root' ? 'app' : userName ?? 'app',
    uid: r.int('uid', o.uid, DEFAULT_ID, 1, MAX_ID, idHelp),
    gid: r.int('gid', o.gid, DEFAULT_ID, 1, MAX_ID, idHelp),
    ignorePatterns,
    syntax: syntax ?? 'docker/dockerfile:1',
    healthcheck: r.bool('healthcheck', o.healthcheck, true),
    gracePeriodSeconds: r.int('gracePeriodSeconds', o.gracePeriodSeconds, DEFAULT_GRACE_PERIOD_SECONDS, MIN_GRACE_PERIOD_SECONDS, 3600,
      `expected a whole number of seconds from ${MIN_GRACE_PERIOD_SECONDS} to 3600, e.g. ${DEFAULT_GRACE_PERIOD_SECONDS}: uvicorn gets ${SHUTDOWN_HEADROOM_SECONDS} s less to finish requests in flight.`),
  };
}

/** The grace period when `dockerOptions.gracePeriodSeconds` is unset. */
export const DEFAULT_GRACE_PERIOD_SECONDS = 30;
/**
 * Seconds of the grace period uvicorn does not get: Kubernetes' preStop pause (5 s, within the period)
 * and the app's lifespan shutdown after the requests (5 s), before the kill.
 */
export const SHUTDOWN_HEADROOM_SECONDS = 10;
/** The shortest grace period: uvicorn keeps at least 5 s for requests in flight. */
const MIN_GRACE_PERIOD_SECONDS = SHUTDOWN_HEADROOM_SECONDS + 5;

/**
 * The Docker options after defaults and validation, from which the uv preset builds the service's
 * `DockerStages`. Other components read the live model (`DockerStages.of(project)`), not this.
 */
export interface ResolvedDocker {
  /** Name of the stage that runs the service (the Dockerfile's last stage, so the default build target). */
  readonly runtimeStage: string;
  /** Name of the stage that runs the tests, if any. */
  readonly testingStage?: string;
  /** Name of the stage that installs the dependencies and the project. */
  readonly builderStage: string;
  /** Path of the Dockerfile, relative to the project root. */
  readonly dockerfile: string;
  /** Build context, relative to the project root. */
  readonly context: string;
  /** Name of the image (no tag) the tasks build and CI publishes. */
  readonly imageName: string;
  /** Base image tag override, if given (otherwise `python:<pythonVersion>-slim`). */
  readonly baseImage?: string;
  /** Digest of the base image, `sha256:...`, if pinned. */
  readonly baseImageDigest?: string;
  /** Digest of uv's image, `sha256:...`, if pinned. */
  readonly uvImageDigest?: string;
  /** Non-root user of the runtime stage. */
  readonly userName: string;
  readonly uid: number;
  readonly gid: number;
  /** Extra .dockerignore patterns. */
  readonly ignorePatterns: string[];
  /** `# syntax=` frontend. */
  readonly syntax: string;
  /** Whether the runtime stage has a HEALTHCHECK. */
  readonly healthcheck: boolean;
  /** Seconds from the stop signal to the kill (`dockerOptions.gracePeriodSeconds`). */
  readonly gracePeriodSeconds: number;
  /** `FORWARDED_ALLOW_IPS` of the runtime stage (comma-separated), unset for uvicorn's default. */
  readonly forwardedAllowIps?: string;
}
