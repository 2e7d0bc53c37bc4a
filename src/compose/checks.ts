import * as path from 'path';
import { OptionProblem } from '../core/problems';
import { overridden } from '../core/rendered';

/** Who set a port compose.yaml publishes: what a problem about it names, and how to fix it. */
export interface PortOwner {
  /** Where a problem about it is reported: `port`, `services/orders: port`, or the override that set it. */
  readonly option: string;
  /** How a problem about another service names this one: `"orders" (services/orders)`. */
  readonly label: string;
  /** How to move it off a taken port, given a free one: `set another port on "orders", e.g. port: 8003`. */
  readonly fix: (free: number) => string;
  /** Ports of a lower rank are taken first: the database stack's (which no option moves), then the apps in the workspace's order. */
  readonly rank: number;
}

/** A port compose.yaml publishes on the host. */
export interface PublishedPort {
  /** The compose service. */
  readonly service: string;
  /** The host port. */
  readonly port: number;
  readonly owner: PortOwner;
}

/** The host port of one `ports` entry (`127.0.0.1:8001:8000`, `8001:8000`, `{ published: 8001 }`); undefined when compose picks one. */
export function hostPort(entry: unknown): number | undefined {
  if (entry !== null && typeof entry === 'object') {
    const published = Number((entry as { published?: unknown }).published);
    return Number.isInteger(published) ? published : undefined;
  }
  const parts = String(entry).replace(/\/(tcp|udp)$/, '').split(':');
  if (parts.length < 2) return undefined;
  const port = Number(parts[parts.length - 2]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/**
 * Every host port a compose document publishes (the rendered one: overrides included), each with its
 * owner: the model's (`ownerOf`) where the entry is the one the model built, else the override that
 * wrote it. In the owners' rank order.
 */
export function publishedPorts(
  rendered: Record<string, any>,
  model: Record<string, any>,
  ownerOf: (service: string) => PortOwner | undefined,
): PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const [service, spec] of Object.entries<any>(rendered.services ?? {})) {
    const entries: unknown[] = Array.isArray(spec?.ports) ? spec.ports : [];
    entries.forEach((entry, i) => {
      const port = hostPort(entry);
      if (port === undefined) return;
      const fromModel = !overridden(rendered, model, ['services', service, 'ports', i]);
      const owner = (fromModel ? ownerOf(service) : undefined) ?? overrideOwner(service, i, entry);
      out.push({ service, port, owner });
    });
  }
  return out.map((p, i) => ({ p, i })).sort((a, b) => a.p.owner.rank - b.p.owner.rank || a.i - b.i).map(({ p }) => p);
}

/** The owner of a `ports` entry an override of `.projenrc.ts` wrote. */
function overrideOwner(service: string, index: number, entry: unknown): PortOwner {
  const container = typeof entry === 'string' ? entry.split(':').pop() : undefined;
  return {
    option: `compose.yaml services.${service}.ports[${index}] (an override in .projenrc.ts)`,
    label: `"${service}" (an override in .projenrc.ts)`,
    fix: (free) => `publish another host port in that override, e.g. "127.0.0.1:${free}:${container ?? free}"`,
    rank: Number.MAX_SAFE_INTEGER,
  };
}

/**
 * The one check of ports published twice (a service's compose.yaml and a workspace's): each later
 * port that an earlier one publishes too is a problem naming both, what set it and a free port to take
 * instead (the host has one port of each number on 127.0.0.1).
 */
export function portClashProblems(ports: readonly PublishedPort[]): OptionProblem[] {
  const taken = new Set(ports.map((p) => p.port));
  const first = new Map<number, PublishedPort>();
  const problems: OptionProblem[] = [];
  for (const p of ports) {
    const earlier = first.get(p.port);
    if (earlier === undefined) {
      first.set(p.port, p);
      continue;
    }
    let free = p.port + 1;
    while (taken.has(free)) free++;
    taken.add(free);
    problems.push({
      option: p.owner.option,
      value: p.port,
      expected: `is the port of ${earlier.owner.label} too, and compose.yaml publishes every service's port on 127.0.0.1 side by side: ${p.owner.fix(free)}.`,
    });
  }
  return problems;
}

/** What the rules of an app's compose services compare the rendered file with, read from the owners at synth. */
export interface AppServiceFacts {
  /** The app's compose service, and its one-shot migration service (with a database). */
  readonly app: string;
  readonly migrate?: string;
  /** The build the image's owner gives (paths from compose.yaml's directory; the Dockerfile from there too). */
  readonly context: string;
  readonly dockerfile: string;
  /** The stages of the Dockerfile, and the file itself as errors name it. */
  readonly stages: readonly string[];
  readonly dockerfileLabel: string;
  /** The port the runtime CMD listens on when `$PORT` is unset (`DockerStages.port`). */
  readonly port: number;
  /** The database's variables: the app reads both, the migrations the direct one. */
  readonly pooledUrlEnv?: string;
  readonly directUrlEnv?: string;
  /** How errors name the options the facts come from, e.g. `project.docker` and `databaseOptions`. */
  readonly dockerOption: string;
  readonly databaseOption: string;
}

/**
 * The rules between an app's services in the rendered compose.yaml (overrides included) and the files
 * they run, for what an override of `.projenrc.ts` changed: each build names the image's Dockerfile
 * and context (what its .dockerignore checks are about) and a stage of that Dockerfile; the app's
 * published container port is the one it listens on (the CMD reads `$PORT`, else the image's port); the
 * app gets both database variables, the migrations the direct one (db.py and migrations/env.py read
 * them). Each problem names the override.
 */
export function appServiceProblems(rendered: Record<string, any>, model: Record<string, any>, facts: AppServiceFacts): OptionProblem[] {
  const problems: OptionProblem[] = [];
  // What the model built agrees with the owners by construction (a missing stage is the Dockerfile's
  // own error, naming this file): only an override can put this file out of step.
  const changed = (keys: readonly (string | number)[]) => overridden(rendered, model, keys);
  const at = (keys: readonly (string | number)[]) => `compose.yaml services.${keys.slice(1).join('.')} (an override in .projenrc.ts)`;
  for (const service of [facts.app, ...(facts.migrate ? [facts.migrate] : [])]) {
    const spec = rendered.services?.[service];
    if (!spec) continue;
    const build = spec.build ?? {};
    const dockerfile = typeof build.dockerfile === 'string' ? posixJoin(build.context ?? '.', build.dockerfile) : undefined;
    const buildKeys = ['services', service, 'build'];
    if ((changed([...buildKeys, 'context']) || changed([...buildKeys, 'dockerfile'])) && (build.context !== facts.context || dockerfile !== facts.dockerfile)) {
      problems.push({
        option: at(buildKeys),
        value: { context: build.context ?? null, dockerfile: build.dockerfile ?? null },
        expected: `must build ${facts.dockerfileLabel} from its context "${facts.context}", which its .dockerignore and COPY checks are about; ` +
          `leave the build to ${facts.dockerOption} (its dockerfile and context options move it).`,
      });
    }
    if (changed([...buildKeys, 'target']) && build.target !== undefined && !facts.stages.includes(build.target)) {
      problems.push({
        option: at([...buildKeys, 'target']),
        value: build.target,
        expected: `names no stage of ${facts.dockerfileLabel} (stages: ${facts.stages.map((s) => `"${s}"`).join(', ') || 'none'}); ` +
          `name one of them, or point ${facts.dockerOption}.runtimeStage at the stage to run, which moves compose.yaml, CI and docker:build with it.`,
      });
    }
  }
  const app = rendered.services?.[facts.app];
  if (app) {
    const env = app.environment ?? {};
    const listens = env.PORT !== undefined ? String(env.PORT) : String(facts.port);
    const containerPorts = (Array.isArray(app.ports) ? app.ports : []).map(containerPort).filter((p: string | undefined) => p !== undefined);
    const portsKeys = ['services', facts.app, 'ports'];
    const portKeys = ['services', facts.app, 'environment', 'PORT'];
    if ((changed(portsKeys) || changed(portKeys)) && containerPorts.some((p: string) => p !== listens)) {
      problems.push({
        // Name what the override changed: the ports, else the PORT the app is given.
        option: at(changed(portsKeys) ? portsKeys : portKeys),
        value: { PORT: env.PORT ?? null, ports: app.ports },
        expected: `the app listens on ${listens} in its container (the CMD of ${facts.dockerfileLabel} reads $PORT, else ${facts.port}), but compose publishes container port ${containerPorts.join(', ')}; ` +
          'keep PORT and the ports\' container side equal, or change the port option, which moves every file with it.',
      });
    }
    for (const name of [facts.pooledUrlEnv, facts.directUrlEnv]) {
      if (name !== undefined && env[name] === undefined && changed(['services', facts.app, 'environment', name])) {
        problems.push({
          option: at(['services', facts.app, 'environment']),
          value: Object.keys(env),
          expected: `must set ${name}: the app's database module (db.py) reads it (${facts.databaseOption}); give it a value in the override, or rename the variable with the option, which moves every file with it.`,
        });
      }
    }
  }
  const migrate = facts.migrate ? rendered.services?.[facts.migrate] : undefined;
  if (migrate && facts.directUrlEnv !== undefined && migrate.environment?.[facts.directUrlEnv] === undefined &&
    changed(['services', facts.migrate!, 'environment', facts.directUrlEnv])) {
    problems.push({
      option: at(['services', facts.migrate!, 'environment']),
      value: Object.keys(migrate.environment ?? {}),
      expected: `must set ${facts.directUrlEnv}: the migrations (migrations/env.py) connect over it (${facts.databaseOption}); give it a value in the override, or rename the variable with the option.`,
    });
  }
  return problems;
}

/** The container side of one `ports` entry (`127.0.0.1:8001:8000` -> `8000`). */
function containerPort(entry: unknown): string | undefined {
  if (entry !== null && typeof entry === 'object') {
    const target = (entry as { target?: unknown }).target;
    return target === undefined ? undefined : String(target);
  }
  return String(entry).replace(/\/(tcp|udp)$/, '').split(':').pop();
}

function posixJoin(a: string, b: string): string {
  return path.posix.normalize(path.posix.join(a, b));
}

