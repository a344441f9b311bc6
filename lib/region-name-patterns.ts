import { AWS_REGION_CODES } from '../core/regions';

/**
 * IAM resource patterns that match `<prefix><region>` for every known AWS region code and for
 * no name another deployment could give its resources.
 *
 * Why patterns: a region removed from the config is torn down by StopRegion ("removed": true)
 * after the deploy that removed it, so the role must reach clusters and network stacks in regions
 * the config no longer names. Listing an exact ARN per known region (34 of them, times clusters,
 * node groups, access entries and stacks) would pass IAM's 10,240-character limit for a role's
 * inline policies; `<prefix>*` would also match another deployment whose name starts with ours
 * (`kubecdn-staging-eu-west-1` for `kubecdn-*`).
 *
 * Every region code has the shape `xx-<word>-<digit>`, so one pattern per word, with IAM's `?`
 * for exactly one character, `<prefix>??-west-?`, matches names of exactly that length and shape.
 * The name `<project>-<region>` then splits one way only: another project `kubecdn-xy` names
 * its cluster `kubecdn-xy-eu-west-1`, which is longer than any name the patterns match.
 */
export function regionNamePatterns(prefix: string): string[] {
  const shapes = new Set<string>();
  for (const code of AWS_REGION_CODES) {
    const match = /^[a-z]{2}-([a-z]+)-\d$/.exec(code);
    if (!match) throw new Error(`region code ${code} does not have the shape xx-<word>-<digit> the IAM patterns rely on`);
    shapes.add(`??-${match[1]}-?`);
  }
  return [...shapes].map((shape) => `${prefix}${shape}`);
}
