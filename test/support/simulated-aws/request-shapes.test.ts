/** The request checker refuses what the real service would reject, one rule at a time, and passes a well-formed request. */
import { GetMetricDataCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateNodegroupCommand, DescribeClusterCommand } from '@aws-sdk/client-eks';
import { CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { PublishCommand } from '@aws-sdk/client-sns';
import { requestShapeProblems } from './request-shapes';

const problems = (command: { input: unknown; schema?: unknown }) => requestShapeProblems(command);
const lockItem = { region: { S: 'eu-west-1' }, owner: { S: 'exec-1' }, expiresAt: { N: '1700000000' } };

describe('requestShapeProblems', () => {
  it('passes a well-formed request, nested members, enums and unions included', () => {
    expect(
      problems(
        new PutItemCommand({
          TableName: 'locks',
          Item: { ...lockItem, tags: { L: [{ S: 'a' }, { M: { n: { N: '1' } } }] }, held: { BOOL: true }, gone: { NULL: true } },
          ConditionExpression: 'attribute_not_exists(#r)',
          ExpressionAttributeNames: { '#r': 'region' },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    ).toEqual([]);
  });

  it('refuses a DynamoDB number sent as a JSON number: N must be a string', () => {
    expect(problems(new PutItemCommand({ TableName: 'locks', Item: { ...lockItem, expiresAt: { N: 1700000000 as never } } }))).toEqual([
      'PutItem$.Item.expiresAt.N: must be a string, got the number 1700000000',
    ]);
  });

  it('refuses an unknown member at any depth, naming the structure and its members', () => {
    expect(problems(new DescribeClusterCommand({ nmae: 'x' } as never))).toEqual([
      'DescribeCluster$.nmae: not a member of DescribeClusterRequest (members: name)',
      'DescribeCluster$.name: required by DescribeClusterRequest',
    ]);
    const [problem] = problems(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: 'Z1',
        ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'a.', Type: 'A', Regoin: 'eu-west-1' } as never }] },
      }),
    );
    expect(problem).toMatch(
      /^ChangeResourceRecordSets\$\.ChangeBatch\.Changes\[0\]\.ResourceRecordSet\.Regoin: not a member of ResourceRecordSet \(members: Name, Type, /,
    );
  });

  it('refuses a missing required member, also one set to null (the SDK drops nulls)', () => {
    expect(problems(new GetItemCommand({ TableName: 'locks' } as never))).toEqual(['GetItem$.Key: required by GetItemInput']);
    expect(problems(new GetItemCommand({ TableName: null, Key: { region: { S: 'x' } } } as never))).toEqual([
      'GetItem$.TableName: required by GetItemInput',
    ]);
  });

  it('refuses a wrong primitive: string, number, boolean, timestamp, blob', () => {
    expect(problems(new DescribeClusterCommand({ name: 7 as never }))).toEqual([
      'DescribeCluster$.name: must be a string, got the number 7',
    ]);
    expect(
      problems(
        new CreateNodegroupCommand({
          clusterName: 'c',
          nodegroupName: 'n',
          subnets: ['s'],
          nodeRole: 'r',
          scalingConfig: { minSize: '1' as never, desiredSize: 1 },
          nodeRepairConfig: { enabled: 'yes' as never },
        }),
      ),
    ).toEqual([
      'CreateNodegroup$.scalingConfig.minSize: must be a number, got the string "1"',
      'CreateNodegroup$.nodeRepairConfig.enabled: must be a boolean, got the string "yes"',
    ]);
    expect(
      problems(new GetMetricDataCommand({ MetricDataQueries: [], StartTime: '2026-01-01T00:00:00Z' as never, EndTime: new Date('x') })),
    ).toEqual([
      'GetMetricData$.StartTime: must be a timestamp (a valid Date), got the string "2026-01-01T00:00:00Z"',
      'GetMetricData$.EndTime: must be a timestamp (a valid Date), got a Date',
    ]);
    expect(problems(new PutItemCommand({ TableName: 't', Item: { b: { B: 5 as never } } }))).toEqual([
      'PutItem$.Item.b.B: must be a blob (bytes or a string), got the number 5',
    ]);
  });

  it('refuses a map where a list belongs and a list where a map belongs', () => {
    expect(
      problems(new CreateNodegroupCommand({ clusterName: 'c', nodegroupName: 'n', nodeRole: 'r', subnets: { a: 's' } as never })),
    ).toEqual(['CreateNodegroup$.subnets: must be a list, got a map']);
    expect(problems(new PutItemCommand({ TableName: 't', Item: [{ S: 'x' }] as never }))).toEqual([
      'PutItem$.Item: must be a map (PutItemInputAttributeMap), got a list',
    ]);
    expect(problems(new PublishCommand({ Message: 'm', MessageAttributes: { a: [] as never } }))).toEqual([
      'Publish$.MessageAttributes.a: must be a structure (MessageAttributeValue), got a list',
    ]);
  });

  it('refuses a value outside an enum: a member, list items and map keys', () => {
    expect(problems(new PutItemCommand({ TableName: 't', Item: lockItem, ReturnValues: 'EVERYTHING' as never }))).toEqual([
      'PutItem$.ReturnValues: "EVERYTHING" is not a value of ReturnValue ("ALL_NEW", "ALL_OLD", "NONE", "UPDATED_NEW", "UPDATED_OLD")',
    ]);
    expect(
      problems(
        new GetMetricStatisticsCommand({
          Namespace: 'n',
          MetricName: 'm',
          StartTime: new Date(0),
          EndTime: new Date(1),
          Period: 60,
          Statistics: ['Sum', 'Avg' as never],
        }),
      ),
    ).toEqual([
      'GetMetricStatistics$.Statistics[1]: "Avg" is not a value of Statistic ("Average", "Maximum", "Minimum", "SampleCount", "Sum")',
    ]);
    expect(
      problems(
        new CreateEventSourceMappingCommand({
          FunctionName: 'f',
          SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['b:9092'], BROKERS: ['b:9092'] } as never },
        }),
      ),
    ).toEqual([
      'CreateEventSourceMapping$.SelfManagedEventSource.Endpoints key "BROKERS": "BROKERS" is not a value of EndPointType ("KAFKA_BOOTSTRAP_SERVERS")',
    ]);
  });

  it('refuses a union with no member or more than one set', () => {
    expect(problems(new PutItemCommand({ TableName: 't', Item: { a: {} as never, b: { S: '1', N: '1' } as never } }))).toEqual([
      'PutItem$.Item.a: AttributeValue is a union: exactly one of S, N, B, SS, NS, BS, M, L, NULL, BOOL must be set, got none',
      'PutItem$.Item.b: AttributeValue is a union: exactly one of S, N, B, SS, NS, BS, M, L, NULL, BOOL must be set, got S, N',
    ]);
    expect(problems(new PutItemCommand({ TableName: 't', Item: { a: { L: [{ M: { x: { S: 'a', BOOL: false } } }] } as never } }))).toEqual([
      'PutItem$.Item.a.L[0].M.x: AttributeValue is a union: exactly one of S, N, B, SS, NS, BS, M, L, NULL, BOOL must be set, got S, BOOL',
    ]);
  });

  it('says so when a command carries no operation schema', () => {
    class HandMadeCommand {
      readonly input = {};
    }
    expect(problems(new HandMadeCommand())).toEqual([
      'HandMadeCommand: the command carries no operation schema; its request cannot be checked',
    ]);
  });
});
