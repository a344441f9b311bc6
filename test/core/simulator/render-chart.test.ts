import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartSpec } from '../../../core/simulator/chart-spec';
import type { Trace } from '../../../core/traces';
import { validConfig } from '../../support/configs';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Compiles and renders a spec in a Node process of its own (Vega is ESM with top-level await,
 * which Jest's CommonJS runtime cannot load), in a time zone far from UTC: what a viewer in
 * Tokyo would get. Returns the compiled Vega scales (`name:type`) and the SVG.
 */
function renderInTokyo(spec: object): { scales: string[]; svg: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'kubecdn-chart-')), 'chart.vl.json');
  writeFileSync(file, JSON.stringify(spec));
  const script = `
    require('tsx/cjs');
    const { readFileSync } = require('node:fs');
    const { renderChartSvg } = require(${JSON.stringify(join(ROOT, 'core', 'simulator', 'render-chart.ts'))});
    const spec = JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8'));
    const scales = [];
    const collect = (node) => {
      if (Array.isArray(node)) return node.forEach(collect);
      if (node === null || typeof node !== 'object') return;
      if (Array.isArray(node.scales)) scales.push(...node.scales.map((s) => s.name + ':' + s.type));
      Object.values(node).forEach(collect);
    };
    import('vega-lite')
      .then((vegaLite) => collect(vegaLite.compile(spec).spec))
      .then(() => renderChartSvg(spec))
      .then((svg) => process.stdout.write(JSON.stringify({ scales, svg })));
  `;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'Asia/Tokyo' } });
  if (result.status !== 0) throw new Error(`rendering failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { scales: string[]; svg: string };
}

describe('the rendered chart', () => {
  it('has one time scale for every panel and strip, labelled in UTC wherever it is rendered', () => {
    const trace: Trace = {
      startMs: Date.UTC(2026, 10, 2),
      minutes: 120,
      regions: ['us-east-1'],
      requests: new Map([['us-east-1', Float64Array.from({ length: 120 }, (_, m) => m)]]),
    };
    const { scales, svg } = renderInTokyo(chartSpec(validConfig(), trace, new Map()));
    expect(scales.filter((scale) => /(^|_)x:/.test(scale))).toEqual(['x:utc']);
    // The trace starts at midnight UTC on Monday 2 November, 09:00 in Tokyo: the axis says 00:00.
    const xAxes = [...svg.matchAll(/aria-label="(X-axis[^"]*)"/g)].map((m) => m[1]);
    expect(xAxes).toEqual(Array(3).fill("X-axis titled 'time (UTC)' for a utc scale with values from Monday 00:00 to Monday 01:59"));
    expect(svg).not.toContain('>Mon 09:00<');
  }, 60_000);
});
