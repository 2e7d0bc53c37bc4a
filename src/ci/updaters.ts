import { Project } from 'projen/lib/project';
import { ResolvedCi } from './resolve';
/**
 * A Dependabot version updater the service could have, with the files its pull requests edit
 * (GitHub's Dependabot documentation: the uv updater edits pyproject.toml and uv.lock, npm edits
 * package.json and its lock, docker edits the Dockerfile's `FROM` lines, docker-compose the compose
 * file's images, github-actions the `uses:` lines of the workflows).
 */
export interface DependabotCandidate {
  /** `package-ecosystem` value. */
  readonly ecosystem: string;
  /** Paths (a `*` matches within one path segment) its pull requests edit. */
  readonly edits: string[];
}

/** A Dependabot updater left out, with the managed files its pull requests would edit. */
export interface DroppedUpdater {
  /** `package-ecosystem` value. */
  readonly ecosystem: string;
  /** The managed files it would edit. */
  readonly managed: string[];
}

const DOCKERFILE = /(^|\/)([^/]+\.)?Dockerfile$/;

const COMPOSE_FILE = /(^|\/)(docker-)?compose\.ya?ml$/;

/**
 * Every updater that has something to update in a project with these files: uv, npm and
 * github-actions always (a service has pyproject.toml, package.json and workflows), docker and
 * docker-compose for each Dockerfile and compose file there is.
 */
export function dependabotCandidates(files: readonly string[]): DependabotCandidate[] {
  const dockerfiles = files.filter((f) => DOCKERFILE.test(f));
  const composeFiles = files.filter((f) => COMPOSE_FILE.test(f));
  return [
    { ecosystem: 'uv', edits: ['pyproject.toml', 'uv.lock'] },
    { ecosystem: 'npm', edits: ['package.json', 'package-lock.json'] },
    ...(dockerfiles.length > 0 ? [{ ecosystem: 'docker', edits: dockerfiles }] : []),
    ...(composeFiles.length > 0 ? [{ ecosystem: 'docker-compose', edits: composeFiles }] : []),
    { ecosystem: 'github-actions', edits: ['.github/workflows/*.yml', '.github/workflows/*.yaml'] },
  ];
}

/** Whether `pattern` (exact, or with `*` matching within one segment) matches `filePath`. */
export function editMatches(pattern: string, filePath: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
  return re.test(filePath);
}

/**
 * The files projen generates and rewrites on every synth: projen's own list of the project's files
 * (`project.files`, each written with projen's generated marker or read-only). A pull request that
 * edits one of them is undone by the next synth, and fails the CI's `synth` job.
 */
export function managedFiles(project: Project): string[] {
  return project.files.map((f) => f.path).sort();
}

/** The candidates none of whose edits lands in a managed file, and the ones left out, with why. */
export function splitUpdaters(
  candidates: readonly DependabotCandidate[],
  managed: readonly string[],
): { kept: DependabotCandidate[]; dropped: DroppedUpdater[] } {
  const kept: DependabotCandidate[] = [];
  const dropped: DroppedUpdater[] = [];
  for (const c of candidates) {
    const hit = managed.filter((f) => c.edits.some((e) => editMatches(e, f)));
    if (hit.length > 0) dropped.push({ ecosystem: c.ecosystem, managed: hit });
    else kept.push(c);
  }
  return { kept, dropped };
}

/**
 * The `.github/dependabot.yml` content for the given ecosystems, or undefined when there is none:
 * `updates` is a required key, each entry naming an ecosystem (Dependabot options reference,
 * "Required keys"), and security updates, a repository setting, work without the file
 * (https://docs.github.com/en/code-security/concepts/supply-chain-security/about-the-dependabot-yml-file).
 */
export function dependabotConfig(ci: ResolvedCi, ecosystems: readonly string[]): Record<string, unknown> | undefined {
  if (ecosystems.length === 0) return undefined;
  return {
    version: 2,
    updates: ecosystems.map((ecosystem) => ({
      'package-ecosystem': ecosystem,
      'directory': '/',
      'schedule': { interval: 'weekly' },
      // Semver-specific cooldowns are not supported by every ecosystem (docker, github-actions).
      'cooldown': { 'default-days': ci.dependabotCooldownDays },
    })),
  };
}
