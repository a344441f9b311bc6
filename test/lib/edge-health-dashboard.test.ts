import { Template } from 'aws-cdk-lib/assertions';
import { configuredRegions } from '../../core/config';
import { manyRegionsConfigInput, validConfig } from '../support/configs';
import { validateConfig } from '../../core/config';
import { autoscalerStack, dashboardBody, type DashboardWidget } from './autoscaler-fixture';

/** The expressions a graph plots, in order. */
const expressions = (widget: DashboardWidget) =>
  (widget.properties.metrics as unknown[][]).map((m) => (m[0] as { expression?: string; label?: string } | undefined) ?? {});

describe('the edge health on the operations dashboard', () => {
  const config = validConfig();
  const body = dashboardBody(Template.fromStack(autoscalerStack(config).stack));
  const titled = (title: string) => {
    const found = body.widgets.filter((w) => w.properties.title === title);
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const search = (metric: string, stat: string, extra = '') =>
    `SEARCH('{KubeCdn/Edge,EdgeRegion,Project${extra ? ',StatusClass' : ''}} MetricName="${metric}" Project="kubecdn"${extra}', '${stat}', 60)`;

  it('graphs each measure once, one line per edge region of this project, labelled with the region', () => {
    const cases: Array<[string, string]> = [
      ['Requests served per minute', search('Requests', 'Sum')],
      ['Cache hit ratio (%)', `100 * ${search('CacheHit', 'Average')}`],
      ['Bytes to viewers per minute', search('BytesToViewers', 'Sum')],
      ['5xx share of responses (%)', `100 * ${search('ServerError', 'Average')}`],
      ['Origin errors per minute', search('OriginErrors', 'Sum')],
      ['Origin latency p50 (ms)', search('OriginLatency', 'p50')],
      ['Origin latency p95 (ms)', search('OriginLatency', 'p95')],
    ];
    for (const [title, expression] of cases) {
      expect(expressions(titled(title))).toEqual([expect.objectContaining({ expression, label: "${PROP('Dim.EdgeRegion')}" })]);
    }
  });

  it('stacks the responses of all regions by status class, 2xx to 5xx', () => {
    const widget = titled('Responses per minute by status class (all regions)');
    expect(widget.properties.stacked).toBe(true);
    expect(expressions(widget)).toEqual(
      ['2xx', '3xx', '4xx', '5xx'].map((statusClass) =>
        expect.objectContaining({ expression: `SUM(${search('Responses', 'Sum', ` StatusClass="${statusClass}"`)})`, label: statusClass }),
      ),
    );
  });

  it('draws the 5xx alarm threshold from the config on the 5xx share', () => {
    const strict = dashboardBody(
      Template.fromStack(autoscalerStack(validConfig((c) => (c.edgeMonitoring = { alarms: { serverErrorPercent: 2 } }))).stack),
    );
    const widget = strict.widgets.find((w) => w.properties.title === '5xx share of responses (%)')!;
    expect(widget.properties.annotations).toEqual({
      horizontal: [expect.objectContaining({ value: 2, label: 'alarm above 2% for 5 min' })],
    });
  });

  it('shows the silent serving regions beside the autoscaler’s other health counts', () => {
    expect(JSON.stringify(titled('Autoscaler health').properties)).toContain('"RegionsSilent","service","kubecdn-autoscaler"');
  });

  it('says what the demand graphs count for edge-counted demand', () => {
    const edges = dashboardBody(Template.fromStack(autoscalerStack(validConfig((c) => (c.demand = { source: 'edge-requests' }))).stack));
    const header = String(edges.widgets[0]!.properties.markdown);
    expect(header).toContain('HTTP requests per minute from viewers whose nearest configured region it is');
    expect(header).toContain('counted by the running edges');
    const europe = edges.widgets.find((w) => /^eu-west-1: demand per minute/.test(String(w.properties.title)))!;
    expect(europe.properties.yAxis).toEqual({ left: expect.objectContaining({ label: 'HTTP requests/min' }) });
    expect(JSON.stringify(europe.properties.metrics)).toContain('"KubeCdn/Edge","ViewerRequests","Project","kubecdn","Region","eu-west-1"');
  });

  it('keeps the same edge health graphs whatever the number of regions', () => {
    const result = validateConfig(manyRegionsConfigInput(30));
    if (!result.ok) throw new Error('the fixture must validate');
    expect(configuredRegions(result.config)).toHaveLength(30);
    const big = dashboardBody(Template.fromStack(autoscalerStack(result.config).stack));
    const edgeGraphs = (b: { widgets: DashboardWidget[] }) =>
      b.widgets.filter((w) => JSON.stringify(w.properties.metrics ?? []).includes('KubeCdn/Edge,')).map((w) => w.properties.title);
    expect(edgeGraphs(big)).toEqual(edgeGraphs(body));
    expect(edgeGraphs(body)).toHaveLength(9);
  });
});
