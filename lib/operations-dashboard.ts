import { demandMeaning, demandUnit } from '../core/demand/demand-description';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { configuredRegions, type KubeCdnConfig, thresholdsFor } from '../core/config';
import { demandMetricQueries, demandMetricsRegions } from '../core/demand/demand-queries';
import {
  ACTION_DIMENSION,
  AUTOSCALER_METRICS,
  AUTOSCALER_NAMESPACE,
  REGION_DIMENSION,
  SERVICE_DIMENSION,
} from '../lambdas/autoscaler/metric-names';
import { edgeHealthWidgets } from './edge-health-widgets';

export interface OperationsDashboardProps {
  readonly config: KubeCdnConfig;
  /** The autoscaler function: its errors, and the log group its decision lines go to. */
  readonly autoscaler: lambda.IFunction;
  /** The `service` dimension of the autoscaler's custom metrics. */
  readonly autoscalerServiceName: string;
  readonly autoscalerLogGroupName: string;
  readonly startRegion: sfn.IStateMachine;
  readonly stopRegion: sfn.IStateMachine;
  /** The workflows operators and deploys run (RolloutWorkload, PurgeCache, ...), by name: their outcomes get a graph of their own. */
  readonly operatorWorkflows?: Readonly<Record<string, sfn.IStateMachine>>;
}

/** An autoscaler metric (namespace KubeCdn, dimension service), one datapoint per tick. */
export function autoscalerMetric(
  props: { config: KubeCdnConfig; autoscalerServiceName: string },
  metricName: string,
  statistic: string,
  extraDimensions: Record<string, string> = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: AUTOSCALER_NAMESPACE,
    metricName,
    dimensionsMap: { [SERVICE_DIMENSION]: props.autoscalerServiceName, ...extraDimensions },
    statistic,
    period: Duration.seconds(props.config.periodSeconds),
  });
}

/**
 * The operator's view: per region, the demand the autoscaler sees against the thresholds it
 * applies, and what the edges served and how well; how many regions run and what that costs; what the autoscaler decided; how the
 * workflows went; which regions operators pinned; and the latest non-trivial decisions with their reasons.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const { config } = props;
    const period = Duration.seconds(config.periodSeconds);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${config.name}-operations`,
      defaultInterval: Duration.hours(6),
    });

    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        width: 24,
        height: 3,
        markdown: [
          `## kubecdn ${config.name}: ${config.dns.domainName}${config.dryRun ? ' — **DRY RUN: decisions are logged, nothing is started or stopped**' : ''}`,
          `Demand is ${demandMeaning(config)}. ` +
            `A stopped region starts after its demand stays above the red line for its scale-up periods; a running scalable region stops after it stays below the green line for its scale-down periods. ` +
            `Periods of ${config.periodSeconds / 60} min; see docs/autoscaler.md.`,
        ].join('\n\n'),
      }),
    );

    const regionWidgets = configuredRegions(config).map((region) => this.demandWidget(config, region, period));
    for (let i = 0; i < regionWidgets.length; i += 4) this.dashboard.addWidgets(...regionWidgets.slice(i, i + 4));
    for (const row of edgeHealthWidgets(config)) this.dashboard.addWidgets(...row);

    const hourlyCost = autoscalerMetric(props, AUTOSCALER_METRICS.estimatedHourlyCost, 'Maximum');
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Regions running',
        width: 8,
        left: [
          autoscalerMetric(props, AUTOSCALER_METRICS.regionsRunning, 'Maximum').with({ label: 'running' }),
          // Clusters up without a DNS record: they bill and serve nobody until the autoscaler repairs them.
          autoscalerMetric(props, AUTOSCALER_METRICS.regionsStranded, 'Maximum').with({
            label: 'stranded',
            color: cloudwatch.Color.ORANGE,
          }),
        ],
        leftAnnotations: [{ value: config.limits.maxRunningRegions, label: 'maxRunningRegions', color: cloudwatch.Color.RED }],
        leftYAxis: { min: 0, showUnits: false },
      }),
      new cloudwatch.GraphWidget({
        title: 'Estimated cost of running regions (USD per hour)',
        width: 8,
        left: [hourlyCost.with({ label: 'USD/hour' })],
        leftYAxis: { min: 0, showUnits: false },
      }),
      new cloudwatch.SingleValueWidget({
        title: 'Estimated cost at the current rate (USD per month, 730 h)',
        width: 8,
        height: 6,
        metrics: [
          new cloudwatch.MathExpression({ expression: 'hourly * 730', usingMetrics: { hourly: hourlyCost }, label: 'USD/month', period }),
        ],
      }),
    );

    const workflowMetric = (machine: sfn.IStateMachine, name: string, label: string) =>
      machine.metric(name, { statistic: 'Sum', period: Duration.minutes(5), label });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Autoscaler decisions per tick',
        width: 8,
        stacked: true,
        left: (['start', 'stop', 'none'] as const).map((action) =>
          autoscalerMetric(props, AUTOSCALER_METRICS.decisions, 'Sum', { [ACTION_DIMENSION]: action }).with({ label: action }),
        ),
        leftYAxis: { min: 0, showUnits: false },
      }),
      new cloudwatch.GraphWidget({
        title: 'Region workflows (5 min)',
        width: 8,
        left: [
          workflowMetric(props.startRegion, 'ExecutionsSucceeded', 'StartRegion succeeded'),
          workflowMetric(props.stopRegion, 'ExecutionsSucceeded', 'StopRegion succeeded'),
        ],
        right: [
          workflowMetric(props.startRegion, 'ExecutionsFailed', 'StartRegion failed'),
          workflowMetric(props.startRegion, 'ExecutionsTimedOut', 'StartRegion timed out'),
          workflowMetric(props.stopRegion, 'ExecutionsFailed', 'StopRegion failed'),
          workflowMetric(props.stopRegion, 'ExecutionsTimedOut', 'StopRegion timed out'),
        ],
        leftYAxis: { min: 0, showUnits: false },
        rightYAxis: { min: 0, showUnits: false },
      }),
      new cloudwatch.GraphWidget({
        title: 'Autoscaler health',
        width: 8,
        left: [
          props.autoscaler.metricErrors({ period, label: 'errors' }),
          autoscalerMetric(props, AUTOSCALER_METRICS.actionFailures, 'Sum').with({ label: 'workflow starts refused' }),
          autoscalerMetric(props, AUTOSCALER_METRICS.regionsUnknown, 'Maximum').with({ label: 'regions unreadable' }),
          autoscalerMetric(props, AUTOSCALER_METRICS.regionsWithoutDemand, 'Maximum').with({ label: 'regions without demand data' }),
          autoscalerMetric(props, AUTOSCALER_METRICS.regionsSilent, 'Maximum').with({
            label: 'serving regions whose edges report nothing',
          }),
        ],
        leftYAxis: { min: 0, showUnits: false },
      }),
    );

    // The autoscaler reads every cluster's version each tick: drift from the config (an upgrade that
    // halted or never ran) and versions near or past the end of EKS standard support, which bills
    // the control plane at about six times the standard price.
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `Cluster Kubernetes versions (configured: ${config.cluster.kubernetesVersion})`,
        width: 24,
        height: 4,
        left: [
          autoscalerMetric(props, AUTOSCALER_METRICS.clustersOffConfiguredVersion, 'Maximum').with({
            label: 'clusters not at the configured version',
            color: cloudwatch.Color.ORANGE,
          }),
          autoscalerMetric(props, AUTOSCALER_METRICS.clustersNearEndOfSupport, 'Maximum').with({
            label: 'clusters within 60 days of the end of standard support, or past it',
            color: cloudwatch.Color.RED,
          }),
        ],
        leftYAxis: { min: 0, showUnits: false },
      }),
    );

    // A datapoint only while a region is overridden: an empty graph means no override in force.
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Overrides in force (kubecdn override): +1 pinned on, -1 pinned off',
        width: 24,
        height: 4,
        left: configuredRegions(config).map((region) =>
          autoscalerMetric(props, AUTOSCALER_METRICS.regionOverride, 'Average', { [REGION_DIMENSION]: region }).with({ label: region }),
        ),
        leftYAxis: { min: -1, max: 1, showUnits: false },
      }),
    );

    const operatorWorkflows = Object.entries(props.operatorWorkflows ?? {});
    if (operatorWorkflows.length > 0) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: `${operatorWorkflows.map(([name]) => name).join(', ')} (5 min)`,
          width: 24,
          left: operatorWorkflows.map(([name, machine]) => workflowMetric(machine, 'ExecutionsSucceeded', `${name} succeeded`)),
          right: operatorWorkflows.flatMap(([name, machine]) => [
            workflowMetric(machine, 'ExecutionsFailed', `${name} failed`),
            workflowMetric(machine, 'ExecutionsTimedOut', `${name} timed out`),
          ]),
          leftYAxis: { min: 0, showUnits: false },
          rightYAxis: { min: 0, showUnits: false },
        }),
      );
    }

    const region = Stack.of(this).region;
    new CfnOutput(this, 'Url', {
      value: `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${config.name}-operations`,
      description: 'The operations dashboard: demand against thresholds per region, regions running, cost, decisions, workflows',
    });

    this.dashboard.addWidgets(
      new cloudwatch.LogQueryWidget({
        title: 'Latest starts and stops decided (with reasons)',
        width: 24,
        height: 6,
        logGroupNames: [props.autoscalerLogGroupName],
        queryLines: [
          'fields @timestamp, region, action, phase, demand, outcome, reason',
          'filter message = "region decision" and action != "none"',
          'sort @timestamp desc',
          'limit 50',
        ],
      }),
    );
  }

  /** Demand for one region as the autoscaler reads it (per minute), with its two thresholds. */
  private demandWidget(config: KubeCdnConfig, region: string, period: Duration): cloudwatch.GraphWidget {
    const query = demandMetricQueries(config).find((q) => q.region === region)!;
    const perMinute = query.stat === 'Sum' || query.stat === 'SampleCount' ? 60 / config.periodSeconds : 1;
    const lines = demandMetricsRegions(config).map((metricsRegion, i) => {
      const raw = new cloudwatch.Metric({
        namespace: query.namespace,
        metricName: query.metricName,
        dimensionsMap: Object.fromEntries(query.dimensions.map((d) => [d.Name, d.Value])),
        statistic: query.stat,
        period,
        region: metricsRegion,
      });
      const label = demandMetricsRegions(config).length > 1 ? `demand (from ${metricsRegion})` : 'demand';
      return perMinute === 1
        ? raw.with({ label })
        : new cloudwatch.MathExpression({ expression: `m${i} * ${perMinute}`, usingMetrics: { [`m${i}`]: raw }, label, period });
    });
    const t = thresholdsFor(config, region);
    const alwaysOn = config.alwaysOn.includes(region);
    return new cloudwatch.GraphWidget({
      title: `${region}${alwaysOn ? ' (always on)' : ''}: demand per minute`,
      width: 6,
      height: 6,
      left: lines,
      leftAnnotations: [
        { value: t.scaleUpRequestsPerMinute, label: `start above (${t.scaleUpPeriods} periods)`, color: cloudwatch.Color.RED },
        { value: t.scaleDownRequestsPerMinute, label: `stop below (${t.scaleDownPeriods} periods)`, color: cloudwatch.Color.GREEN },
      ],
      leftYAxis: { min: 0, showUnits: false, label: demandUnit(config) },
      legendPosition: cloudwatch.LegendPosition.BOTTOM,
    });
  }
}
