import { configuredRegions, standbyFor, thresholdsFor, validateConfig } from '../../../core/config';
import { minimalConfigInput, validConfig } from '../../support/configs';

type Input = ReturnType<typeof minimalConfigInput>;

function problemsOf(change: (input: Input) => void): { path: string; message: string }[] {
  const input = minimalConfigInput();
  change(input);
  const result = validateConfig(input);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.problems.map((p) => ({ path: p.path, message: p.message }));
}

describe('a valid config', () => {
  it('fills every default an operator may leave out', () => {
    const config = validConfig();
    expect(config.name).toBe('kubecdn');
    expect(config.periodSeconds).toBe(60);
    expect(config.dns.recordTtlSeconds).toBe(60);
    expect(config.thresholds).toEqual({
      scaleUpRequestsPerMinute: 3000,
      scaleUpPeriods: 3,
      scaleDownRequestsPerMinute: 1500,
      scaleDownPeriods: 15,
      cooldownMinutes: 30,
      perRegion: {},
    });
    expect(config.limits).toEqual({ maxConcurrentOperations: 3, maxRunningRegions: 8 });
    expect(config.cluster.mode).toBe('auto');
    expect(config.cluster.nodeGroup).toEqual({
      instanceTypes: ['m7i.large'],
      capacityType: 'ON_DEMAND',
      minSize: 1,
      desiredSize: 2,
      maxSize: 4,
    });
    expect(config.cluster.endpointAccess).toBe('private');
    expect(config.cluster.publicAccessCidrs).toBeUndefined();
    expect(config.workload).toEqual({
      manifestsDir: 'workload',
      originUrl: 'https://origin.example.com',
      servicePort: 80,
      healthCheckPath: '/healthz',
      rolloutRegionsAtOnce: 1,
    });
    expect(config.notifications.emails).toEqual([]);
    expect(config.dryRun).toBe(false);
  });

  it('lists always-on regions before scalable ones', () => {
    expect(configuredRegions(validConfig())).toEqual(['us-east-1', 'eu-west-1', 'ap-northeast-1']);
  });

  it('applies a per-region override on top of the global thresholds', () => {
    const config = validConfig((c) => {
      c.thresholds = {
        scaleUpRequestsPerMinute: 1000,
        scaleDownRequestsPerMinute: 400,
        perRegion: { 'eu-west-1': { scaleUpRequestsPerMinute: 5000, cooldownMinutes: 5 } },
      };
    });
    expect(thresholdsFor(config, 'eu-west-1')).toEqual({
      scaleUpRequestsPerMinute: 5000,
      scaleUpPeriods: 3,
      scaleDownRequestsPerMinute: 400,
      scaleDownPeriods: 15,
      cooldownMinutes: 5,
    });
    expect(thresholdsFor(config, 'ap-northeast-1').scaleUpRequestsPerMinute).toBe(1000);
  });

  it('treats scalable regions as cold standby unless marked warm', () => {
    const config = validConfig((c) => {
      c.standby = { 'ap-northeast-1': 'warm' };
    });
    expect(standbyFor(config, 'ap-northeast-1')).toBe('warm');
    expect(standbyFor(config, 'eu-west-1')).toBe('cold');
  });

  it('accepts keep-on schedules for scalable regions, by day names or a shorthand, including windows past midnight', () => {
    const config = validConfig((c) => {
      c.schedules = [
        { region: 'ap-northeast-1', days: 'weekdays', start: '08:00', end: '20:00', timeZone: 'Asia/Tokyo' },
        { region: 'eu-west-1', days: ['fri', 'sat'], start: '22:00', end: '02:00', timeZone: 'Europe/Dublin' },
        { region: 'eu-west-1', days: 'daily', start: '00:00', end: '24:00', timeZone: 'UTC' },
      ];
    });
    expect(config.schedules).toHaveLength(3);
    expect(validConfig().schedules).toBeUndefined();
  });

  it('leaves prediction off unless asked, with the AWS lead times as its defaults', () => {
    expect(validConfig().prediction).toEqual({
      enabled: false,
      coldStartMinutes: 14,
      warmStartMinutes: 4,
      coldStopMinutes: 14,
      warmStopMinutes: 4,
      breakEvenMinutes: 14,
      noiseMargin: 2,
      startMargin: 0.03,
      weeklySeasonality: true,
    });
    expect(validConfig((c) => (c.prediction = { enabled: true })).prediction.enabled).toBe(true);
  });

  it('accepts the $schema key editors use to find the JSON schema', () => {
    expect(validConfig((c) => (c.$schema = './regions.schema.json')).alwaysOn).toEqual(['us-east-1']);
  });
});

describe('a bad config is rejected with the field and what was expected', () => {
  const cases: [string, (input: Input) => void, string, RegExp][] = [
    [
      'a mistyped region code, with the nearest code suggested',
      (c) => (c.scalable = ['eu-wset-1']),
      '$.scalable[0]',
      /"eu-wset-1" is not an AWS region code; did you mean "eu-west-1"\?/,
    ],
    [
      'a region code nothing is close to',
      (c) => (c.alwaysOn = ['moon-base-1']),
      '$.alwaysOn[0]',
      /not an AWS region code; expected a code such as "eu-west-1"/,
    ],
    [
      'a home region that is not a region',
      (c) => (c.homeRegion = 'us-east-7'),
      '$.homeRegion',
      /"us-east-7" is not an AWS region code; did you mean/,
    ],
    ['a missing home region', (c) => delete (c as Record<string, unknown>).homeRegion, '$.homeRegion', /is required/],
    [
      'a home region that is not a string',
      (c) => ((c as Record<string, unknown>).homeRegion = 42),
      '$.homeRegion',
      /expected an AWS region code such as "eu-west-1", got 42/,
    ],
    ['a missing dns section', (c) => delete (c as Record<string, unknown>).dns, '$.dns', /is required; expected object/],
    ['no always-on region', (c) => (c.alwaysOn = []), '$.alwaysOn', /at least one always-on region/],
    [
      'a region in both lists',
      (c) => (c.scalable = ['eu-west-1', 'us-east-1']),
      '$.scalable[1]',
      /"us-east-1" is also in alwaysOn; a region is either always on or scalable/,
    ],
    [
      'a region listed twice',
      (c) => (c.scalable = ['eu-west-1', 'ap-northeast-1', 'eu-west-1']),
      '$.scalable[2]',
      /"eu-west-1" is listed twice \(also at scalable\[0\]\)/,
    ],
    [
      'a scale-down threshold equal to scale-up',
      (c) => (c.thresholds = { scaleUpRequestsPerMinute: 2000, scaleDownRequestsPerMinute: 2000 }),
      '$.thresholds.scaleDownRequestsPerMinute',
      /below the scale-up threshold \(2000\)/,
    ],
    [
      'a per-region override that inverts the thresholds',
      (c) => (c.thresholds = { perRegion: { 'eu-west-1': { scaleUpRequestsPerMinute: 1000 } } }),
      '$.thresholds.perRegion.eu-west-1.scaleUpRequestsPerMinute',
      /eu-west-1's scale-down threshold \(1500\) below its scale-up threshold \(1000\)/,
    ],
    [
      'an override for a region that is not configured',
      (c) => (c.thresholds = { perRegion: { 'sa-east-1': { cooldownMinutes: 5 } } }),
      '$.thresholds.perRegion.sa-east-1',
      /not in alwaysOn or scalable/,
    ],
    [
      'zero consecutive periods',
      (c) => (c.thresholds = { scaleUpPeriods: 0 }),
      '$.thresholds.scaleUpPeriods',
      /a whole number of at least 1/,
    ],
    [
      'fractional periods',
      (c) => (c.thresholds = { scaleDownPeriods: 2.5 }),
      '$.thresholds.scaleDownPeriods',
      /a whole number of at least 1/,
    ],
    [
      'a negative threshold',
      (c) => (c.thresholds = { scaleDownRequestsPerMinute: -1 }),
      '$.thresholds.scaleDownRequestsPerMinute',
      /of 0 or more/,
    ],
    [
      'a misspelled threshold field, with the right name suggested',
      (c) => (c.thresholds = { scaleUpPeriod: 3 } as never),
      '$.thresholds.scaleUpPeriod',
      /unknown field; did you mean "scaleUpPeriods"\?/,
    ],
    ['an unknown top-level field', (c) => (c.regions = ['eu-west-1']), '$.regions', /unknown field; expected one of: .*homeRegion/],
    [
      'a prediction lead time of zero',
      (c) => (c.prediction = { coldStartMinutes: 0 }),
      '$.prediction.coldStartMinutes',
      /expected the time from StartRegion to serving for a stopped region in whole minutes \(at least 1\)/,
    ],
    [
      'a fractional stop time',
      (c) => (c.prediction = { warmStopMinutes: 2.5 }),
      '$.prediction.warmStopMinutes',
      /in whole minutes \(at least 1\)/,
    ],
    [
      'a negative noise margin',
      (c) => (c.prediction = { noiseMargin: -1 }),
      '$.prediction.noiseMargin',
      /expected a number of standard deviations \(0 to 5\)/,
    ],
    [
      'a start margin above half the threshold',
      (c) => (c.prediction = { startMargin: 0.6 }),
      '$.prediction.startMargin',
      /expected a share of the scale-up threshold \(0 to 0.5\)/,
    ],
    [
      'prediction switched on with a string',
      (c) => (c.prediction = { enabled: 'yes' } as never),
      '$.prediction.enabled',
      /expected true or false/,
    ],
    [
      'a warm start slower than a cold one',
      (c) => (c.prediction = { coldStartMinutes: 10, warmStartMinutes: 12 }),
      '$.prediction.warmStartMinutes',
      /expected a warm start no longer than a cold start \(10 minutes\)/,
    ],
    [
      'a stop to warm standby slower than a cold stop',
      (c) => (c.prediction = { coldStopMinutes: 3 }),
      '$.prediction.warmStopMinutes',
      /expected a stop to warm standby no longer than a cold stop \(3 minutes\)/,
    ],
    ['an unknown prediction field', (c) => (c.prediction = { leadMinutes: 14 } as never), '$.prediction.leadMinutes', /unknown field/],
    ['a TTL too short', (c) => (c.dns.recordTtlSeconds = 1), '$.dns.recordTtlSeconds', /at least 10 seconds/],
    ['a TTL too long', (c) => (c.dns.recordTtlSeconds = 86400), '$.dns.recordTtlSeconds', /at most 3600 seconds/],
    [
      'a hosted zone id with its /hostedzone/ prefix',
      (c) => (c.dns.hostedZoneId = '/hostedzone/Z0123456789EXAMPLE0'),
      '$.dns.hostedZoneId',
      /no "\/hostedzone\/" prefix/,
    ],
    ['a domain name with a scheme', (c) => (c.dns.domainName = 'https://cdn.example.com'), '$.dns.domainName', /lower-case DNS name/],
    [
      'a CIDR with host bits set',
      (c) => (c.cluster = { endpointAccess: 'public', publicAccessCidrs: ['203.0.113.7/24'] }),
      '$.cluster.publicAccessCidrs[0]',
      /host bits set; did you mean "203.0.113.0\/24"\?/,
    ],
    [
      'a CIDR with an impossible prefix',
      (c) => (c.cluster = { endpointAccess: 'public', publicAccessCidrs: ['10.0.0.0/33'] }),
      '$.cluster.publicAccessCidrs[0]',
      /invalid prefix length/,
    ],
    [
      'a CIDR that is not an address',
      (c) => (c.cluster = { endpointAccess: 'public', publicAccessCidrs: ['300.1.2.3/8'] }),
      '$.cluster.publicAccessCidrs[0]',
      /invalid IPv4 address/,
    ],
    [
      'public access CIDRs on a private endpoint',
      (c) => (c.cluster = { publicAccessCidrs: ['203.0.113.0/24'] }),
      '$.cluster.publicAccessCidrs',
      /applies only with cluster.endpointAccess "public"; .* Remove it, or set cluster.endpointAccess to "public"/,
    ],
    [
      'an unknown endpoint access',
      (c) => (c.cluster = { endpointAccess: 'internal' as never }),
      '$.cluster.endpointAccess',
      /expected "private" \(reachable only inside the region's VPC\) or "public"/,
    ],
    [
      'an unknown cluster mode',
      (c) => (c.cluster = { mode: 'fargate' as never }),
      '$.cluster.mode',
      /expected one of "auto"\|"managed-nodegroup"/,
    ],
    [
      'a Kubernetes version that is not a minor version',
      (c) => (c.cluster = { kubernetesVersion: '1.34.2' }),
      '$.cluster.kubernetesVersion',
      /"1.34.2" is not a Kubernetes version EKS offers; expected one of "1.32", "1.33", "1.34", "1.35"/,
    ],
    [
      'a Kubernetes version EKS no longer offers',
      (c) => (c.cluster = { kubernetesVersion: '1.30' }),
      '$.cluster.kubernetesVersion',
      /"1.30" is not a Kubernetes version EKS offers; expected one of "1.32", "1.33", "1.34", "1.35"/,
    ],
    [
      'a Kubernetes version EKS does not offer yet',
      (c) => (c.cluster = { kubernetesVersion: '1.36' }),
      '$.cluster.kubernetesVersion',
      /"1.36" is not a Kubernetes version EKS offers/,
    ],
    [
      'node counts out of order',
      (c) => (c.cluster = { nodeGroup: { minSize: 3, desiredSize: 2, maxSize: 4 } }),
      '$.cluster.nodeGroup.desiredSize',
      /minSize <= desiredSize <= maxSize, got 3 <= 2 <= 4/,
    ],
    [
      'standby for an always-on region',
      (c) => (c.standby = { 'us-east-1': 'warm' }),
      '$.standby.us-east-1',
      /always on and never stopped; standby applies to scalable regions only/,
    ],
    [
      'an unknown standby mode',
      (c) => (c.standby = { 'eu-west-1': 'hot' as never }),
      '$.standby.eu-west-1',
      /expected one of "cold"\|"warm"/,
    ],
    [
      'fewer running regions allowed than always-on ones',
      (c) => ((c.alwaysOn = ['us-east-1', 'eu-west-1']), (c.scalable = []), (c.limits = { maxRunningRegions: 1 })),
      '$.limits.maxRunningRegions',
      /at least 2, the number of always-on regions/,
    ],
    [
      'zero concurrent operations',
      (c) => (c.limits = { maxConcurrentOperations: 0 }),
      '$.limits.maxConcurrentOperations',
      /a whole number of at least 1/,
    ],
    ['an origin that is not http(s)', (c) => (c.workload.originUrl = 'ftp://origin.example.com'), '$.workload.originUrl', /http\(s\) URL/],
    [
      'an origin with a query',
      (c) => (c.workload.originUrl = 'https://origin.example.com/?v=1'),
      '$.workload.originUrl',
      /without a query or fragment/,
    ],
    [
      'an origin with a user name',
      (c) => (c.workload.originUrl = 'https://me:secret@origin.example.com'),
      '$.workload.originUrl',
      /without a user name or password/,
    ],
    [
      'an origin nginx would read as a variable',
      (c) => (c.workload.originUrl = 'https://origin.example.com/$base'),
      '$.workload.originUrl',
      /without spaces, quotes, \$/,
    ],
    [
      'a health-check path without a leading slash',
      (c) => (c.workload = { originUrl: 'https://o.example.com', healthCheckPath: 'healthz' }),
      '$.workload.healthCheckPath',
      /starting with "\/"/,
    ],
    [
      'a service port out of range',
      (c) => (c.workload = { originUrl: 'https://o.example.com', servicePort: 70000 }),
      '$.workload.servicePort',
      /TCP port \(1-65535\)/,
    ],
    [
      "a plain-HTTP service port on the load balancer's HTTPS port",
      (c) => (c.workload = { originUrl: 'https://o.example.com', servicePort: 443 }),
      '$.workload.servicePort',
      /other than 443, which is the load balancer's HTTPS port/,
    ],
    [
      'no region at all per roll-out wave',
      (c) => (c.workload = { originUrl: 'https://o.example.com', rolloutRegionsAtOnce: 0 }),
      '$.workload.rolloutRegionsAtOnce',
      /expected a whole number of regions from 1 to 10/,
    ],
    [
      'more than 10 regions per roll-out wave',
      (c) => (c.workload = { originUrl: 'https://o.example.com', rolloutRegionsAtOnce: 11 }),
      '$.workload.rolloutRegionsAtOnce',
      /expected a whole number of regions from 1 to 10/,
    ],
    [
      'a fractional number of regions per roll-out wave',
      (c) => (c.workload = { originUrl: 'https://o.example.com', rolloutRegionsAtOnce: 1.5 }),
      '$.workload.rolloutRegionsAtOnce',
      /expected a whole number of regions from 1 to 10/,
    ],
    [
      'regions per roll-out wave given as text',
      (c) => (c.workload = { originUrl: 'https://o.example.com', rolloutRegionsAtOnce: '2' as never }),
      '$.workload.rolloutRegionsAtOnce',
      /expected a whole number of regions from 1 to 10/,
    ],
    [
      'a notification address that is not an e-mail',
      (c) => (c.notifications = { emails: ['ops-at-example.com'] }),
      '$.notifications.emails[0]',
      /expected an e-mail address/,
    ],
    ['a period that is not whole minutes', (c) => (c.periodSeconds = 90), '$.periodSeconds', /whole number of minutes in seconds/],
    ['a deployment name with capitals', (c) => (c.name = 'KubeCDN'), '$.name', /lower-case letters, digits and hyphens/],
    [
      'a schedule for a region that is not configured',
      (c) => (c.schedules = [{ region: 'sa-east-1', days: 'weekdays', start: '08:00', end: '20:00', timeZone: 'America/Sao_Paulo' }]),
      '$.schedules[0].region',
      /"sa-east-1" is not in scalable; schedules apply to scalable regions only/,
    ],
    [
      'a schedule for an always-on region',
      (c) => (c.schedules = [{ region: 'us-east-1', days: 'daily', start: '08:00', end: '20:00', timeZone: 'America/New_York' }]),
      '$.schedules[0].region',
      /always on and never stopped; schedules apply to scalable regions only/,
    ],
    [
      'a schedule with an unknown day',
      (c) =>
        (c.schedules = [
          { region: 'ap-northeast-1', days: ['mon', 'funday' as never], start: '08:00', end: '20:00', timeZone: 'Asia/Tokyo' },
        ]),
      '$.schedules[0].days',
      /expected "daily", "weekdays", "weekends" or a list of days such as \["mon", "tue"\]/,
    ],
    [
      'a schedule with no days',
      (c) => (c.schedules = [{ region: 'ap-northeast-1', days: [], start: '08:00', end: '20:00', timeZone: 'Asia/Tokyo' }]),
      '$.schedules[0].days',
      /got an empty list/,
    ],
    [
      'a schedule start that is not HH:MM',
      (c) => (c.schedules = [{ region: 'ap-northeast-1', days: 'weekdays', start: '8am', end: '20:00', timeZone: 'Asia/Tokyo' }]),
      '$.schedules[0].start',
      /expected a start time "HH:MM" on a 24-hour clock/,
    ],
    [
      'a schedule end past midnight',
      (c) => (c.schedules = [{ region: 'ap-northeast-1', days: 'weekdays', start: '08:00', end: '24:30', timeZone: 'Asia/Tokyo' }]),
      '$.schedules[0].end',
      /expected an end time "HH:MM" on a 24-hour clock, such as "20:00" \(or "24:00" for midnight\)/,
    ],
    [
      'a schedule that ends when it starts',
      (c) => (c.schedules = [{ region: 'ap-northeast-1', days: 'weekdays', start: '08:00', end: '08:00', timeZone: 'Asia/Tokyo' }]),
      '$.schedules[0].end',
      /different from the start \(08:00\); for a whole day use "00:00" to "24:00"/,
    ],
    [
      'a schedule with a time zone that is not IANA',
      (c) => (c.schedules = [{ region: 'ap-northeast-1', days: 'weekdays', start: '08:00', end: '20:00', timeZone: 'JST+9' }]),
      '$.schedules[0].timeZone',
      /expected an IANA time zone such as "Asia\/Tokyo"/,
    ],
    [
      'a schedule with a misspelled field, with the right name suggested',
      (c) =>
        (c.schedules = [{ region: 'ap-northeast-1', days: 'weekdays', start: '08:00', end: '20:00', timezone: 'Asia/Tokyo' } as never]),
      '$.schedules[0].timezone',
      /unknown field; did you mean "timeZone"\?/,
    ],
  ];

  it.each(cases)('%s', (_title, change, path, message) => {
    const problems = problemsOf(change);
    expect(problems).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('reports every problem at once, not just the first', () => {
    const problems = problemsOf((c) => {
      c.homeRegion = 'mars-1';
      c.scalable = ['us-east-1'];
      c.dns.recordTtlSeconds = 0;
    });
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['$.homeRegion', '$.dns.recordTtlSeconds']));
    expect(problems.length).toBeGreaterThanOrEqual(2);
  });

  it('reports rules across fields beside a field error: a mistyped region, a region in both lists and inverted thresholds', () => {
    const problems = problemsOf((c) => {
      c.scalable = ['eu-wset-1', 'us-east-1'];
      c.thresholds = { scaleUpRequestsPerMinute: 1000, scaleDownRequestsPerMinute: 2000 };
    });
    expect(problems).toEqual([
      { path: '$.scalable[0]', message: '"eu-wset-1" is not an AWS region code; did you mean "eu-west-1"?' },
      { path: '$.scalable[1]', message: '"us-east-1" is also in alwaysOn; a region is either always on or scalable, not both' },
      {
        path: '$.thresholds.scaleDownRequestsPerMinute',
        message: 'expected a scale-down threshold below the scale-up threshold (1000); equal or higher makes regions flap',
      },
    ]);
  });

  it('reports rules across sections when a field elsewhere is wrong', () => {
    const problems = problemsOf((c) => {
      c.homeRegion = 'us-esat-1';
      c.cluster = { nodeGroup: { minSize: 3, desiredSize: 2, maxSize: 4 } };
      c.prediction = { coldStartMinutes: 10, warmStartMinutes: 12 };
      c.schedules = [{ region: 'us-east-1', days: 'daily', start: '08:00', end: '08:00', timeZone: 'UTC' }];
    });
    expect(problems.map((p) => p.path)).toEqual([
      '$.homeRegion',
      '$.schedules[0].region',
      '$.schedules[0].end',
      '$.cluster.nodeGroup.desiredSize',
      '$.prediction.warmStartMinutes',
    ]);
  });

  it('says nothing a bad field would make up: no "not configured" for the region a typo meant, no default standing in for a rejected value', () => {
    const problems = problemsOf((c) => {
      c.scalable = ['eu-wset-1', 'ap-northeast-1'];
      c.thresholds = {
        perRegion: {
          'eu-west-1': { cooldownMinutes: 5 },
          'ap-northeast-1': { scaleUpRequestsPerMinute: 1000, scaleDownRequestsPerMinute: -1 },
        },
      };
      c.standby = { 'eu-west-1': 'warm' };
      c.schedules = [{ region: 'eu-west-1', days: 'weekdays', start: '08:00', end: '20:00', timeZone: 'Europe/Dublin' }];
    });
    expect(problems).toEqual([
      { path: '$.scalable[0]', message: '"eu-wset-1" is not an AWS region code; did you mean "eu-west-1"?' },
      { path: '$.thresholds.perRegion.ap-northeast-1.scaleDownRequestsPerMinute', message: 'expected requests per minute of 0 or more' },
    ]);
  });

  it('still reports what is certain beside a typo: an always-on region given standby, a duplicate among the valid regions', () => {
    const problems = problemsOf((c) => {
      c.scalable = ['eu-wset-1', 'ap-northeast-1', 'ap-northeast-1'];
      c.standby = { 'us-east-1': 'warm' };
    });
    expect(problems.map((p) => p.path)).toEqual(['$.scalable[0]', '$.scalable[2]', '$.standby.us-east-1']);
  });

  it('rejects input that is not an object at all', () => {
    const result = validateConfig(['us-east-1']);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toEqual({ path: '$', message: expect.stringMatching(/expected object, received array/) });
  });
});
