import { AWS_REGION_CODES } from '../../core/regions';
import { regionNamePatterns } from '../../lib/region-name-patterns';

/** IAM's resource matching: `*` any run of characters, `?` exactly one. */
const matches = (pattern: string, name: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(name);
const matchesAny = (name: string) => regionNamePatterns('kubecdn-').some((pattern) => matches(pattern, name));

describe('regionNamePatterns', () => {
  it('matches <project>-<region> for every known region code', () => {
    for (const region of AWS_REGION_CODES) expect([region, matchesAny(`kubecdn-${region}`)]).toEqual([region, true]);
  });

  it('matches no cluster of a deployment whose name starts with the project’s', () => {
    for (const name of [
      'kubecdn-staging-eu-west-1',
      'kubecdn-v2-eu-west-1',
      'kubecdn-eu-eu-west-1',
      'kubecdn-eu-west-1-old',
      'other-eu-west-1',
    ])
      expect([name, matchesAny(name)]).toEqual([name, false]);
  });

  it('uses one pattern per word of the region codes, with no * that could stretch', () => {
    const patterns = regionNamePatterns('kubecdn-');
    expect(patterns).toContain('kubecdn-??-west-?');
    expect(patterns.length).toBeLessThan(10);
    for (const pattern of patterns) expect(pattern).not.toContain('*');
  });
});
