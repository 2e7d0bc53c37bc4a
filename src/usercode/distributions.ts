import { normalizeName, parseRequirement } from '../python/pep508';

/**
 * What the library knows of a distribution: the top-level modules it installs, what it requires, and
 * what each of its extras adds (names PEP 503-normalized). Taken from the packages' metadata
 * (`Requires-Dist`) as published on PyPI; only the libraries a generated service uses, and the
 * distributions whose import name differs from their own.
 */
interface KnownDistribution {
  readonly imports: readonly string[];
  readonly requires?: readonly string[];
  readonly extras?: Readonly<Record<string, readonly string[]>>;
}

const KNOWN: Readonly<Record<string, KnownDistribution>> = {
  'fastapi': {
    imports: ['fastapi'],
    requires: ['starlette', 'pydantic', 'typing-extensions'],
    extras: { standard: ['fastapi-cli', 'httpx', 'jinja2', 'python-multipart', 'email-validator', 'uvicorn'] },
  },
  'fastapi-cli': { imports: ['fastapi_cli'] },
  'starlette': { imports: ['starlette'], requires: ['anyio', 'typing-extensions'] },
  'pydantic': { imports: ['pydantic'], requires: ['pydantic-core', 'annotated-types', 'typing-extensions'] },
  'pydantic-core': { imports: ['pydantic_core'] },
  'pydantic-settings': { imports: ['pydantic_settings'], requires: ['pydantic', 'python-dotenv'] },
  'annotated-types': { imports: ['annotated_types'] },
  'sqlmodel': { imports: ['sqlmodel'], requires: ['sqlalchemy', 'pydantic'] },
  'sqlalchemy': { imports: ['sqlalchemy'], requires: ['typing-extensions'], extras: { asyncio: ['greenlet'] } },
  'greenlet': { imports: ['greenlet'] },
  'asyncpg': { imports: ['asyncpg'] },
  'psycopg': {
    imports: ['psycopg'],
    requires: ['typing-extensions'],
    extras: { binary: ['psycopg-binary'], c: ['psycopg-c'], pool: ['psycopg-pool'] },
  },
  'psycopg-binary': { imports: ['psycopg_binary'] },
  'psycopg-c': { imports: ['psycopg_c'] },
  'psycopg-pool': { imports: ['psycopg_pool'] },
  'psycopg2': { imports: ['psycopg2'] },
  'psycopg2-binary': { imports: ['psycopg2'] },
  'alembic': { imports: ['alembic'], requires: ['sqlalchemy', 'mako', 'typing-extensions'] },
  'mako': { imports: ['mako'], requires: ['markupsafe'] },
  'markupsafe': { imports: ['markupsafe'] },
  'jinja2': { imports: ['jinja2'], requires: ['markupsafe'] },
  'uvicorn': {
    imports: ['uvicorn'],
    requires: ['click', 'h11'],
    extras: { standard: ['httptools', 'python-dotenv', 'pyyaml', 'uvloop', 'watchfiles', 'websockets'] },
  },
  'httpx': { imports: ['httpx'], requires: ['anyio', 'certifi', 'httpcore', 'idna'] },
  'httpcore': { imports: ['httpcore'], requires: ['certifi', 'h11'] },
  'anyio': { imports: ['anyio'], requires: ['idna', 'sniffio'] },
  'python-multipart': { imports: ['python_multipart', 'multipart'] },
  'email-validator': { imports: ['email_validator'], requires: ['dnspython', 'idna'] },
  'dnspython': { imports: ['dns'] },
  'python-dotenv': { imports: ['dotenv'] },
  'pyyaml': { imports: ['yaml'] },
  'typing-extensions': { imports: ['typing_extensions'] },
  'pytest': { imports: ['pytest', '_pytest'], requires: ['iniconfig', 'packaging', 'pluggy'] },
  'pytest-asyncio': { imports: ['pytest_asyncio'], requires: ['pytest'] },
  // Distributions commonly imported under another name.
  'pillow': { imports: ['PIL'] },
  'beautifulsoup4': { imports: ['bs4'] },
  'python-dateutil': { imports: ['dateutil'] },
  'pyjwt': { imports: ['jwt'] },
  'scikit-learn': { imports: ['sklearn'] },
  'opencv-python': { imports: ['cv2'] },
  'attrs': { imports: ['attr', 'attrs'] },
};

/** The distribution that installs a top-level module, by the library's knowledge or by its own name. */
export function distributionOf(topModule: string): string {
  for (const [dist, known] of Object.entries(KNOWN)) {
    if (known.imports.includes(topModule)) return dist;
  }
  return normalizeName(topModule);
}

/** The top-level modules a distribution installs (its own name, `-` as `_`, when not known). */
export function modulesOf(distribution: string): string[] {
  const known = KNOWN[normalizeName(distribution)];
  return known ? [...known.imports] : [normalizeName(distribution).replace(/-/g, '_')];
}

/**
 * Every distribution a list of PEP 508 requirements installs as far as the library knows: the ones
 * named, with what they and their extras require, transitively.
 */
export function installedDistributions(requirements: readonly string[]): Set<string> {
  const out = new Set<string>();
  const visit = (name: string, extras: readonly string[]): void => {
    const known = KNOWN[name];
    const fresh = !out.has(name);
    out.add(name);
    const next = [
      ...(fresh ? known?.requires ?? [] : []),
      ...extras.flatMap((e) => known?.extras?.[e] ?? []),
    ];
    for (const dep of next) visit(dep, []);
  };
  for (const text of requirements) {
    const r = parseRequirement(text);
    if (r) visit(r.name, r.extras.map(normalizeName));
  }
  return out;
}
