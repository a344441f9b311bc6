import { missingDemandRemedy } from '../core/demand/demand-description';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { KubeCdnConfig } from '../core/config';
import { AUTOSCALER_METRICS } from '../lambdas/autoscaler/metric-names';
import { autoscalerMetric } from './operations-dashboard';

export interface OperationsAlarmsProps {
  readonly config: KubeCdnConfig;
  readonly autoscaler: lambda.IFunction;
  /** The `service` dimension of the autoscaler's custom metrics. */
  readonly autoscalerServiceName: string;
  readonly startRegion: sfn.IStateMachine;
  readonly stopRegion: sfn.IStateMachine;
  /** Where alarms go: the operations topic, with the config's e-mail subscribers. */
  readonly topic: sns.ITopic;
}

/**
 * Alarms an operator must hear about, each to the operations topic (and its recovery too):
 * a region workflow failed; the autoscaler failed or stopped running; some region has had no
 * demand data for config.demand.missingDataAlarmMinutes (the autoscaler holds such regions, so
 * they neither start nor stop until data returns).
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

    const action = new actions.SnsAction(props.topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }

  private add(alarm: cloudwatch.Alarm): void {
    this.alarms.push(alarm);
  }
}
