import { Match, Template } from 'aws-cdk-lib/assertions';
import { validConfig } from '../support/configs';
import { autoscalerStack, dashboardBody } from './autoscaler-fixture';

describe('the operations dashboard', () => {
  const config = validConfig((c) => (c.thresholds = { perRegion: { 'eu-west-1': { scaleUpRequestsPerMinute: 5000 } } }));
  const body = dashboardBody(Template.fromStack(autoscalerStack(config).stack));
  const titled = (title: RegExp) => body.widgets.filter((w) => title.test(String(w.properties.title ?? '')));

  it('shows each region’s demand per minute against its own start and stop thresholds, read from the home region', () => {
    const europe = titled(/^eu-west-1: demand per minute/)[0]!;
    expect(europe.properties.annotations).toEqual({
      horizontal: [
        expect.objectContaining({ value: 5000, label: 'start above (3 periods)' }),
        expect.objectContaining({ value: 1500, label: 'stop below (15 periods)' }),
      ],
    });
    expect(JSON.stringify(europe.properties.metrics)).toContain('"KubeCdn/Edge","ViewerRequests","Project","kubecdn","Region","eu-west-1"');
    expect(europe.properties.region).toBeDefined();
    expect(JSON.stringify(europe.properties.metrics)).toContain('"region":"us-east-1"');
    expect(titled(/^us-east-1 \(always on\): demand per minute/)).toHaveLength(1);
    expect(titled(/^ap-northeast-1: demand per minute/)).toHaveLength(1);
  });

  it('shows regions running against the cap, the estimated cost, decisions by action, and workflow outcomes', () => {
    expect(JSON.stringify(titled(/^Regions running$/)[0]!.properties)).toContain('"RegionsRunning","service","kubecdn-autoscaler"');
    expect(JSON.stringify(titled(/^Regions running$/)[0]!.properties)).toContain('"RegionsStranded","service","kubecdn-autoscaler"');
    expect(JSON.stringify(titled(/Estimated cost of running regions/)[0]!.properties)).toContain('EstimatedHourlyCostUSD');
    expect(JSON.stringify(titled(/USD per month/)[0]!.properties)).toContain('hourly * 730');
    const decisions = JSON.stringify(titled(/decisions per tick/)[0]!.properties);
    for (const action of ['start', 'stop', 'none']) expect(decisions).toContain(`"Action","${action}"`);
    const workflows = JSON.stringify(titled(/Region workflows/)[0]!.properties);
    for (const metric of ['ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut']) expect(workflows).toContain(metric);
    expect(workflows).toContain('stateMachine:kubecdn-StartRegion');
    expect(workflows).toContain('stateMachine:kubecdn-StopRegion');
  });

  it('shows the overrides in force, one line per configured region from the autoscaler’s RegionOverride metric', () => {
    const [widget] = titled(/^Overrides in force/);
    const metrics = JSON.stringify(widget!.properties.metrics);
    for (const region of ['us-east-1', 'eu-west-1', 'ap-northeast-1'])
      expect(metrics).toContain(`"KubeCdn","RegionOverride","Region","${region}","service","kubecdn-autoscaler"`);
    expect(widget!.properties.yAxis).toEqual({ left: { min: -1, max: 1, showUnits: false } });
  });

  it('graphs what the roll-outs and purges operators and deploys run came to', () => {
    const [widget] = titled(/^RolloutWorkload, PurgeCache \(5 min\)$/);
    const metrics = JSON.stringify(widget!.properties.metrics);
    for (const machine of ['kubecdn-RolloutWorkload', 'kubecdn-PurgeCache'])
      for (const outcome of ['ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut'])
        expect(metrics).toContain(
          `"AWS/States","${outcome}","StateMachineArn","arn:aws:states:us-east-1:123456789012:stateMachine:${machine}"`,
        );
  });

  it('graphs clusters off the configured Kubernetes version and clusters near or past the end of standard support', () => {
    const versions = titled(/^Cluster Kubernetes versions \(configured: 1\.35\)$/);
    expect(versions).toHaveLength(1);
    const metrics = JSON.stringify(versions[0]!.properties.metrics);
    expect(metrics).toContain('"ClustersOffConfiguredVersion","service","kubecdn-autoscaler"');
    expect(metrics).toContain('"ClustersNearEndOfStandardSupport","service","kubecdn-autoscaler"');
  });

  it('lists the latest starts and stops with their reasons from the decision log lines', () => {
    const [logs] = body.widgets.filter((w) => w.type === 'log');
    expect(String(logs!.properties.query)).toContain('filter message = "region decision" and action != "none"');
  });

  it('scales a 5-minute sum to requests per minute, like the autoscaler does', () => {
    const five = dashboardBody(Template.fromStack(autoscalerStack(validConfig((c) => (c.periodSeconds = 300))).stack));
    const europe = five.widgets.find((w) => String(w.properties.title).startsWith('eu-west-1'))!;
    expect(JSON.stringify(europe.properties.metrics)).toContain('m0 * 0.2');
  });

  it('plots a brought metric from each region that holds it', () => {
    const brought = validConfig((c) => {
      c.demand = {
        source: 'cloudwatch-metric',
        metric: { namespace: 'Edge', metricName: 'Requests', metricsRegions: ['us-east-1', 'eu-west-1'] },
      };
    });
    const europe = dashboardBody(Template.fromStack(autoscalerStack(brought).stack)).widgets.find((w) =>
      String(w.properties.title).startsWith('eu-west-1'),
    )!;
    const text = JSON.stringify(europe.properties.metrics);
    expect(text).toContain('demand (from us-east-1)');
    expect(text).toContain('demand (from eu-west-1)');
    expect(text).toContain('"Edge","Requests","Region","eu-west-1"');
  });

  it('gives its console address as a stack output', () => {
    const outputs = Template.fromStack(autoscalerStack(validConfig()).stack).findOutputs('*', {
      Description: Match.stringLikeRegexp('operations dashboard'),
    });
    expect(Object.values(outputs).map((o) => o.Value)).toEqual([
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=kubecdn-operations',
    ]);
  });

  it('says so at the top when the autoscaler runs dry', () => {
    const dry = dashboardBody(Template.fromStack(autoscalerStack(validConfig((c) => (c.dryRun = true))).stack));
    expect(String(dry.widgets[0]!.properties.markdown)).toMatch(/DRY RUN/);
  });
});
