import {
  compareKubernetesVersions,
  EKS_KUBERNETES_CALENDAR,
  nextMinor,
  OFFERED_KUBERNETES_VERSIONS,
  supportWarning,
  upgradePath,
} from '../../../core/config/kubernetes-versions';

describe('the EKS Kubernetes release calendar', () => {
  it('lists each minor once, oldest first, with extended support ending a year after standard support', () => {
    const versions = EKS_KUBERNETES_CALENDAR.map((e) => e.version);
    expect(versions).toEqual([...versions].sort((a, b) => compareKubernetesVersions(a, b)));
    expect(new Set(versions).size).toBe(versions.length);
    for (const entry of EKS_KUBERNETES_CALENDAR)
      expect(Number(entry.endOfExtendedSupport.slice(0, 4)) - Number(entry.endOfStandardSupport.slice(0, 4))).toBe(1);
  });

  it('offers the versions whose extended support had not ended when it was reviewed', () => {
    expect(OFFERED_KUBERNETES_VERSIONS).toEqual(['1.32', '1.33', '1.34', '1.35']);
  });

  it('compares minors as numbers, not strings', () => {
    expect(compareKubernetesVersions('1.9', '1.10')).toBeLessThan(0);
    expect(compareKubernetesVersions('1.35', '1.33')).toBe(2);
    expect(() => compareKubernetesVersions('1.35.1', '1.33')).toThrow(/expected Kubernetes minor versions/);
  });

  it('upgrades one minor at a time', () => {
    expect(nextMinor('1.33')).toBe('1.34');
    expect(upgradePath('1.33', '1.35')).toEqual(['1.34', '1.35']);
    expect(upgradePath('1.35', '1.35')).toEqual([]);
    expect(upgradePath('1.35', '1.33')).toEqual([]);
  });
});

describe('supportWarning', () => {
  const at = (iso: string) => new Date(iso);
  it('says nothing for a version well inside standard support', () => {
    expect(supportWarning('1.35', at('2026-11-29T12:00:00Z'))).toEqual({ level: 'standard', daysToEndOfStandardSupport: 117, message: '' });
  });

  it('warns within 60 days of the end of standard support, counting whole days', () => {
    const warning = supportWarning('1.34', at('2026-11-29T12:00:00Z'));
    expect(warning).toMatchObject({ level: 'ending', daysToEndOfStandardSupport: 2 });
    expect(warning.message).toBe('Kubernetes 1.34 leaves EKS standard support on 2026-12-02 (in 2 days); plan the upgrade');
    expect(supportWarning('1.34', at('2026-10-03T00:00:00Z')).level).toBe('ending');
    expect(supportWarning('1.34', at('2026-10-01T23:59:59Z')).level).toBe('standard');
  });

  it('reports extended support from the first day it is billed, and unsupported after it ends', () => {
    expect(supportWarning('1.33', at('2026-07-29T00:00:00Z')).level).toBe('extended');
    expect(supportWarning('1.33', at('2026-07-28T23:59:59Z')).level).toBe('ending');
    expect(supportWarning('1.33', at('2026-11-29T00:00:00Z')).message).toMatch(
      /in EKS extended support since 2026-07-29 .*raise cluster.kubernetesVersion/,
    );
    expect(supportWarning('1.31', at('2026-11-29T00:00:00Z')).level).toBe('unsupported');
  });

  it('names a version the calendar does not know', () => {
    expect(supportWarning('1.40', at('2026-11-29T00:00:00Z'))).toMatchObject({ level: 'unknown', daysToEndOfStandardSupport: null });
  });
});
