/**
 * Options of the uv Docker preset that {@link UvPythonService} uses. Python version, uv version, port,
 * app module and health path are not repeated here: they come from the service's own options.
 */
export interface UvDockerOptions {
  /**
   * Whether the Dockerfile has a `testing` stage (builder + dev group + tests, `CMD` pytest), built and
   * run by the `docker:test` task.
   *
   * @default true
   */
  readonly testingStage?: boolean;

  /**
   * Base image of the builder and runtime stages (both use the same one, so the virtualenv's interpreter
   * exists at runtime). Give a tag only; pin a digest with `baseImageDigest`. It must be Debian-based (the
   * runtime stage runs groupadd/useradd) with the service's `pythonVersion` (uv does not download another):
   * an official `python` image is checked for both (its tag must start with `pythonVersion`, not Alpine);
   * any other image is taken as given.
   *
   * @default - `python:<pythonVersion>-slim`
   */
  readonly baseImage?: string;

  /**
   * Digest the base image is pinned to, `sha256:<64 hex digits>` (rendered as `image@sha256:...`).
   *
   * @default - no digest: the tag is followed
   */
  readonly baseImageDigest?: string;

  /**
   * Digest uv's image is pinned to, besides the exact `uvVersion` tag.
   *
   * @default - the exact version tag only
   */
  readonly uvImageDigest?: string;

  /**
   * Name of the non-root user the service runs as.
   *
   * @default "app"
   */
  readonly userName?: string;

  /**
   * Fixed uid of that user (files in volumes keep a predictable owner; Kubernetes `runAsNonRoot` can
   * verify it because `USER` is numeric).
   *
   * @default 10001
   */
  readonly uid?: number;

  /**
   * Fixed gid of that user's group.
   *
   * @default 10001
   */
  readonly gid?: number;

  /**
   * Name of the image the `docker:build` and `docker:test` tasks tag (and CI publishes).
   *
   * @default - the service name, lower-cased
   */
  readonly imageName?: string;

  /**
   * Extra `.dockerignore` patterns, appended after the preset's (a `!pattern` re-includes a path). They
   * may not let a `.env` file in, nor leave out a file the image needs; the error names the pattern by
   * its index here.
   *
   * @default - none
   */
  readonly ignorePatterns?: string[];

  /**
   * Dockerfile frontend of the `# syntax=` directive (BuildKit features such as `RUN --mount`).
   *
   * @default "docker/dockerfile:1"
   */
  readonly syntax?: string;

  /**
   * Whether the runtime stage has a HEALTHCHECK probing the service's health path.
   *
   * @default true
   */
  readonly healthcheck?: boolean;

  /**
   * Seconds the service gets to stop after the stop signal, before it is killed: the one grace period
   * of every file that stops it. compose.yaml's `stop_grace_period` and the Kubernetes pod's
   * `terminationGracePeriodSeconds` are this; the runtime CMD's uvicorn `--timeout-graceful-shutdown`
   * (how long it waits for requests in flight, refusing new connections) is 10 s less, the headroom for
   * Kubernetes' preStop pause and the app's own shutdown (closing the pool) before the kill. From 15 to 3600.
   *
   * @default 30
   */
  readonly gracePeriodSeconds?: number;

  /**
   * The peers uvicorn takes `X-Forwarded-For` and `X-Forwarded-Proto` from (the CMD runs it with
   * `--proxy-headers`), written as the runtime stage's `ENV FORWARDED_ALLOW_IPS` (the platform can
   * still set that variable): IPv4 and IPv6 addresses and networks (`10.0.0.0/8`, `fd00::/8`; no host
   * bits set), or `["*"]` alone for every peer, safe only where nothing but the proxy can reach the
   * container. Behind a load balancer or a Kubernetes ingress controller, list its addresses or the
   * network it connects from (the pod network's CIDR): otherwise every request's client address is
   * the balancer's, and with this too wide any client can forge its address.
   *
   * @default - unset: uvicorn's default, 127.0.0.1 only
   */
  readonly forwardedAllowIps?: string[];
}

