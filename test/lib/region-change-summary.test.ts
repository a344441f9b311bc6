import { Template } from 'aws-cdk-lib/assertions';
import { validConfig } from '../support/configs';
import { buildApp } from '../support/synth';

describe('the deploy-time region change summary', () => {
  const config = validConfig((c) => (c.name = 'edge'));
  const template = Template.fromStack(buildApp(config).stacks.control);

  it('is a custom resource whose properties are the region lists, so it updates exactly when they change', () => {
    const resources = template.findResources('Custom::KubeCdnRegionLists');
    expect(Object.values(resources).map((r) => (r as { Properties: Record<string, unknown> }).Properties)).toEqual([
      expect.objectContaining({ AlwaysOn: ['us-east-1'], Scalable: ['eu-west-1', 'ap-northeast-1'] }),
    ]);
  });

  it('is shown as a stack output, which cdk deploy prints', () => {
    const [logicalId] = Object.keys(template.findResources('Custom::KubeCdnRegionLists'));
    template.hasOutput('RegionListChanges', { Value: { 'Fn::GetAtt': [logicalId, 'Summary'] } });
  });
});
