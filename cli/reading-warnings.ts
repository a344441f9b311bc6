/**
 * What an operator must know before trusting what `kubecdn plan` or `kubecdn status` shows: the
 * local config is not the deployed one, a read failed (the region is then held, as the autoscaler
 * holds it), the edges of a serving region report nothing. One sentence each, naming the region.
 */
import type { TickPlan } from '../lambdas/autoscaler/read-and-decide';
import type { ConfigDigests } from './live-autoscaler-reads';

const short = (digest: string) => digest.slice(0, 12);

export function configDigestWarning(configPath: string, digests: ConfigDigests): string | undefined {
  if (digests.deployed === undefined) {
    return (
      `cannot tell whether ${configPath} is the deployed config: the control stack has no DeployedConfigSha256 output ` +
      '(deployed by an earlier kubecdn; deploy again to add it)'
    );
  }
  if (digests.deployed === digests.local) return undefined;
  return (
    `${configPath} is not the config deployed (SHA-256 ${short(digests.local)}… here, ${short(digests.deployed)}… deployed): ` +
    'this shows what the autoscaler would do with the local file; it decides with the deployed one until you deploy (npx cdk deploy)'
  );
}

export function readingWarnings(plan: TickPlan, configPath: string, digests: ConfigDigests): string[] {
  const warnings: string[] = [];
  const digest = configDigestWarning(configPath, digests);
  if (digest) warnings.push(digest);
  for (const failure of plan.demandReading.failures) {
    warnings.push(`demand could not be read in ${failure.metricsRegion} (${failure.error}): those regions read as missing data`);
  }
  // A Route 53 or Step Functions failure is every region's problem: one line names them all.
  const regionsByProblem = new Map<string, string[]>();
  for (const [region, observed] of Object.entries(plan.states.observed)) {
    for (const problem of observed.problems) regionsByProblem.set(problem, [...(regionsByProblem.get(problem) ?? []), region]);
  }
  for (const [problem, regions] of regionsByProblem) {
    warnings.push(`${regions.join(', ')}: ${problem}; unknown, so the autoscaler holds ${regions.length === 1 ? 'it' : 'them'}`);
  }
  if (plan.states.upgradesNotRead) {
    warnings.push(
      'the control stack has no UpgradeRegionStateMachineArn output (deployed by an earlier kubecdn): a running Kubernetes upgrade ' +
        'is not seen, and the autoscaler deployed with it does not hold the region either (deploy again to add it)',
    );
  }
  if ('error' in plan.overrides) {
    warnings.push(`the overrides could not be read (${plan.overrides.error}): no region is stopped, as the autoscaler stops none`);
  }
  for (const item of 'error' in plan.overrides ? [] : plan.overrides.ignored) {
    warnings.push(`override ${item.region ? `of ${item.region} ` : ''}ignored: ${item.problem}`);
  }
  const reporting = plan.demandReading.edgeReporting;
  if ('error' in reporting) {
    warnings.push(`could not read whether the edges report (${reporting.error}): serving regions are not checked`);
  } else if (plan.silentRegions && plan.silentRegions.silent.length > 0) {
    warnings.push(`serving regions whose edges report nothing: ${plan.silentRegions.silent.join(', ')}`);
  }
  return warnings;
}
