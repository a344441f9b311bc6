import { buildReport } from '../../../lambdas/region-ops/report';
import { validateUpgradeInput } from '../../../lambdas/region-ops/upgrade-input';
import { validateWorkflowInput } from '../../../lambdas/region-ops/workflow-input';
import { validConfig } from '../../support/configs';

const config = validConfig((c) => (c.cluster = { kubernetesVersion: '1.35' }));
const options = { lockSeconds: 600, nowMs: Date.UTC(2026, 10, 29) };

describe('UpgradeClusters input', () => {
  it('upgrades every configured region, scalable first, one region a wave, to the deployed version', () => {
    expect(validateUpgradeInput(config, {}, options)).toMatchObject({
      operation: 'upgradeClusters',
      region: 'Kubernetes 1.35',
      version: '1.35',
      reason: 'manual upgrade',
      regions: ['eu-west-1', 'ap-northeast-1', 'us-east-1'],
      waves: [['eu-west-1'], ['ap-northeast-1'], ['us-east-1']],
      waveCount: 3,
    });
  });

  it('refuses a version other than the deployed one, naming both', () => {
    expect(() => validateUpgradeInput(config, { version: '1.34' }, options)).toThrow(
      /\$\.version: the deployed config's cluster.kubernetesVersion is "1.35", not "1.34"/,
    );
  });

  it('refuses a region the config does not name, a region listed twice, and an empty list', () => {
    expect(() => validateUpgradeInput(config, { regions: ['eu-central-1'] }, options)).toThrow(/"eu-central-1" is not a configured region/);
    expect(() => validateUpgradeInput(config, { regions: ['eu-west-1', 'eu-west-1'] }, options)).toThrow(
      /lists "eu-west-1" more than once/,
    );
    expect(() => validateUpgradeInput(config, { regions: [] }, options)).toThrow(
      /\$\.regions: expected at least one configured region; leave "regions" out to upgrade every configured region/,
    );
  });
});

describe('UpgradeRegion input', () => {
  it('takes a region and a reason only, like SyncRegion', () => {
    expect(validateWorkflowInput(config, { region: 'eu-west-1' }, { ...options, operation: 'upgrade' })).toMatchObject({
      operation: 'upgrade',
      region: 'eu-west-1',
      reason: 'manual upgrade',
    });
    expect(() => validateWorkflowInput(config, { region: 'eu-west-1', force: true }, { ...options, operation: 'upgrade' })).toThrow(
      /UpgradeRegion takes only "region" and "reason"/,
    );
  });
});

describe('the upgrade reports', () => {
  const base = { reason: 'deploy', startedAtEpochMs: 0, details: {} };
  it('rates a failed region upgrade an error and says how to continue', () => {
    const report = buildReport(
      {
        ...base,
        operation: 'upgrade',
        outcome: 'failed',
        region: 'eu-west-1',
        failure: { Error: 'UpgradeFailed', Cause: 'update Failed' },
      },
      60_000,
    );
    expect(report.severity).toBe('error');
    expect(report.subject).toBe('kubecdn UpgradeRegion eu-west-1 failed');
    expect(report.message).toContain('run UpgradeClusters (or UpgradeRegion) again: it continues from there');
  });

  it('lists the regions of a halted upgrade and those not reached', () => {
    const report = buildReport(
      {
        ...base,
        operation: 'upgradeClusters',
        outcome: 'halted',
        region: 'Kubernetes 1.35',
        failure: null,
        details: {
          results: [{ region: 'eu-west-1', outcome: 'failed', cause: 'UpgradeFailed: boom' }],
          regions: ['eu-west-1', 'us-east-1'],
        },
      },
      60_000,
    );
    expect(report.severity).toBe('error');
    expect(report.message).toContain('  eu-west-1: failed: UpgradeFailed: boom');
    expect(report.message).toContain('Not reached: us-east-1; their clusters keep the version they run.');
  });
});
