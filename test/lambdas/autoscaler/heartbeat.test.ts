import { sendHeartbeat } from '../../../lambdas/autoscaler/heartbeat';
import { validConfig } from '../../support/configs';
import { TICK } from './fixtures';

const notFound = (hostname: string) => Object.assign(new Error(`queryA ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });

describe('the demand heartbeat', () => {
  const config = validConfig((c) => (c.demand = { source: 'route53-query-logs' }));

  it('looks up a name under the CDN domain that is new every tick, and takes NXDOMAIN as success', async () => {
    const asked: string[] = [];
    const resolve = async (hostname: string) => {
      asked.push(hostname);
      throw notFound(hostname);
    };
    expect(await sendHeartbeat(resolve, config, TICK)).toEqual({
      sent: true,
      name: `kubecdn-heartbeat-${TICK / 1000}.cdn.example.com`,
      answered: true,
    });
    await sendHeartbeat(resolve, config, TICK + 60_000);
    expect(new Set(asked).size).toBe(2);
  });

  it('reports a lookup that fails otherwise or hangs, without throwing', async () => {
    const refused = await sendHeartbeat(
      async () => Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })),
      config,
      TICK,
    );
    expect(refused).toMatchObject({ sent: true, answered: false, error: 'ECONNREFUSED: refused' });
    const hung = await sendHeartbeat(() => new Promise(() => {}), config, TICK, 20);
    expect(hung).toMatchObject({ sent: true, answered: false, error: expect.stringMatching(/did not answer within 20 ms/) });
  });

  it('is not sent when demand is counted by the edges, which report every minute', async () => {
    const resolve = jest.fn();
    expect(await sendHeartbeat(resolve, validConfig(), TICK)).toEqual({ sent: false });
    expect(resolve).not.toHaveBeenCalled();
  });

  it('is not sent when demand comes from a brought metric', async () => {
    const brought = validConfig((c) => (c.demand = { source: 'cloudwatch-metric', metric: { namespace: 'Edge', metricName: 'Requests' } }));
    const resolve = jest.fn();
    expect(await sendHeartbeat(resolve, brought, TICK)).toEqual({ sent: false });
    expect(resolve).not.toHaveBeenCalled();
  });
});
