import type { Atom } from '../chemistry/xyz';

const coordinate = (v: number) => (Object.is(v, -0) ? 0 : v).toFixed(8).padStart(14);

/** "El   x y z" lines with fixed widths: the same molecule always gives the same bytes. */
export function atomLines(atoms: Atom[]): string[] {
  return atoms.map((a) => `${a.symbol.padEnd(2)} ${coordinate(a.x)} ${coordinate(a.y)} ${coordinate(a.z)}`);
}
