/** A fresh simulated account for one test: the config's network parameters exist in every configured region. */
import { configuredRegions, type KubeCdnConfig } from '../../../core/config';
import { networkParameterName } from '../../../lib/naming';
import { ACCOUNT_ID, SimulatedAws } from './world';

export function simulatedAccount(config: KubeCdnConfig): SimulatedAws {
  const world = new SimulatedAws(config.dns.hostedZoneId);
  for (const region of configuredRegions(config)) {
    world.parameters.set(
      `${region}/${networkParameterName(config.name)}`,
      JSON.stringify({
        vpcId: `vpc-0${region.replace(/-/g, '')}`,
        subnetIds: [`subnet-0a${region.length}`, `subnet-0b${region.length}`, `subnet-0c${region.length}`],
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
