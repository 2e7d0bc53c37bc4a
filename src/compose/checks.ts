import { OptionProblem } from '../core/problems';

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
      const fromModel = JSON.stringify(model.services?.[service]?.ports?.[i]) === JSON.stringify(entry);
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
