import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface Plot {
  title: string;
  svg: string;
}

async function render(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** y against x as a line with points (thermo quantity against step, energy against cycle). */
export async function linePlot(title: string, x: string, y: string, points: { x: number; y: number }[]): Promise<Plot> {
  const svg = await render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 480,
    height: 240,
    data: { values: points },
    mark: { type: 'line', point: points.length <= 60 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: x },
      y: { field: 'y', type: 'quantitative', title: y, scale: { zero: false } },
    },
  });
  return { title, svg };
}

/** A stick spectrum: one vertical line per frequency, as tall as its IR intensity. */
export async function stickSpectrum(title: string, sticks: { frequency: number; intensity: number }[]): Promise<Plot> {
  const svg = await render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 480,
    height: 240,
    data: { values: sticks.map((s) => ({ ...s, zero: 0 })) },
    mark: { type: 'rule', strokeWidth: 2 },
    encoding: {
      x: { field: 'frequency', type: 'quantitative', title: 'wavenumber (cm⁻¹)', scale: { reverse: true } },
      y: { field: 'zero', type: 'quantitative', title: 'IR intensity (km/mol)' },
      y2: { field: 'intensity' },
    },
  });
  return { title, svg };
}
