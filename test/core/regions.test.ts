import { AWS_REGION_CODES, editDistance, isAwsRegion, regionInfo, suggestRegion } from '../../core/regions';

describe('the AWS region catalog', () => {
  it('knows the commercial regions and nothing else', () => {
    expect(isAwsRegion('eu-west-1')).toBe(true);
    expect(isAwsRegion('ap-southeast-5')).toBe(true);
    expect(isAwsRegion('us-gov-west-1')).toBe(false);
    expect(isAwsRegion('EU-WEST-1')).toBe(false);
    expect(new Set(AWS_REGION_CODES).size).toBe(AWS_REGION_CODES.length);
  });

  it('gives every region a valid IANA time zone and coordinates on Earth', () => {
    for (const code of AWS_REGION_CODES) {
      const info = regionInfo(code);
      expect(() => new Intl.DateTimeFormat('en', { timeZone: info.timeZone })).not.toThrow();
      expect(Math.abs(info.latitude)).toBeLessThanOrEqual(90);
      expect(Math.abs(info.longitude)).toBeLessThanOrEqual(180);
    }
  });

  it('throws on an unknown region instead of guessing', () => {
    expect(() => regionInfo('eu-west-9')).toThrow('unknown AWS region "eu-west-9"');
  });
});

describe('region suggestions for typos', () => {
  it.each([
    ['us-esat-1', 'us-east-1'],
    ['euwest1', 'eu-west-1'],
    ['ap-northeast1', 'ap-northeast-1'],
    ['EU-CENTRAL-1', 'eu-central-1'],
    ['sa-east-2', 'sa-east-1'],
  ])('suggests %s → %s', (typo, expected) => {
    expect(suggestRegion(typo)).toBe(expected);
  });

  it('suggests nothing when no code is close', () => {
    expect(suggestRegion('moon-base-1')).toBeUndefined();
    expect(suggestRegion('frankfurt')).toBeUndefined();
  });

  it('counts an adjacent transposition as one edit', () => {
    expect(editDistance('esat', 'east')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
