/**
 * The units of LAMMPS thermo columns, from the LAMMPS manual's "units" command page (each style's
 * mass, distance, time, energy, temperature, pressure and density units) and "thermo_style" page
 * (which keyword is which quantity). `lj` is reduced: ε, σ, m, k_B = 1.
 */
export interface LammpsUnits {
  energy: string;
  force: string;
  temperature: string;
  pressure: string;
  distance: string;
  volume: string;
  density: string;
  time: string;
}

export const LAMMPS_UNITS: Record<string, LammpsUnits> = {
  lj: {
    energy: 'ε',
    force: 'ε/σ',
    temperature: 'ε/k_B',
    pressure: 'ε/σ³',
    distance: 'σ',
    volume: 'σ³',
    density: 'm/σ³',
    time: 'τ',
  },
  real: {
    energy: 'kcal/mol',
    force: 'kcal/mol/Å',
    temperature: 'K',
    pressure: 'atm',
    distance: 'Å',
    volume: 'Å³',
    density: 'g/cm³',
    time: 'fs',
  },
  metal: {
    energy: 'eV',
    force: 'eV/Å',
    temperature: 'K',
    pressure: 'bar',
    distance: 'Å',
    volume: 'Å³',
    density: 'g/cm³',
    time: 'ps',
  },
  si: {
    energy: 'J',
    force: 'N',
    temperature: 'K',
    pressure: 'Pa',
    distance: 'm',
    volume: 'm³',
    density: 'kg/m³',
    time: 's',
  },
  cgs: {
    energy: 'erg',
    force: 'dyne',
    temperature: 'K',
    pressure: 'dyne/cm²',
    distance: 'cm',
    volume: 'cm³',
    density: 'g/cm³',
    time: 's',
  },
  electron: {
    energy: 'Eh',
    force: 'Eh/bohr',
    temperature: 'K',
    pressure: 'Pa',
    distance: 'bohr',
    volume: 'bohr³',
    density: 'amu/bohr³',
    time: 'fs',
  },
  micro: {
    energy: 'pg·µm²/µs²',
    force: 'pg·µm/µs²',
    temperature: 'K',
    pressure: 'pg/(µm·µs²)',
    distance: 'µm',
    volume: 'µm³',
    density: 'pg/µm³',
    time: 'µs',
  },
  nano: {
    energy: 'ag·nm²/ns²',
    force: 'ag·nm/ns²',
    temperature: 'K',
    pressure: 'ag/(nm·ns²)',
    distance: 'nm',
    volume: 'nm³',
    density: 'ag/nm³',
    time: 'ns',
  },
};

/** The quantity a thermo keyword is (thermo_style's list); custom columns (c_, v_, f_) have no known unit. */
const KIND_OF: Record<string, keyof LammpsUnits> = {
  Temp: 'temperature',
  Press: 'pressure',
  Volume: 'volume',
  Density: 'density',
  Time: 'time',
  Dt: 'time',
};
const ENERGY = /^(TotEng|PotEng|KinEng|Enthalpy|Ecouple|Econserve|E_\w+)$/;
const PRESSURE = /^P(xx|yy|zz|xy|xz|yz)$/;
const DISTANCE = /^(L[xyz]|[XYZ](lo|hi)|X[yz]|Yz|Cell[ABC])$/;

/** The unit of a thermo column in a units style, or null when LAMMPS does not define one (counts, custom columns). */
export function thermoUnit(column: string, units: LammpsUnits): string | null {
  const kind =
    KIND_OF[column] ??
    (ENERGY.test(column) ? 'energy' : PRESSURE.test(column) ? 'pressure' : DISTANCE.test(column) ? 'distance' : null);
  return kind ? units[kind] : null;
}

/** Columns that are counters, not quantities to plot against the step. */
export const NOT_PLOTTED = new Set([
  'Step',
  'Elapsed',
  'Elaplong',
  'CPU',
  'T/CPU',
  'S/CPU',
  'CPULeft',
  'Part',
  'TimeoutLeft',
  'Atoms',
]);
