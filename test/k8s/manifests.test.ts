import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-34';
import { DockerfileParser } from 'dockerfile-ast';
import { parseAllDocuments } from 'yaml';
import { kubernetesSchemaFindings } from './validators';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { findSecret } from '../../src/core/secrets';
import { DockerInstruction } from '../../src/docker';
import { flagValue, shellWordValue, uvicornArgs } from '../../src/docker/command';

import { isImmutableTag } from '../../src/k8s/manifest-files';
import { migrationJobName } from '../../src/k8s/resolve';
import { problemLinesOf } from '../support/errors';
import { listFiles, synthService, Synthesized, tempDir } from '../support/synth';
import { validateTree } from '../support/validate-tree';

jest.setTimeout(120_000);

type Obj = Record<string, any>;

const PUBLISHED = { ciOptions: { imageName: 'acme/orders-api' } };
const SERVICE = 'deploy/k8s/service.yaml';
const JOB = 'deploy/k8s/migrate-job.yaml';

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function synth(options: Partial<UvPythonServiceOptions>, configure?: (p: UvPythonService) => void, dir?: string): Synthesized {
  const s = synthService(options, configure, dir);
  if (!made.includes(s.dir)) made.push(s.dir);
  return s;
}

function docs(s: Synthesized, file: string): Obj[] {
  return parseAllDocuments(s.read(file)).map((d) => d.toJS());
}

function byKind(s: Synthesized, kind: string): Obj[] {
  return s.files.filter((f) => f.startsWith('deploy/k8s/')).flatMap((f) => docs(s, f)).filter((o) => o.kind === kind);
}

/** Every container of every pod template in the manifests, with its pod. */
function containers(s: Synthesized): Array<{ owner: string; pod: Obj; c: Obj }> {
  return [...byKind(s, 'Deployment'), ...byKind(s, 'Job')].flatMap((o) =>
    o.spec.template.spec.containers.map((c: Obj) => ({ owner: `${o.kind}/${o.metadata.name}`, pod: o.spec.template.spec, c })));
}

/** Facts read back from the other generated files (not from the model): what the manifests must agree with. */
function factsFromFiles(s: Synthesized) {
  const df = DockerfileParser.parse(s.read('Dockerfile'));
  const froms = df.getFROMs();
  const runtime = froms[froms.length - 1];
  const inRuntime = df.getInstructions().filter((i) => i.getRange().start.line > runtime.getRange().start.line);
  const last = (kw: string) => inRuntime.filter((i) => i.getKeyword() === kw).pop();
  const [uid, gid] = last('USER')!.getArgumentsContent()!.split(':').map(Number);
  // JSON.parse: dockerfile-ast's getJSONValue() drops the spaces inside a string (the sh -c script).
  const cmd: string[] = JSON.parse(last('CMD')!.getArgumentsContent()!);
  const port = Number(last('EXPOSE')!.getArgumentsContent());
  // A literal port, or the preset's `'http://127.0.0.1:' + os.environ.get('PORT', '<port>') + '<path>'`.
  const probe = /http:\/\/127\.0\.0\.1:(?:(\d+)|' \+ os\.environ\.get\('PORT', '(\d+)'\) \+ ')(\/[^']*)/.exec(last('HEALTHCHECK')?.getArgumentsContent() ?? '');
  const healthUrl = probe && [probe[0], probe[1] ?? probe[2], probe[3]];
  const tasks = JSON.parse(s.read('.projen/tasks.json')).tasks;
  // db:migrate runs its command through the `run` task (uv run, .env loaded when it exists).
  const migrate = tasks['db:migrate']?.steps[0].args.join(' ');
  const envNames = s.files.includes('.env.example')
    ? s.read('.env.example').split('\n').filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l)).map((l) => l.split('=')[0])
    : [];
  const workflow = s.files.includes('.github/workflows/ci.yml') ? s.read('.github/workflows/ci.yml') : '';
  const published = /images: (\S+)/.exec(workflow)?.[1];
  return { uid, gid, cmd, port, healthPath: healthUrl?.[2], healthPort: Number(healthUrl?.[1]), migrate, envNames, published };
}

describe.each<[string, Partial<UvPythonServiceOptions>]>([
  ['default options', { kubernetes: true, ...PUBLISHED }],
  ['every option changed', {
    kubernetes: true,
    port: 9001,
    healthPath: '/livez',
    readyPath: '/readyz',
    dockerOptions: { uid: 20001, gid: 20002, imageName: 'orders', gracePeriodSeconds: 50 },
    databaseOptions: { pooledUrlEnv: 'APP_DB_POOLED', directUrlEnv: 'APP_DB_DIRECT' },
    ciOptions: { imageRegistry: 'registry.example.com:5000', imageName: 'team/orders', registryPasswordSecret: 'REGISTRY_PASSWORD' },
    kubernetesOptions: {
      name: 'orders',
      namespace: 'shop',
      imageTag: 'v1.4.2',
      replicas: 3,
      workers: 2,
      resources: { cpuRequestMillicores: 500, cpuLimitMillicores: 2000, memoryRequestMebibytes: 300, memoryLimitMebibytes: 600 },
      autoscaling: { enabled: false },
      pooledUrlSecret: 'orders-pooled',
      directUrlSecret: 'orders-direct',
      ingressHost: 'orders.example.com',
      ingressClassName: 'nginx',
      servicePort: 8080,
    },
  }],
  ['autoscaling bounds, no database', {
    kubernetes: true,
    database: false,
    ...PUBLISHED,
    kubernetesOptions: { autoscaling: { minReplicas: 3, maxReplicas: 30, cpuUtilization: 55 }, imageTag: 'sha-0123abc' },
  }],
  ['no CI: the image docker:build tags', { kubernetes: true, ci: false }],
])('Kubernetes manifests (%s)', (_label, options) => {
  const s = synth(options);
  const f = factsFromFiles(s);
  const k8s = s.project.kubernetes!;
  const manifests = s.files.filter((x) => x.startsWith('deploy/k8s/'));

  test('every manifest passes the Kubernetes 1.34 schemas with 0 findings, and the whole tree its validators', async () => {
    expect(manifests.length).toBeGreaterThan(0);
    const findings = await kubernetesSchemaFindings(manifests.map((m) => path.join(s.dir, m)));
    expect(Object.keys(findings).sort()).toEqual(manifests.map((m) => path.join(s.dir, m)).sort());
    expect(Object.values(findings).flat()).toEqual([]);
    expect(await validateTree(s.dir, s.files)).toEqual([]);
  });

  test('are managed: the projen marker, read-only', () => {
    for (const m of manifests) {
      expect(s.read(m).split('\n')[0]).toMatch(/^# ~~ Generated by projen/);
      // No write bit for anyone.
      expect((fs.statSync(path.join(s.dir, m)).mode % 0o1000).toString(8).padStart(3, '0')).toMatch(/^[0145]{3}$/);
    }
    expect(manifests).toEqual(options.database === false ? [SERVICE] : [JOB, SERVICE]);
  });

  test('the image is the one CI publishes (or docker:build tags), with the tag', () => {
    const repo = f.published ?? s.project._resolved.docker!.imageName;
    for (const { c } of containers(s)) expect(c.image).toBe(`${repo}:${k8s._resolved.imageTag}`);
  });

  test('the containers run as the Dockerfile\'s USER, read-only, unprivileged, with an emptyDir at /tmp', () => {
    expect(containers(s).length).toBe(options.database === false ? 1 : 2);
    for (const { pod, c } of containers(s)) {
      const sc = c.securityContext;
      expect([sc.runAsUser, sc.runAsGroup, sc.runAsNonRoot]).toEqual([f.uid, f.gid, true]);
      expect([pod.securityContext.runAsUser, pod.securityContext.runAsGroup]).toEqual([f.uid, f.gid]);
      expect([sc.readOnlyRootFilesystem, sc.allowPrivilegeEscalation, sc.capabilities.drop, sc.seccompProfile.type])
        .toEqual([true, false, ['ALL'], 'RuntimeDefault']);
      const tmp = c.volumeMounts.find((m: Obj) => m.mountPath === '/tmp');
      expect(pod.volumes.find((v: Obj) => v.name === tmp.name).emptyDir).toBeDefined();
      expect(pod.automountServiceAccountToken).toBe(false);
    }
  });

  test('port and health path are the image\'s: container port, every probe, the Service\'s target; readiness on readyPath', () => {
    expect(f.healthPort).toBe(f.port);
    const [dep] = byKind(s, 'Deployment');
    const c = dep.spec.template.spec.containers[0];
    expect(c.ports.map((p: Obj) => p.containerPort)).toEqual([f.port]);
    for (const probe of ['startupProbe', 'livenessProbe']) {
      expect([c[probe].httpGet.path, c[probe].httpGet.port]).toEqual([f.healthPath, f.port]);
    }
    expect([c.readinessProbe.httpGet.path, c.readinessProbe.httpGet.port]).toEqual([options.readyPath ?? '/ready', f.port]);
    // The sample app serves the path the probe reads.
    expect(s.read('app/main.py')).toContain(`.get("${options.readyPath ?? '/ready'}"`);
    const [svc] = byKind(s, 'Service');
    expect(svc.spec.ports.map((p: Obj) => p.targetPort)).toEqual([f.port]);
    expect(Object.entries(svc.spec.selector).every(([k, v]) => dep.spec.template.metadata.labels[k] === v)).toBe(true);
    const pdb = byKind(s, 'PodDisruptionBudget')[0];
    expect(pdb.spec.selector.matchLabels).toEqual(dep.spec.selector.matchLabels);
  });

  test('the database URLs come from Secrets by reference, under the variables the app and Alembic read', () => {
    const [dep] = byKind(s, 'Deployment');
    const env: Obj[] = dep.spec.template.spec.containers[0].env;
    for (const { c } of containers(s)) for (const e of c.env ?? []) expect(f.envNames.includes(e.name) ? e.value : undefined).toBeUndefined();
    if (options.database === false) {
      expect(env.map((e) => e.name).sort()).toEqual(['WEB_CONCURRENCY']);
      return;
    }
    const [pooled, direct] = f.envNames;
    expect(env.find((e) => e.name === pooled)?.valueFrom.secretKeyRef).toEqual({ name: k8s._resolved.pooledUrlSecret, key: pooled });
    expect(env.find((e) => e.name === direct)).toBeUndefined();
    const [job] = byKind(s, 'Job');
    const jc = job.spec.template.spec.containers[0];
    expect(jc.env).toEqual([{ name: direct, valueFrom: { secretKeyRef: { name: k8s._resolved.directUrlSecret, key: direct } } }]);
    // The Job runs what `npx projen db:migrate` runs, from the image's WORKDIR (where alembic.ini is).
    expect(jc.command.join(' ')).toBe(f.migrate);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.metadata.name).toBe(migrationJobName(k8s._resolved.name, k8s._resolved.imageTag));
    // The README names the same Secrets and the same Job.
    const readme = s.read('README.md');
    expect(readme).toContain(`job/${job.metadata.name}`);
    for (const name of new Set([k8s._resolved.pooledUrlSecret, k8s._resolved.directUrlSecret])) expect(readme).toContain(`create secret generic ${name}`);
  });

  test('workers via WEB_CONCURRENCY (not overridden by the CMD), a grace period beyond uvicorn\'s shutdown timeout', () => {
    const [dep] = byKind(s, 'Deployment');
    const pod = dep.spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.filter((e: Obj) => e.value !== undefined).map((e: Obj) => [e.name, e.value]));
    expect(env.WEB_CONCURRENCY).toBe(String(k8s._resolved.workers));
    // The CMD's worker count, if it passes one, is WEB_CONCURRENCY's (the preset's sh -c form).
    const workers = flagValue(uvicornArgs(f.cmd)!, '--workers');
    if (workers !== undefined) expect(shellWordValue(workers).variable).toBe('WEB_CONCURRENCY');
    const sleep = pod.containers[0].lifecycle.preStop.sleep.seconds;
    // The pod's grace period is the image's, and uvicorn (the CMD's --timeout-graceful-shutdown) stops within it after the preStop pause.
    expect(pod.terminationGracePeriodSeconds).toBe(s.project._resolved.docker!.gracePeriodSeconds);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(sleep + Number(flagValue(uvicornArgs(f.cmd)!, '--timeout-graceful-shutdown')));
  });

  test('scaling: an autoscaler owning replicas, or a fixed count; an Ingress only with a host', () => {
    const [dep] = byKind(s, 'Deployment');
    const hpa = byKind(s, 'HorizontalPodAutoscaler');
    const r = k8s._resolved;
    if (r.autoscaling) {
      expect(dep.spec.replicas).toBeUndefined();
      expect(hpa).toHaveLength(1);
      expect(hpa[0].apiVersion).toBe('autoscaling/v2');
      expect(hpa[0].spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.metadata.name });
      expect([hpa[0].spec.minReplicas, hpa[0].spec.maxReplicas, hpa[0].spec.metrics[0].resource.target.averageUtilization])
        .toEqual([r.minReplicas, r.maxReplicas, r.cpuUtilization]);
    } else {
      expect(hpa).toEqual([]);
      expect(dep.spec.replicas).toBe(r.replicas);
    }
    const ingress = byKind(s, 'Ingress');
    expect(ingress.length).toBe(r.ingressHost ? 1 : 0);
    if (r.ingressHost) {
      expect(ingress[0].spec.ingressClassName).toBe(r.ingressClassName);
      expect(ingress[0].spec.rules[0].http.paths[0].backend.service).toEqual({ name: byKind(s, 'Service')[0].metadata.name, port: { number: r.servicePort } });
    }
    const all = manifests.flatMap((m) => docs(s, m));
    for (const o of all) expect(o.metadata.namespace).toBe(r.namespace);
  });

  test('no credential anywhere in the manifests', () => {
    for (const m of manifests) expect(findSecret(s.read(m))).toBeUndefined();
    expect(byKind(s, 'Secret')).toEqual([]);
  });
});

describe('a change in .projenrc.ts reaches every manifest', () => {
  const dir = tempDir('uvsvc-k8s-edit-');
  made.push(dir);
  const before = synth({ kubernetes: true, ...PUBLISHED }, undefined, dir);
  const old = factsFromFiles(before);
  const oldText = before.files.filter((m) => m.startsWith('deploy/k8s/')).map((m) => before.read(m)).join('\n');
  const after = synth({
    kubernetes: true,
    ...PUBLISHED,
    port: 9100,
    healthPath: '/livez',
    readyPath: '/readyz',
    dockerOptions: { uid: 12345, gid: 23456 },
    databaseOptions: { pooledUrlEnv: 'ORDERS_POOL_URL', directUrlEnv: 'ORDERS_DIRECT_URL' },
  }, undefined, dir);
  const now = factsFromFiles(after);
  const texts = after.files.filter((m) => m.startsWith('deploy/k8s/')).map((m) => after.read(m));

  test('the other files changed too (the facts are read back from them)', () => {
    expect([now.port, now.healthPath, now.uid, now.gid, now.envNames]).toEqual([9100, '/livez', 12345, 23456, ['ORDERS_POOL_URL', 'ORDERS_DIRECT_URL']]);
    expect([old.port, old.uid]).not.toEqual([now.port, now.uid]);
  });

  test('no old value is left in any manifest, and the new ones are where the old ones were', () => {
    const count = (text: string, needle: RegExp) => (text.match(needle) ?? []).length;
    const joined = texts.join('\n');
    for (const [was, is] of [
      [new RegExp(`\\b${old.port}\\b`, 'g'), new RegExp(`\\b${now.port}\\b`, 'g')],
      [new RegExp(`path: ${old.healthPath}$`, 'gm'), new RegExp(`path: ${now.healthPath}$`, 'gm')],
      // The default uid and gid are equal; the new ones differ.
      [new RegExp(`\\b(${old.uid}|${old.gid})\\b`, 'g'), new RegExp(`\\b(${now.uid}|${now.gid})\\b`, 'g')],
      [new RegExp(`\\b${old.envNames[0]}\\b`, 'g'), new RegExp(`\\b${now.envNames[0]}\\b`, 'g')],
      [new RegExp(`\\b${old.envNames[1]}\\b`, 'g'), new RegExp(`\\b${now.envNames[1]}\\b`, 'g')],
    ] as Array<[RegExp, RegExp]>) {
      expect(count(oldText, was)).toBeGreaterThan(0);
      expect(count(joined, was)).toBe(0);
      expect(count(joined, is)).toBe(count(oldText, was));
    }
  });
});

describe('the image is read from its owner at synth', () => {
  test('project.docker.imageName set in .projenrc.ts (kubernetes on, no CI) reaches both manifests and the README', () => {
    const s = synth({ kubernetes: true, ci: false }, (p) => { p.docker!.imageName = 'acme/renamed'; });
    expect(containers(s).map((x) => `${x.owner} ${x.c.image}`)).toEqual([
      'Deployment/orders-api acme/renamed:latest',
      'Job/orders-api-migrate-latest acme/renamed:latest',
    ]);
    expect(JSON.parse(s.read('.projen/tasks.json')).tasks['docker:build'].steps[0].exec).toContain('--tag acme/renamed:latest');
    expect(s.read('README.md')).not.toContain('orders-api:latest');
  });
});

describe('turning kubernetes off', () => {
  test('removes only the manifests; every other file is byte-identical', () => {
    const dir = tempDir('uvsvc-k8s-off-');
    made.push(dir);
    const hash = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex');
    const off = synth({ ...PUBLISHED }, undefined, dir);
    const baseline = Object.fromEntries(off.files.map((f) => [f, hash(f)]));
    fs.writeFileSync(path.join(dir, 'README.md'), '# mine\n');
    baseline['README.md'] = hash('README.md');
    const on = synth({ kubernetes: true, ...PUBLISHED }, undefined, dir);
    expect(on.files.filter((f) => !off.files.includes(f))).toEqual([JOB, SERVICE]);
    synth({ ...PUBLISHED }, undefined, dir);
    const files = listFiles(dir);
    expect(files).toEqual(Object.keys(baseline).sort());
    expect(Object.fromEntries(files.map((f) => [f, hash(f)]))).toEqual(baseline);
  });
});

describe('escape hatches', () => {
  test('an edit that keeps the facts reaches the file', async () => {
    const s = synth({ kubernetes: true, ...PUBLISHED }, (p) => {
      p.kubernetes!.deployment.podMetadata.addAnnotation('prometheus.io/scrape', 'true');
      ApiObject.of(p.kubernetes!.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'web'));
    });
    const [dep] = byKind(s, 'Deployment');
    expect(dep.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    expect(dep.spec.template.spec.priorityClassName).toBe('web');
    expect(Object.values(await kubernetesSchemaFindings([path.join(s.dir, SERVICE)])).flat()).toEqual([]);
  });

  const deployment = (p: UvPythonService) => ApiObject.of(p.kubernetes!.deployment);
  const job = (p: UvPythonService) => ApiObject.of(p.kubernetes!.migrationJob!);
  const c0 = '/spec/template/spec/containers/0';
  // cdk8s-plus renders port fields through IntOrString: a patch gives one (a bare number renders as nothing).
  const port = (n: number) => kplus.k8s.IntOrString.fromNumber(n);
  const cases: Array<[string, (p: UvPythonService) => void, RegExp]> = [
    ['a probe on another port', (p) => deployment(p).addJsonPatch(JsonPatch.replace(`${c0}/readinessProbe/httpGet/port`, port(8080))),
      /^deploy\/k8s\/service\.yaml Deployment\/orders-api containers\[app\]\.readinessProbe\.httpGet\.port: got 8080; must be 8000: the port the image listens on/],
    ['a probe on another path', (p) => deployment(p).addJsonPatch(JsonPatch.replace(`${c0}/livenessProbe/httpGet/path`, '/')),
      /containers\[app\]\.livenessProbe\.httpGet\.path: got "\/"; must be \/health: the app's health route \(healthPath in \.projenrc\.ts\)/],
    ['the readiness probe on another path', (p) => deployment(p).addJsonPatch(JsonPatch.replace(`${c0}/readinessProbe/httpGet/path`, '/')),
      /containers\[app\]\.readinessProbe\.httpGet\.path: got "\/"; must be \/ready: the app's readiness route \(readyPath in \.projenrc\.ts\), or \/health to leave the database out of it/],
    ['another container port', (p) => deployment(p).addJsonPatch(JsonPatch.replace(`${c0}/ports/0/containerPort`, 80)),
      /containers\[app\]\.ports: got \[80\]; must include containerPort 8000/],
    ['another uid', (p) => deployment(p).addJsonPatch(JsonPatch.replace(`${c0}/securityContext/runAsUser`, 0)),
      /containers\[app\]\.securityContext\.runAsUser: got 0; must be 10001: the uid of the Dockerfile's USER \(10001:10001; dockerOptions\.uid\)/],
    ['a writable root filesystem', (p) => deployment(p).addJsonPatch(JsonPatch.replace(`${c0}/securityContext/readOnlyRootFilesystem`, false)),
      /securityContext\.readOnlyRootFilesystem: got false; must be true/],
    ['capabilities kept', (p) => deployment(p).addJsonPatch(JsonPatch.remove(`${c0}/securityContext/capabilities`)),
      /securityContext\.capabilities: got null; must drop ALL and add none/],
    ['no emptyDir at /tmp', (p) => deployment(p).addJsonPatch(JsonPatch.remove(`${c0}/volumeMounts`)),
      /containers\[app\]\.volumeMounts\[\/tmp\]: got null; must mount a writable emptyDir at \/tmp/],
    ['the pooled URL as a literal value', (p) => deployment(p).addJsonPatch(JsonPatch.replace(`${c0}/env/1`, { name: 'DATABASE_URL', value: 'postgresql://app:hunter2@db.example.com/app' })),
      /looks like a URL with a password: a secret never goes into a manifest/],
    ['the pooled URL from another Secret', (p) => deployment(p).addJsonPatch(JsonPatch.replace(`${c0}/env/1/valueFrom/secretKeyRef/name`, 'other')),
      /containers\[app\]\.env\[DATABASE_URL\]: got \{"secretKeyRef":\{"key":"DATABASE_URL","name":"other"\}\}; must come from the Secret "orders-api-database", key "DATABASE_URL"/],
    ['another image', (p) => deployment(p).addJsonPatch(JsonPatch.replace(`${c0}/image`, 'nginx:latest')),
      /containers\[app\]\.image: got "nginx:latest"; must be ghcr\.io\/acme\/orders-api:latest/],
    ['another worker count', (p) => deployment(p).addJsonPatch(JsonPatch.replace(`${c0}/env/0/value`, '4')),
      /env\[WEB_CONCURRENCY\]: got "4"; must be "1"/],
    ['a grace period shorter than uvicorn\'s shutdown', (p) => deployment(p).addJsonPatch(JsonPatch.replace('/spec/template/spec/terminationGracePeriodSeconds', 10)),
      /terminationGracePeriodSeconds: got 10; must be at least the preStop pause/],
    ['another migration command', (p) => job(p).addJsonPatch(JsonPatch.replace(`${c0}/command`, ['alembic', 'upgrade', 'head'])),
      /^deploy\/k8s\/migrate-job\.yaml Job\/orders-api-migrate-latest containers\[migrate\]\.command: got \["alembic","upgrade","head"\]; must be \["alembic","-c","alembic\.ini","upgrade","head"\]/],
    ['the direct URL under another variable', (p) => job(p).addJsonPatch(JsonPatch.replace(`${c0}/env/0/name`, 'DB')),
      /containers\[migrate\]\.env\[DATABASE_URL_UNPOOLED\]: got null; must come from the Secret/],
    ['a Service on another port', (p) => ApiObject.of(p.kubernetes!.service).addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', port(9999))),
      /Service\/orders-api spec\.ports: got \[9999\]; must target port 8000/],
    ['a Secret object', (p) => { new ApiObject(p.kubernetes!.serviceChart, 'leak', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }); },
      /Secret\/x: got "Secret"; the manifests never hold a Secret/],
    // Edits on the Dockerfile reach the check too: it reads the runtime stage at synth.
    ['the Dockerfile\'s USER changed', (p) => {
      const runtime = p.docker!.stage('runtime');
      const i = runtime.instructions.findIndex((x) => x.kind === 'USER');
      runtime.replaceInstruction(i, DockerInstruction.user('10002', '10001'));
    }, /containers\[app\]\.securityContext\.runAsUser: got 10001; must be 10002: the uid of the Dockerfile's USER \(10002:10001/],
    ['the Dockerfile\'s CMD passing --workers', (p) => {
      const runtime = p.docker!.stage('runtime');
      const i = runtime.instructions.findIndex((x) => x.kind === 'CMD');
      runtime.replaceInstruction(i, DockerInstruction.cmd(['uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8000', '--workers', '4']));
    }, /^Dockerfile stage "runtime" CMD: got \[.*\]; passes --workers, so uvicorn ignores WEB_CONCURRENCY/],
    ['the Dockerfile\'s shell-form CMD passing a fixed --workers', (p) => {
      const runtime = p.docker!.stage('runtime');
      const i = runtime.instructions.findIndex((x) => x.kind === 'CMD');
      runtime.replaceInstruction(i, DockerInstruction.cmd(['sh', '-c', 'exec uvicorn app.main:app --host 0.0.0.0 --port "${PORT:-8000}" --workers 4']));
    }, /^Dockerfile stage "runtime" CMD: got \[.*\]; passes --workers, so uvicorn ignores WEB_CONCURRENCY/],
    ['the Dockerfile\'s shell-form CMD on another default port', (p) => {
      const runtime = p.docker!.stage('runtime');
      const i = runtime.instructions.findIndex((x) => x.kind === 'CMD');
      runtime.replaceInstruction(i, DockerInstruction.cmd(['sh', '-c', 'exec uvicorn app.main:app --host 0.0.0.0 --port "${PORT:-9000}"']));
    }, /^project\.docker stage "runtime" CMD --port: got "\$\{PORT:-9000\}"; the service listens on port 8000/],
    ['the Dockerfile\'s USER by name', (p) => {
      const runtime = p.docker!.stage('runtime');
      const i = runtime.instructions.findIndex((x) => x.kind === 'USER');
      runtime.replaceInstruction(i, DockerInstruction.user('app'));
    }, /^Dockerfile stage "runtime" USER: got "app"; the manifests run the image as its numeric uid:gid/],
    ['the Dockerfile\'s CMD on 127.0.0.1', (p) => {
      const runtime = p.docker!.stage('runtime');
      const i = runtime.instructions.findIndex((x) => x.kind === 'CMD');
      runtime.replaceInstruction(i, DockerInstruction.cmd(['uvicorn', 'app.main:app', '--host', '127.0.0.1', '--port', '8000']));
    }, /^Dockerfile stage "runtime" CMD --host: got "127\.0\.0\.1"; the kubelet probes the pod's IP/],
  ];

  test('the readiness probe moved to the health path (a Neon compute left free to suspend) is accepted', () => {
    const dir = tempDir('uvsvc-k8s-hatch-');
    made.push(dir);
    const s = synth({ kubernetes: true, ...PUBLISHED }, (p) => deployment(p).addJsonPatch(JsonPatch.replace(`${c0}/readinessProbe/httpGet/path`, '/health')), dir);
    expect(byKind(s, 'Deployment')[0].spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/health');
  });

  test.each(cases)('%s is refused, naming the field and the fix, and nothing is written', (_label, edit, message) => {
    const dir = tempDir('uvsvc-k8s-hatch-');
    made.push(dir);
    const lines = problemLinesOf(() => synth({ kubernetes: true, ...PUBLISHED }, edit, dir));
    expect(lines.some((l) => message.test(l))).toBe(true);
    expect(listFiles(dir)).toEqual([]);
    // A credential never reaches the message either.
    expect(lines.join('\n')).not.toContain('hunter2');
  });
});

describe('options', () => {
  const make = (options: Partial<UvPythonServiceOptions>) => () => new UvPythonService({ name: 'orders-api', outdir: tempDir('uvsvc-k8s-opt-'), ...options });
  afterEach(() => undefined);

  test('CI publishing under ${{ github.repository }}: the manifests cannot name the image', () => {
    expect(problemLinesOf(make({ kubernetes: true }))).toEqual([
      'ciOptions.imageName: got "${{ github.repository }}"; is known only inside GitHub Actions, and kubernetes: true names the image CI publishes in deploy/k8s/: set the repository, e.g. "acme/orders-api".',
    ]);
  });

  test('without docker', () => {
    expect(problemLinesOf(make({ kubernetes: true, docker: false, ci: false }))).toEqual([
      'kubernetes: got true; the manifests run the image the Dockerfile builds: set docker: true (the default), or kubernetes: false.',
    ]);
  });

  test('every bad option is named in one error', () => {
    const lines = problemLinesOf(make({
      kubernetes: true,
      ...PUBLISHED,
      kubernetesOptions: {
        name: 'Orders_API',
        namespace: '-shop',
        imageTag: ':latest',
        replicas: 0,
        workers: 1.5,
        resources: { cpuRequestMillicores: 500, cpuLimitMillicores: 100, memoryRequestMebibytes: 1024, memoryLimitMebibytes: 512 },
        autoscaling: { minReplicas: 5, maxReplicas: 2, cpuUtilization: 150 },
        pooledUrlSecret: 'Bad_Secret',
        ingressHost: 'https://orders.example.com',
        ingressClassName: 'nginx',
        servicePort: 0,
      },
    }));
    expect(lines.map((l) => l.split(':')[0])).toEqual([
      'kubernetesOptions.name',
      'kubernetesOptions.namespace',
      'kubernetesOptions.imageTag',
      'kubernetesOptions.replicas',
      'kubernetesOptions.workers',
      'kubernetesOptions.servicePort',
      'kubernetesOptions.resources.cpuLimitMillicores',
      'kubernetesOptions.resources.memoryLimitMebibytes',
      'kubernetesOptions.autoscaling.maxReplicas',
      'kubernetesOptions.autoscaling.cpuUtilization',
      'kubernetesOptions.pooledUrlSecret',
      'kubernetesOptions.ingressHost',
    ]);
    expect(lines).toContain('kubernetesOptions.resources.cpuLimitMillicores: got 100; must be 0 (no limit) or at least cpuRequestMillicores (500).');
    expect(lines).toContain('kubernetesOptions.autoscaling.maxReplicas: got 2; must be at least minReplicas (5).');
  });

  test('a service name that is no DNS label needs kubernetesOptions.name', () => {
    expect(problemLinesOf(make({ name: '2fast', kubernetes: true, ...PUBLISHED }))).toEqual([
      'kubernetesOptions.name: got undefined; the default "2fast" (from the service name) is not a DNS-1035 label of at most 40 characters; set kubernetesOptions.name, e.g. "orders-api".',
    ]);
  });

  test('a credential in the options is refused', () => {
    const lines = problemLinesOf(make({ kubernetes: true, ...PUBLISHED, kubernetesOptions: { ingressHost: 'postgresql://u:pw@h/db' } }));
    expect(lines.some((l) => l.startsWith('kubernetesOptions.ingressHost: got "<redacted>"; looks like a URL with a password'))).toBe(true);
  });

  test('kubernetesOptions without kubernetes: true changes nothing', () => {
    const s = synth({ ...PUBLISHED, kubernetesOptions: { replicas: 3 } });
    expect(s.files.filter((f) => f.startsWith('deploy/'))).toEqual([]);
    expect(s.project.kubernetes).toBeUndefined();
  });
});

describe('migration Job names', () => {
  test('one per tag, a DNS label of at most 63 characters, distinct for tags that clean up alike', () => {
    const name = 'a'.repeat(40);
    const tags = ['latest', 'sha-1a2b3c4', 'v1.2.3', 'v1-2-3', 'V1.2.3', 'x'.repeat(128), `${'x'.repeat(127)}y`, 'main_branch'];
    const names = tags.map((t) => migrationJobName(name, t));
    expect(new Set(names).size).toBe(tags.length);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(63);
      expect(n).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    expect(migrationJobName('orders-api', 'sha-1a2b3c4')).toBe('orders-api-migrate-sha-1a2b3c4');
  });

  test('moving tags get a delete step in the README; immutable ones do not', () => {
    expect([isImmutableTag('latest'), isImmutableTag('main'), isImmutableTag('sha-1a2b3c4'), isImmutableTag('v1.2.3')]).toEqual([false, false, true, true]);
    const moving = synth({ kubernetes: true, ...PUBLISHED }).read('README.md');
    expect(moving).toContain('kubectl delete job/orders-api-migrate-latest --ignore-not-found --wait');
    const pinned = synth({ kubernetes: true, ...PUBLISHED, kubernetesOptions: { imageTag: 'sha-1a2b3c4', namespace: 'shop' } }).read('README.md');
    expect(pinned).not.toContain('kubectl delete job');
    expect(pinned).toContain('kubectl -n shop apply -f deploy/k8s/migrate-job.yaml\nkubectl -n shop wait --for=condition=complete --timeout=15m job/orders-api-migrate-sha-1a2b3c4');
  });
});
