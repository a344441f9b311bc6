/**
 * A fresh simulated account for one test: every configured region has its network stack (tagged
 * like lib/kubecdn-app.ts tags it), with its VPC, Kubernetes API relay and issued certificate,
 * and the network parameter that stack publishes. Tests of a
 * removal create the world from the config before the removal, so the removed region has both.
 */
import { createHash } from 'node:crypto';
import { configuredRegions, type KubeCdnConfig } from '../../../core/config';
import { kubernetesApiRelayName, networkParameterName, networkStackName, PROJECT_TAG, REGION_TAG } from '../../../lib/naming';
import { ACCOUNT_ID, SimulatedAws } from './world';

/** A stable certificate id per region (not from world.nextId, so other resources keep their ids). */
function certificateId(region: string): string {
  const hex = createHash('sha256').update(region).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function simulatedAccount(config: KubeCdnConfig): SimulatedAws {
  const world = new SimulatedAws(config.dns.hostedZoneId);
  for (const region of configuredRegions(config)) {
    const parameterKey = `${region}/${networkParameterName(config.name)}`;
    const stack = networkStackName(config.name, region);
    world.stacks.set(`${region}/${stack}`, {
      name: stack,
      region,
      stackId: `arn:aws:cloudformation:${region}:${ACCOUNT_ID}:stack/${stack}/${world.nextId('', 8)}-0000-4000-8000-${world.nextId('', 12)}`,
      tags: { [PROJECT_TAG]: config.name, [REGION_TAG]: region },
      parameterKeys: [parameterKey],
    });
    const compact = region.replace(/-/g, '');
    const network = {
      vpcId: `vpc-0${compact}`,
      subnetIds: [`subnet-0a${region.length}`, `subnet-0b${region.length}`, `subnet-0c${region.length}`],
      kubernetesApiAccessSecurityGroupId: `sg-0api${compact}`,
      kubernetesApiAccessAdmits: `sg-0relay${compact}`,
      relay: { functionName: kubernetesApiRelayName(config.name), securityGroupId: `sg-0relay${compact}` },
      // The stack publishes the operator's certificate where the config names one, else the one it requested.
      certificateArn: config.https.certificateArns[region] ?? `arn:aws:acm:${region}:${ACCOUNT_ID}:certificate/${certificateId(region)}`,
      vpcCidr: '10.64.0.0/16',
    };
    world.certificates.add(network.certificateArn);
    world.networks.set(region, network);
    world.parameters.set(
      parameterKey,
      JSON.stringify({
        vpcId: network.vpcId,
        subnetIds: network.subnetIds,
        kubernetesApiAccessSecurityGroupId: network.kubernetesApiAccessSecurityGroupId,
        kubernetesApiRelayFunctionName: network.relay.functionName,
        certificateArn: network.certificateArn,
        vpcCidr: network.vpcCidr,
      }),
    );
    // The network stack's own resources carry the project tags too; the sweep must not report them.
    world.networkStackResources.set(region, [`arn:aws:ec2:${region}:${ACCOUNT_ID}:vpc/vpc-0${region.replace(/-/g, '')}`]);
  }
  // Something else in the zone, which the workflows must leave alone.
  world.records.set(`www.example.com.|CNAME|`, {
    Name: 'www.example.com.',
    Type: 'CNAME',
    TTL: 300,
    ResourceRecords: [{ Value: 'example.com' }],
  });
  return world;
}
