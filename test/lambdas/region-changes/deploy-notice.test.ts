import type { CustomResourceResponse } from '../../../lambdas/region-changes/custom-resource';
import { handleDeployNotice } from '../../../lambdas/region-changes/deploy-notice';

function recorder() {
  const sent: Array<{ url: string; response: CustomResourceResponse }> = [];
  return {
    sent,
    deps: { project: 'edge', send: async (url: string, response: CustomResourceResponse) => void sent.push({ url, response }) },
  };
}

const event = (RequestType: string, extra: Record<string, unknown> = {}) => ({
  RequestType,
  ResponseURL: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/x?sig=1',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/edge-control/1',
  RequestId: 'req-1',
  LogicalResourceId: 'RegionChangesRegionLists',
  ResourceProperties: { ServiceToken: 'arn:fn', AlwaysOn: ['us-east-1'], Scalable: ['eu-west-1'] },
  ...extra,
});

describe('the deploy-time region change summary', () => {
  it('answers an update with what changed as the Summary attribute, to the pre-signed URL', async () => {
    const { sent, deps } = recorder();
    await handleDeployNotice(
      event('Update', {
        PhysicalResourceId: 'edge-region-changes',
        OldResourceProperties: { ServiceToken: 'arn:fn', AlwaysOn: ['us-east-1'], Scalable: ['eu-west-1', 'sa-east-1'] },
      }),
      deps,
    );
    expect(sent).toEqual([
      {
        url: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/x?sig=1',
        response: {
          Status: 'SUCCESS',
          PhysicalResourceId: 'edge-region-changes',
          StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/edge-control/1',
          RequestId: 'req-1',
          LogicalResourceId: 'RegionChangesRegionLists',
          Data: { Summary: 'Removed: sa-east-1. If running, they will be drained (DNS record first) and stopped by the autoscaler.' },
        },
      },
    ]);
  });

  it('lists the regions on the first deploy, under a stable physical id', async () => {
    const { sent, deps } = recorder();
    await handleDeployNotice(event('Create'), deps);
    expect(sent[0]!.response).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'edge-region-changes',
      Data: { Summary: 'First deploy: alwaysOn us-east-1; scalable eu-west-1.' },
    });
  });

  it('answers FAILED, rather than leaving CloudFormation waiting, when the properties are not region lists', async () => {
    const { sent, deps } = recorder();
    await handleDeployNotice(event('Update', { ResourceProperties: { AlwaysOn: 'us-east-1' }, OldResourceProperties: {} }), deps);
    expect(sent[0]!.response).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('AlwaysOn') });
  });

  it('never blocks a delete', async () => {
    const { sent, deps } = recorder();
    await handleDeployNotice(event('Delete', { PhysicalResourceId: 'edge-region-changes', ResourceProperties: {} }), deps);
    expect(sent[0]!.response).toMatchObject({ Status: 'SUCCESS', Data: { Summary: 'Deleted.' } });
  });
});
