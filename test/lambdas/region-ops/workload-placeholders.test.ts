import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderManifests } from '../../../lambdas/region-ops/kubernetes-manifests';
import { workloadPlaceholders } from '../../../lambdas/region-ops/workload-placeholders';
import { loadWorkloadManifests } from '../../../lib/region-workflows-manifests';
import { validConfig } from '../../support/configs';

const WORKLOAD_DIR = join(__dirname, '..', '..', '..', 'config', 'workload');
const network = {
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-1b2a-4c3d-8e9f-a0b1c2d3e4f5',
  vpcCidr: '10.64.0.0/16',
};

describe('the workload placeholders', () => {
  it('give every placeholder the repository manifests use a value', () => {
    const rendered = JSON.stringify(
      renderManifests(loadWorkloadManifests(WORKLOAD_DIR), workloadPlaceholders(validConfig(), 'eu-west-1', network), ['p', 'q']),
    );
    expect(rendered.match(/\{\{[A-Z0-9_]+\}\}/g) ?? []).toEqual([]);
  });

  it('are each documented in config/workload/README.md', () => {
    const readme = readFileSync(join(WORKLOAD_DIR, 'README.md'), 'utf8');
    const undocumented = Object.keys(workloadPlaceholders(validConfig(), 'eu-west-1', network)).filter(
      (name) => !readme.includes(`\`${name}\``),
    );
    expect(undocumented).toEqual([]);
  });

  it('size the cache volume from the cache section', () => {
    const rendered = renderManifests(
      loadWorkloadManifests(WORKLOAD_DIR),
      workloadPlaceholders(
        validConfig((input) => void (input.cache = { sizeMebibytes: 4096 })),
        'eu-west-1',
        network,
      ),
      ['p', 'q'],
    );
    const deployment = rendered.find((m) => m.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { volumes: { name: string; emptyDir?: { sizeLimit?: string } }[] } } };
    };
    expect(deployment.spec.template.spec.volumes.find((v) => v.name === 'cache')?.emptyDir?.sizeLimit).toBe('5632Mi');
  });
});
