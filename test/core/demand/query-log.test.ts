import { countDemandByMinute, heartbeatName, parseQueryLogLine } from '../../../core/demand/query-log';

const line = (time: string, name: string, type: string, edge: string) =>
  `1.0 ${time} Z0123456789EXAMPLE0 ${name} ${type} NOERROR UDP ${edge} 192.0.2.1 -`;
const options = { domainName: 'cdn.example.com', regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'] };

describe('Route 53 query log lines', () => {
  it('parses time, name, type and edge location', () => {
    expect(parseQueryLogLine(line('2026-11-25T20:00:05.123Z', 'CDN.example.com.', 'a', 'FRA6'))).toEqual({
      timestamp: Date.parse('2026-11-25T20:00:05.123Z'),
      queryName: 'cdn.example.com',
      queryType: 'A',
      edgeLocation: 'FRA6',
    });
  });

  it('rejects lines that are not query log lines', () => {
    expect(parseQueryLogLine('')).toBeUndefined();
    expect(parseQueryLogLine('1.0 not-a-time Z1 cdn.example.com A NOERROR UDP FRA6 192.0.2.1 -')).toBeUndefined();
    expect(parseQueryLogLine('1.0 2026-11-25T20:00:05Z Z1')).toBeUndefined();
  });
});

describe('demand per minute per region', () => {
  it('counts A queries for the CDN name by the nearest configured region of the edge that answered', () => {
    const minutes = countDemandByMinute(
      [
        line('2026-11-25T20:00:01Z', 'cdn.example.com', 'A', 'FRA6'),
        line('2026-11-25T20:00:02Z', 'cdn.example.com', 'A', 'DUB2'),
        line('2026-11-25T20:00:03Z', 'cdn.example.com', 'A', 'NRT12'),
        line('2026-11-25T20:00:59Z', 'img.cdn.example.com', 'A', 'IAD89-C1'),
      ],
      options,
    );
    expect(minutes).toEqual([
      {
        minute: Date.parse('2026-11-25T20:00:00Z'),
        perRegion: { 'us-east-1': 1, 'eu-west-1': 2, 'ap-northeast-1': 1 },
        unattributed: 0,
        unknownEdges: [],
      },
    ]);
  });

  it('ignores other record types and other names in the zone', () => {
    const minutes = countDemandByMinute(
      [
        line('2026-11-25T20:00:01Z', 'cdn.example.com', 'AAAA', 'FRA6'),
        line('2026-11-25T20:00:01Z', 'www.example.com', 'A', 'FRA6'),
        line('2026-11-25T20:00:01Z', 'notcdn.example.com', 'A', 'FRA6'),
      ],
      options,
    );
    expect(minutes).toEqual([]);
  });

  it('gives every region a value (0 when quiet) in each minute that saw a query, and splits minutes', () => {
    const minutes = countDemandByMinute(
      [line('2026-11-25T20:01:00Z', 'cdn.example.com', 'A', 'FRA6'), line('2026-11-25T20:00:30Z', 'cdn.example.com', 'A', 'FRA6')],
      options,
    );
    expect(minutes.map((m) => m.minute)).toEqual([Date.parse('2026-11-25T20:00:00Z'), Date.parse('2026-11-25T20:01:00Z')]);
    for (const m of minutes) expect(m.perRegion).toEqual({ 'us-east-1': 0, 'eu-west-1': 1, 'ap-northeast-1': 0 });
  });

  it('counts queries from unknown edge locations as unattributed instead of guessing', () => {
    const [minute] = countDemandByMinute([line('2026-11-25T20:00:01Z', 'cdn.example.com', 'A', 'QQQ7')], options);
    expect(minute?.unattributed).toBe(1);
    expect(minute?.unknownEdges).toEqual(['QQQ']);
    expect(Object.values(minute?.perRegion ?? {})).toEqual([0, 0, 0]);
  });

  it('gives every region a 0 in a minute that holds only the autoscaler’s heartbeat, and counts the heartbeat nowhere', () => {
    const name = heartbeatName('cdn.example.com', Date.parse('2026-11-25T20:03:00Z'));
    expect(name).toBe('kubecdn-heartbeat-1795636980.cdn.example.com');
    expect(countDemandByMinute([line('2026-11-25T20:03:00.5Z', name, 'A', 'IAD89-C1')], options)).toEqual([
      {
        minute: Date.parse('2026-11-25T20:03:00Z'),
        perRegion: { 'us-east-1': 0, 'eu-west-1': 0, 'ap-northeast-1': 0 },
        unattributed: 0,
        unknownEdges: [],
      },
    ]);
  });
});
