/**
 * EKS Pod Identity associations left on a region's cluster: reported by the sweep (as it reports
 * health checks), removed by removePodIdentity, through runStep against the simulated AWS.
 */
import { runRegionOpsStep as step } from '../../support/region-ops-steps';
import { scenario } from '../../workflows/scenario';

jest.setTimeout(60_000);

describe("the edge pods' Pod Identity association", () => {
  it('is reported by the sweep while it is on the cluster, with any other association there, and not for other regions', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const [edge] = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!.podIdentityAssociations.values();
    // Someone associated another service account by hand.
    s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!.podIdentityAssociations.set('a-manual', {
      ...edge!,
      id: 'a-manual',
      arn: 'arn:aws:eks:eu-west-1:123456789012:podidentityassociation/kubecdn-eu-west-1/a-manual',
      serviceAccount: 'debug',
    });

    const { leftovers } = (await step(s, { step: 'sweep', region: 'eu-west-1' })) as { leftovers: string[] };
    expect(leftovers.filter((arn) => arn.includes(':podidentityassociation/'))).toEqual([
      edge!.arn,
      'arn:aws:eks:eu-west-1:123456789012:podidentityassociation/kubecdn-eu-west-1/a-manual',
    ]);
    const usEast = (await step(s, { step: 'sweep', region: 'us-east-1' })) as { leftovers: string[] };
    expect(usEast.leftovers.filter((arn) => arn.includes('kubecdn-eu-west-1'))).toEqual([]);

    // removePodIdentity takes the edge one only; the one made by hand stays reported.
    expect(await step(s, { step: 'removePodIdentity', region: 'eu-west-1' })).toEqual({ removed: 1 });
    const after = (await step(s, { step: 'sweep', region: 'eu-west-1' })) as { leftovers: string[] };
    expect(after.leftovers.filter((arn) => arn.includes(':podidentityassociation/'))).toEqual([
      'arn:aws:eks:eu-west-1:123456789012:podidentityassociation/kubecdn-eu-west-1/a-manual',
    ]);
  });

  it('is nothing to remove or report once the cluster is gone', async () => {
    const s = scenario();
    expect(await step(s, { step: 'removePodIdentity', region: 'eu-west-1' })).toEqual({ removed: 0 });
    expect(await step(s, { step: 'sweep', region: 'eu-west-1' })).toEqual({ leftovers: [] });
  });
});
