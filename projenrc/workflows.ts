/**
 * The library's own GitHub workflows, on top of what projen's JsiiProject generates (build.yml,
 * release.yml, upgrade-main.yml, pull-request-lint.yml): the jobs that build and release the library
 * run the README's test command, every suite included, in the environment the suites are proven in.
 *
 * Why a container: `npx projen build` (part of both jobs) runs the jest suites, and some of them need
 * root and Debian's PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin); `.ci/run` adds the
 * suites that debootstrap a Debian trixie rootfs, run PostgreSQL and PgBouncer as an unprivileged
 * user and start a private dockerd. A GitHub-hosted Ubuntu runner has neither Debian's packages nor
 * root by default, so those two jobs run in a Debian bookworm container (the Debian release this
 * repository's suites run on), as root, privileged (chroot mounts, `unshare` in .ci/run, dockerd)
 * and in the host's cgroup namespace (a nested dockerd creates its containers' cgroups on cgroup v2,
 * which the runners use). The other jobs (packaging, publishing, upgrades, the title lint) run no
 * tests and stay on the plain runner.
 *
 * What each job gets, in order: the container's own tools before the checkout (apt-get:
 * {@link CONTAINER_PACKAGES}); the checkout; Node.js {@link WORKFLOW_NODE_VERSION} (projen's
 * setup-node step) and `npm install`/`npm ci`; then `scripts/system-deps.sh` (the suites' Debian
 * packages: shellcheck, debootstrap, PostgreSQL, PgBouncer, wrk, iproute2, docker.io, openssl); the
 * build or release task; `.ci/run` (`./scripts/test` and its checks); the JUnit reports and logs as
 * an artifact.
 */
import { github, JsonPatch, TestFailureBehavior } from 'projen';
import type { cdk } from 'projen';

type JobStep = github.workflows.JobStep;

/** Node.js major of every job (projen's setup-node step): the active LTS line. */
export const WORKFLOW_NODE_VERSION = '24';

/** Image of the jobs that run the suites (see the module comment). */
export const CONTAINER_IMAGE = 'debian:bookworm';

/**
 * `docker create` options of that container: root may mount, chroot and unshare (`--privileged`),
 * and the suites' private dockerd sees the host's cgroup v2 tree, where it may create cgroups for
 * its containers (`--cgroupns=host`).
 */
export const CONTAINER_OPTIONS = '--privileged --cgroupns=host';

/**
 * Debian packages the container needs before anything else, beyond what `scripts/system-deps.sh`
 * installs: what this repository's suites take from the host they run on.
 */
export const CONTAINER_PACKAGES: readonly string[] = [
  // actions/checkout makes a git repository only when git is on PATH (else it downloads a tarball,
  // and projen's self-mutation check and the release's bump need git); HTTPS to github.com.
  'git',
  'ca-certificates',
  // jest runs python3 (the stdlib module list, the Python checks of generated files).
  'python3',
  // pgrep/ps (the suites stop what they start by pid); jq and curl (scripts/k8s-constraints.sh, run
  // by the Docker suite); xz (setup-node's archives); getfacl/setfacl (projen's artifact steps).
  'procps',
  'jq',
  'curl',
  'xz-utils',
  'acl',
];

/** The jobs that run the suites: workflow name -> job id. */
const SUITE_JOBS: Record<string, string> = { build: 'build', release: 'release' };

/** Timeout of a job that runs every suite (`.ci/run` takes about 8 minutes on 2 cores, npm ci included). */
const SUITE_JOB_TIMEOUT_MINUTES = 60;

/**
 * The first step of a suite job: the container's own packages, and git's trust in the checkout (the
 * job runs as root; the workspace is bind-mounted from the runner and owned by its user, so git
 * refuses it as "dubious ownership" without it; the container is thrown away after the job).
 */
export function containerSetupStep(): JobStep {
  return {
    name: `Prepare the ${CONTAINER_IMAGE} container (git before the checkout, the suites' host tools)`,
    run: [
      'apt-get update -qq',
      `DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${CONTAINER_PACKAGES.join(' ')}`,
      "git config --system --add safe.directory '*'",
    ].join('\n'),
  };
}

/** Installs the suites' Debian packages, before the build task runs the jest suites. */
export function systemDepsStep(): JobStep {
  return { name: 'Install the Debian packages of the suites (scripts/system-deps.sh)', run: 'bash scripts/system-deps.sh' };
}

/**
 * After the build or release task: the README's test command through `.ci/run` (npm dependencies
 * checked against the lock, `./scripts/test`: every suite; API.md current; nothing left in /tmp).
 * Run as root, .ci/run gives the suites a private /tmp inside the checkout, which is on the runner's
 * disk (the container's own filesystem is an overlay, which the Docker suite's dockerd cannot stack
 * its overlay2 layers on); then their JUnit reports and logs are kept as an artifact.
 */
export function testSteps(): JobStep[] {
  return [
    { name: 'Test: every suite (.ci/run runs ./scripts/test)', run: 'bash .ci/run' },
    github.WorkflowSteps.uploadArtifact({
      name: 'Keep the test reports and logs',
      if: '${{ !cancelled() }}',
      with: { name: 'test-reports', path: 'test-reports/', ifNoFilesFound: 'ignore', retentionDays: 14 },
    }),
  ];
}

/**
 * Runs the jobs of {@link SUITE_JOBS} in the container: its image and options, the setup step
 * inserted before the checkout, and a timeout.
 */
export function runSuiteJobsInContainer(project: cdk.JsiiProject): void {
  const gh = github.GitHub.of(project);
  if (!gh) throw new Error('the library\'s workflows need projen\'s GitHub component (github: true)');
  for (const [workflowName, jobId] of Object.entries(SUITE_JOBS)) {
    const file = gh.tryFindWorkflow(workflowName)?.file;
    if (!file) throw new Error(`projen generated no "${workflowName}" workflow: release and the build workflow must be on`);
    file.addOverride(`jobs.${jobId}.container`, { image: CONTAINER_IMAGE, options: CONTAINER_OPTIONS });
    file.addOverride(`jobs.${jobId}.timeout-minutes`, SUITE_JOB_TIMEOUT_MINUTES);
    // Before projen's checkout, the job's first step (fails the synth if projen moves it).
    file.patch(
      JsonPatch.test(`/jobs/${jobId}/steps/0/uses`, github.ActionRefs.ACTIONS_CHECKOUT, TestFailureBehavior.FAIL_SYNTHESIS),
      JsonPatch.add(`/jobs/${jobId}/steps/0`, containerSetupStep()),
    );
  }
}
