import { missingDemandRemedy } from '../core/demand/demand-description';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { configuredRegions, type KubeCdnConfig } from '../core/config';
import { SERVER_ERROR_METRIC } from '../core/edge-metrics/edge-metric-names';
import { AUTOSCALER_METRICS } from '../lambdas/autoscaler/metric-names';
import { edgeHealthMetric } from './edge-metric';
import { autoscalerMetric } from './operations-dashboard';

export interface OperationsAlarmsProps {
  readonly config: KubeCdnConfig;
  readonly autoscaler: lambda.IFunction;
  /** The `service` dimension of the autoscaler's custom metrics. */
  readonly autoscalerServiceName: string;
  readonly startRegion: sfn.IStateMachine;
  readonly stopRegion: sfn.IStateMachine;
  /** Where alarms go: the operations topic, and the alarm e-mails where those are apart (OperationsTopic.alarmTopics). */
  readonly topics: readonly sns.ITopic[];
}

/**
 * Alarms an operator must hear about, each to the operations topic (and its recovery too):
 * a region workflow failed; the autoscaler failed or stopped running; some region has had no
 * demand data for config.demand.missingDataAlarmMinutes (the autoscaler holds such regions, so
 * they neither start nor stop until data returns); a region's edges answer too many requests with
 * 5xx; a serving region's edges report nothing; a cluster stays off the configured Kubernetes
 * version, or its version nears the end of EKS standard support.
 */
export class OperationsAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const { config } = props;
    const period = Duration.seconds(config.periodSeconds);
    const name = (what: string) => `${config.name}-${what}`;

    for (const [machine, label] of [
      [props.startRegion, 'StartRegion'],
      [props.stopRegion, 'StopRegion'],
    ] as const) {
      const failures = new cloudwatch.MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
        usingMetrics: {
          failed: machine.metricFailed({ statistic: 'Sum', period: Duration.minutes(5) }),
          timedOut: machine.metricTimedOut({ statistic: 'Sum', period: Duration.minutes(5) }),
          aborted: machine.metricAborted({ statistic: 'Sum', period: Duration.minutes(5) }),
        },
        period: Duration.minutes(5),
        label: `${label} executions failed, timed out or aborted`,
      });
      this.add(
        failures.createAlarm(this, `${label}Failed`, {
          alarmName: name(`${label}-failed`),
          alarmDescription: `A ${label} execution failed, timed out or was aborted. Its execution history names the failed step and cause; a failed start rolls the region back to stopped.`,
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    this.add(
      props.autoscaler.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }).createAlarm(this, 'AutoscalerErrors', {
        alarmName: name('autoscaler-errors'),
        alarmDescription:
          'The autoscaler Lambda failed (could not start a workflow, or crashed). Its log lines at level ERROR say why; regions are not changed while it fails.',
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    this.add(
      props.autoscaler.metricInvocations({ statistic: 'Sum', period }).createAlarm(this, 'AutoscalerNotRunning', {
        alarmName: name('autoscaler-not-running'),
        alarmDescription:
          'The autoscaler has not run for 3 periods: the schedule is disabled or the function is throttled. Regions are not being changed.',
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );

    const missingPeriods = Math.ceil((config.demand.missingDataAlarmMinutes * 60) / config.periodSeconds);
    this.add(
      autoscalerMetric(props, AUTOSCALER_METRICS.regionsWithoutDemand, 'Maximum').createAlarm(this, 'DemandDataMissing', {
        alarmName: name('demand-data-missing'),
        alarmDescription:
          `Some region has had no demand datapoint for ${config.demand.missingDataAlarmMinutes} minutes. The autoscaler holds such regions (missing data never stops one). ` +
          missingDemandRemedy(config),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: missingPeriods,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    const { serverErrorPercent, serverErrorMinutes, silentMinutes } = config.edgeMonitoring.alarms;
    for (const region of configuredRegions(config)) {
      // ServerError is published as values 1 and 0 with counts, so its Average is the 5xx share.
      this.add(
        edgeHealthMetric(config, region, SERVER_ERROR_METRIC, 'Average').createAlarm(this, `EdgeServerErrors-${region}`, {
          alarmName: name(`${region}-edge-5xx`),
          alarmDescription:
            `More than ${serverErrorPercent}% of the requests the ${region} edges answered were 5xx, for ${serverErrorMinutes} minutes in a row. ` +
            'The dashboard shows whether the origin fails (origin errors, origin latency) or the edge itself; the sampled access logs name the requests.',
          threshold: serverErrorPercent / 100,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: serverErrorMinutes,
          datapointsToAlarm: serverErrorMinutes,
          // A stopped region's edges publish nothing, and a minute without requests has no share.
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    this.add(
      autoscalerMetric(props, AUTOSCALER_METRICS.regionsSilent, 'Maximum').createAlarm(this, 'EdgesSilent', {
        alarmName: name('edges-silent'),
        alarmDescription:
          `A serving region's edges have published nothing for ${silentMinutes} minutes: its viewers are missing from the demand every region reads, and its health is not seen. ` +
          'The autoscaler\'s log line "serving regions whose edges report nothing" names the regions; check the metrics-agent container of the edge-nginx pods there (its log, and its Pod Identity association).',
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // The autoscaler publishes it each tick it could check; a tick that could not is not an alarm (the autoscaler's own alarms cover that).
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    // Versions change over hours, not minutes: hourly datapoints. An upgrade takes hours, so drift
    // alarms only once it has lasted 6 of them; a version entering its last 60 days of standard
    // support alarms within the hour (the dashboard and the autoscaler's log name the clusters).
    const hourly = (metric: string) => autoscalerMetric(props, metric, 'Maximum').with({ period: Duration.hours(1) });
    this.add(
      hourly(AUTOSCALER_METRICS.clustersOffConfiguredVersion).createAlarm(this, 'ClusterVersionDrift', {
        alarmName: name('cluster-version-drift'),
        alarmDescription:
          `Some cluster has not run cluster.kubernetesVersion (${config.cluster.kubernetesVersion}) for 6 hours: an upgrade halted or never ran. ` +
          'The autoscaler\'s log line "cluster Kubernetes versions need attention" names them; run UpgradeClusters (kubecdn docs/upgrades.md).',
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 6,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.add(
      hourly(AUTOSCALER_METRICS.clustersNearEndOfSupport).createAlarm(this, 'ClusterSupportEnding', {
        alarmName: name('cluster-support-ending'),
        alarmDescription:
          'Some cluster runs a Kubernetes version within 60 days of the end of EKS standard support, or past it (the control plane then bills at about six times the standard price). ' +
          'Raise cluster.kubernetesVersion and deploy: the deploy upgrades the clusters (docs/upgrades.md).',
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    for (const topic of props.topics) {
      const action = new actions.SnsAction(topic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }

  private add(alarm: cloudwatch.Alarm): void {
    this.alarms.push(alarm);
  }
}
