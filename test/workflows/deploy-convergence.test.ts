/**
 * `cdk deploy` of a changed config, end to end on the simulated account: regions run under the
 * old config's workflows; the deploy trigger (the real handler) is called as CloudFormation
 * would call it after the update; the executions it starts run on the new config's synthesized
 * workflows. Added and moved regions are the autoscaler's (test/lambdas/autoscaler/tick.test.ts).
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SNSClient } from '@aws-sdk/client-sns';
import { handleDeployConvergence } from '../../lambdas/region-changes/deploy-convergence';
import type { CustomResourceResponse } from '../../lambdas/region-changes/custom-resource';
import { synthesizeEdgeFiles } from '../../lib/edge-files';
import { loadWorkloadManifests } from '../../lib/region-workflows-manifests';
import { workloadVersion } from '../../lib/workload-version';
import { synthesizeWorkflows, WorkflowHarness, WORKFLOW_NAMES, type WorkflowName } from '../support/asl-runner';
import { validConfig } from '../support/configs';
import { EDGE_DEPLOYMENT_PATH as DEPLOYMENT, NEXT_IMAGE, WORKLOAD_DIR, workloadWithImage } from '../support/next-workload';
import { scenario } from './scenario';

const machineArn = (name: WorkflowName) => `arn:aws:states:us-east-1:123456789012:stateMachine:kubecdn-${name}`;

describe('cdk deploy of a config that removes a region and changes the workload', () => {
  it('tears the removed region down completely (it was in warm standby) and rolls the new workload out to the running regions', async () => {
    const s = scenario((c) => {
      c.alwaysOn = ['us-east-1'];
      c.scalable = ['eu-west-1', 'sa-east-1'];
      c.standby = { 'sa-east-1': 'warm' };
    });
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    await s.succeed('StartRegion', { region: 'sa-east-1' });
    await s.succeed('StopRegion', { region: 'sa-east-1' });
    // Warm standby: the control plane bills on, with no DNS record for the autoscaler to find.
    expect(s.resources('sa-east-1')).toEqual([expect.stringMatching(/^cluster kubecdn-sa-east-1 \(ACTIVE\)/)]);

    // The deploy: sa-east-1 removed, nginx 1.27 -> 1.28.
    const newConfig = validConfig((c) => {
      c.alwaysOn = ['us-east-1'];
      c.scalable = ['eu-west-1'];
    });
    const newManifestsDir = workloadWithImage(NEXT_IMAGE);
    const deployed = new WorkflowHarness(s.world, newConfig, synthesizeWorkflows(newConfig, { manifestsDir: newManifestsDir }));
    const started: { name: string; workflow: WorkflowName; input: unknown }[] = [];
    const published: { Subject?: string; Message?: string }[] = [];
    const answers: CustomResourceResponse[] = [];
    const sfn = {
      send: async (command: { input: { stateMachineArn: string; name: string; input: string } }) => {
        const workflow = WORKFLOW_NAMES.find((n) => machineArn(n) === command.input.stateMachineArn)!;
        started.push({ name: command.input.name, workflow, input: JSON.parse(command.input.input) });
        return { executionArn: `${command.input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${command.input.name}` };
      },
    } as unknown as SFNClient;
    const sns = {
      send: async (command: { input: { Subject?: string; Message?: string } }) => published.push(command.input),
    } as unknown as SNSClient;
    const properties = (config: typeof newConfig, manifestsDir: string) => ({
      ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:kubecdn-region-changes',
      AlwaysOn: config.alwaysOn,
      Scalable: config.scalable,
      WorkloadVersion: workloadVersion(loadWorkloadManifests(manifestsDir), config, synthesizeEdgeFiles(config).identity),
      KubernetesVersion: config.cluster.kubernetesVersion,
    });

    await handleDeployConvergence(
      {
        RequestType: 'Update',
        ResponseURL: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/response',
        StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/kubecdn-control/1',
        RequestId: 'request-1',
        LogicalResourceId: 'RegionChangesRegionLists',
        PhysicalResourceId: 'kubecdn-region-changes',
        ResourceProperties: properties(newConfig, newManifestsDir),
        OldResourceProperties: properties(s.config, WORKLOAD_DIR),
      },
      {
        environment: {
          PROJECT: 'kubecdn',
          ROLLOUT_STATE_MACHINE_ARN: machineArn('RolloutWorkload'),
          STOP_REGION_STATE_MACHINE_ARN: machineArn('StopRegion'),
          UPGRADE_STATE_MACHINE_ARN: machineArn('UpgradeClusters'),
          OPERATIONS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:kubecdn-operations',
        },
        sfn,
        sns,
        stackStatus: async () => 'UPDATE_IN_PROGRESS',
        send: async (_url, response) => void answers.push(response),
        log: { info: () => {}, warn: () => {} },
      },
    );

    expect(answers).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
    expect(started.map((e) => [e.workflow, e.input])).toEqual([
      ['StopRegion', { region: 'sa-east-1', removed: true, reason: 'removed from the config by a deploy' }],
      ['RolloutWorkload', expect.objectContaining({ version: expect.stringMatching(/^[0-9a-f]{12}$/) })],
    ]);
    expect(published).toHaveLength(1);

    // What the deploy started runs on the workflows as the deploy left them.
    for (const execution of started) {
      const run = await deployed.run(execution.workflow, execution.input, { executionName: execution.name });
      expect([execution.workflow, run.status, run.error, run.cause]).toEqual([execution.workflow, 'SUCCEEDED', undefined, undefined]);
    }

    expect(s.resources('sa-east-1')).toEqual([]);
    for (const region of ['us-east-1', 'eu-west-1']) {
      const deployment = s.world.cluster(region, `kubecdn-${region}`)!.objects.get(DEPLOYMENT) as {
        spec: { template: { spec: { containers: { image: string }[] } } };
      };
      expect([region, deployment.spec.template.spec.containers[0]!.image]).toEqual([region, NEXT_IMAGE]);
    }
    expect(
      s.world
        .latencyRecords(newConfig.dns.domainName)
        .map((r) => r.SetIdentifier)
        .sort(),
    ).toEqual(['eu-west-1', 'us-east-1']);
  });
});
