import { element } from './elements';

export const MAX_ATOMS = 500;

export interface Atom {
  symbol: string;
  x: number;
  y: number;
  z: number;
}

export interface Molecule {
  comment: string;
  atoms: Atom[];
  /** Sum of atomic numbers (electrons of the neutral molecule). */
  nuclearCharge: number;
}

/** A problem with an XYZ text, with the 1-based line it is on when there is one. */
export class XyzError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line ? `line ${line}: ${message}` : message);
  }
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eEdD][-+]?\d+)?$/;

function coordinate(text: string, line: number): number {
  if (!NUMBER.test(text)) throw new XyzError(`"${text.slice(0, 20)}" is not a number`, line);
  const value = Number(text.replace(/[dD]/, 'e'));
  if (!Number.isFinite(value) || Math.abs(value) > 1e4)
    throw new XyzError(`coordinate ${text.slice(0, 20)} is not finite or beyond 10000 Å`, line);
  return value;
}

/**
 * Parses XYZ: either the standard form (atom count, comment, atoms) or bare atom lines.
 * Element symbols are checked, coordinates must be finite, at most MAX_ATOMS atoms.
 */
export function parseXyz(text: string): Molecule {
  if (text.includes('\0')) throw new XyzError('contains a NUL character');
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  let first = 0;
  let comment = '';
  let declared: number | undefined;
  if (lines.length > 0 && /^\s*\d+\s*$/.test(lines[0])) {
    declared = Number(lines[0].trim());
    comment = (lines[1] ?? '').trim();
    first = 2;
  }
  const atoms: Atom[] = [];
  for (let i = first; i < lines.length; i++) {
    const n = i + 1;
    const fields = lines[i].trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === '') throw new XyzError('blank line among the atoms', n);
    if (fields.length < 4) throw new XyzError('expected "Element x y z"', n);
    const el = element(fields[0]);
    if (!el) throw new XyzError(`unknown element symbol "${fields[0].slice(0, 10)}"`, n);
    atoms.push({
      symbol: el.symbol,
      x: coordinate(fields[1], n),
      y: coordinate(fields[2], n),
      z: coordinate(fields[3], n),
    });
    if (atoms.length > MAX_ATOMS) throw new XyzError(`more than ${MAX_ATOMS} atoms`);
  }
  if (atoms.length === 0) throw new XyzError('no atoms');
  if (declared !== undefined && declared !== atoms.length)
    throw new XyzError(`first line says ${declared} atoms but ${atoms.length} follow`, 1);
  const nuclearCharge = atoms.reduce((sum, a) => sum + element(a.symbol)!.z, 0);
  return { comment, atoms, nuclearCharge };
}

/** Why charge and multiplicity cannot describe this molecule, or null when they can. */
export function spinProblem(molecule: Molecule, charge: number, multiplicity: number): string | null {
  const electrons = molecule.nuclearCharge - charge;
  if (electrons < 0) return `charge ${charge} leaves ${electrons} electrons`;
  if ((electrons + multiplicity) % 2 === 0) {
    return `multiplicity ${multiplicity} is impossible with ${electrons} electrons (${electrons % 2 ? 'odd' : 'even'} electron count needs ${electrons % 2 ? 'an even' : 'an odd'} multiplicity)`;
  }
  if (multiplicity - 1 > electrons)
    return `multiplicity ${multiplicity} needs more than ${electrons} unpaired electrons`;
  return null;
}
