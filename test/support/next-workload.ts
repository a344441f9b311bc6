/** The repository's workload manifests with another nginx image: the next version an operator deploys. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WORKLOAD_DIR = join(__dirname, '..', '..', 'config', 'workload');
export const CURRENT_IMAGE = 'public.ecr.aws/nginx/nginx:1.27';
export const NEXT_IMAGE = 'public.ecr.aws/nginx/nginx:1.28';
export const EDGE_DEPLOYMENT_PATH = '/apis/apps/v1/namespaces/kubecdn-edge/deployments/edge-nginx';

/** A temporary copy of config/workload with `image` in place of the current nginx image. */
export function workloadWithImage(image: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubecdn-workload-'));
  for (const file of readdirSync(WORKLOAD_DIR).filter((f) => /\.(ya?ml|json)$/.test(f)))
    writeFileSync(join(dir, file), readFileSync(join(WORKLOAD_DIR, file), 'utf8').replaceAll(CURRENT_IMAGE, image));
  return dir;
}
