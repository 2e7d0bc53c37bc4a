import { spawnSync } from 'child_process';
import * as path from 'path';

const TOOL = path.join(__dirname, 'kube-validate.mjs');

/**
 * Findings of the Kubernetes OpenAPI schemas (npm `kubernetes-models`, Kubernetes 1.34) on manifest
 * files, by file: each YAML document validated by the model of its apiVersion and kind.
 */
export function kubernetesSchemaFindings(files: string[]): Record<string, string[]> {
  if (files.length === 0) return {};
  const r = spawnSync(process.execPath, [TOOL, ...files], { encoding: 'utf-8', cwd: path.join(__dirname, '..', '..') });
  if (r.status !== 0) throw new Error(`kube-validate.mjs failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
