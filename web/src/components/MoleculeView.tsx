import type { Atom } from '../../../src/chemistry/xyz';

const COLOURS: Record<string, string> = {
  H: '#e8e8e8',
  C: '#444',
  N: '#3050f8',
  O: '#ff0d0d',
  F: '#90e050',
  Cl: '#1ff01f',
  S: '#e6c020',
  P: '#ff8000',
  Br: '#a62929',
  I: '#940094',
};
const RADII: Record<string, number> = {
  H: 0.31,
  C: 0.76,
  N: 0.71,
  O: 0.66,
  F: 0.57,
  Cl: 1.02,
  S: 1.05,
  P: 1.07,
  Br: 1.2,
  I: 1.39,
};

/**
 * A 2D view of the molecule: atoms projected on their two widest axes, bonds where two atoms are
 * closer than 1.2 × the sum of their covalent radii. Enough to see that the right molecule was pasted.
 */
export function MoleculeView({ atoms }: { atoms: Atom[] }) {
  if (atoms.length === 0) return null;
  const axes = (['x', 'y', 'z'] as const)
    .map((a) => ({ a, spread: Math.max(...atoms.map((t) => t[a])) - Math.min(...atoms.map((t) => t[a])) }))
    .sort((p, q) => q.spread - p.spread)
    .map((p) => p.a);
  const [u, v, w] = axes;
  const xs = atoms.map((t) => t[u]);
  const ys = atoms.map((t) => t[v]);
  const minX = Math.min(...xs) - 1;
  const minY = Math.min(...ys) - 1;
  const width = Math.max(...xs) - minX + 1;
  const height = Math.max(...ys) - minY + 1;
  const bonds: [number, number][] = [];
  if (atoms.length <= 200) {
    for (let i = 0; i < atoms.length; i++) {
      for (let j = i + 1; j < atoms.length; j++) {
        const d = Math.hypot(atoms[i].x - atoms[j].x, atoms[i].y - atoms[j].y, atoms[i].z - atoms[j].z);
        if (d < 1.2 * ((RADII[atoms[i].symbol] ?? 0.8) + (RADII[atoms[j].symbol] ?? 0.8))) bonds.push([i, j]);
      }
    }
  }
  const order = atoms.map((_, i) => i).sort((i, j) => atoms[i][w] - atoms[j][w]);
  return (
    <svg
      className="molecule"
      viewBox={`${minX} ${minY} ${width} ${height}`}
      role="img"
      aria-label={`2D view of ${atoms.length} atoms`}
    >
      {bonds.map(([i, j]) => (
        <line
          key={`${i}-${j}`}
          x1={atoms[i][u]}
          y1={atoms[i][v]}
          x2={atoms[j][u]}
          y2={atoms[j][v]}
          stroke="#888"
          strokeWidth={0.08}
        />
      ))}
      {order.map((i) => (
        <circle
          key={i}
          cx={atoms[i][u]}
          cy={atoms[i][v]}
          r={0.25 + (RADII[atoms[i].symbol] ?? 0.8) * 0.25}
          fill={COLOURS[atoms[i].symbol] ?? '#c080ff'}
          stroke="#222"
          strokeWidth={0.03}
        >
          <title>{`${atoms[i].symbol}${i + 1}`}</title>
        </circle>
      ))}
    </svg>
  );
}
