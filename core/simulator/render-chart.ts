/**
 * Renders the `--plot` chart (a Vega-Lite spec from chart-spec.ts) to SVG in Node: vega-lite
 * compiles it to Vega, and Vega's headless view ('none' renderer) writes SVG with no browser and
 * no canvas. Both packages are ESM with top-level await, so they are loaded with import(), which
 * also keeps them off the start-up path of every other command.
 */
export async function renderChartSvg(vegaLiteSpec: object): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const { spec } = vegaLite.compile(vegaLiteSpec as Parameters<typeof vegaLite.compile>[0]);
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
