import { runStep, type RegionOpsDependencies } from '../../../lambdas/region-ops/region-ops';
import { stepEventSchema } from '../../../lambdas/region-ops/steps';
import { validConfig } from '../../support/configs';

/** The guard acts before any client is made: these dependencies fail the test if anything AWS is touched. */
const untouchable = (): never => {
  throw new Error('no AWS call was expected');
};
const deps: RegionOpsDependencies = {
  deployment: {
    config: validConfig(),
    clusterRoleArn: 'arn:aws:iam::123456789012:role/cluster',
    nodeRoleArn: 'arn:aws:iam::123456789012:role/node',
    workflowRoleArn: 'arn:aws:iam::123456789012:role/workflow',
    networkParameterName: '/kubecdn/network',
    edgeAgentRoleArn: 'arn:aws:iam::123456789012:role/edge-agent',
    edgeFiles: { agentSource: '', regionTableGzip: Buffer.alloc(0) },
  },
  clientsFor: untouchable,
  route53: undefined as never,
  kubernetes: untouchable,
  now: () => 0,
};

describe('region-ops steps for a region that is not in the config', () => {
  it.each([
    ['ensureCluster', { execution: 'x' }],
    ['ensureCompute', { execution: 'x' }],
    ['grantAccess', {}],
    ['grantPeopleAccess', {}],
    ['findLoadBalancer', {}],
    ['scaleWorkloadToZero', { manifests: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'edge' } }] }],
  ])('refuses %s, which only a start or a warm stop uses', async (step, fields) => {
    const event = stepEventSchema.parse({ step, region: 'sa-east-1', ...fields });
    await expect(runStep(event, deps)).rejects.toMatchObject({
      name: 'InvalidInput',
      message: '"sa-east-1" is not a configured region; only teardown steps may act on a region removed from the config',
    });
  });

  it('lets a teardown step through to the region (it reaches for the region clients)', async () => {
    const event = stepEventSchema.parse({ step: 'deleteNodegroups', region: 'sa-east-1' });
    await expect(runStep(event, deps)).rejects.toThrow('no AWS call was expected');
  });
});
