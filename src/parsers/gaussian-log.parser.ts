import { symbolOf } from '../chemistry/elements';

export interface GaussianLog {
  /** "Gaussian 16 ES64L-G16RevC.01", from the banner. */
  programVersion: string | null;
  /** The first route section ("#p b3lyp/sto-3g freq …"), its lines joined. */
  route: string | null;
  /** Every route section, one per step of a --Link1-- job. */
  routes: string[];
  /** The last MP2 energy (EUMP2, Eh). */
  mp2Energy: number | null;
  /** The converged CCSD energy (the last E(CORR) of a CCSD/CCSD(T) section, Eh). */
  ccsdEnergy: number | null;
  /** The CCSD(T) energy (Eh). */
  ccsdTEnergy: number | null;
  /** One entry per job step (a --Link1-- job, or opt freq's own second step): its route and how it ended. */
  steps: GaussianStep[];
  /** TD/CIS excited states as printed: energy (eV), wavelength (nm), oscillator strength. */
  excitedStates: {
    state: number;
    symmetry: string;
    energyEv: number;
    wavelengthNm: number;
    oscillatorStrength: number;
  }[];
  /** How many steps ended "Normal termination" (a --Link1-- job has several). */
  normalTerminations: number;
  /** The last dipole moment printed (Debye, total). */
  dipoleDebye: number | null;
  /** Thermochemistry of a frequency job (Hartree/particle), null without one. */
  thermochemistry: Thermochemistry | null;
  charge: number | null;
  multiplicity: number | null;
  atomCount: number | null;
  /** Every "SCF Done" energy (Eh) in order, with the method label and whether that SCF converged. */
  scfEnergies: { method: string; energy: number; cycles: number; converged: boolean }[];
  finalScfEnergy: number | null;
  normalTermination: boolean;
  errorLines: string[];
  /** The link an error termination names ("l9999"), or null. */
  errorLink: string | null;
  homo: number | null;
  lumo: number | null;
  gapEv: number | null;
  finalGeometry: {
    orientation: 'Standard' | 'Input';
    atoms: { z: number; symbol: string; x: number; y: number; zCoord: number }[];
  } | null;
  frequencies: number[];
  irIntensities: number[];
  optimisation: {
    lastStep: number | null;
    maxSteps: number | null;
    completed: boolean;
    stepsExceeded: boolean;
    stationaryPoint: boolean;
  };
  scfConvergenceFailure: boolean;
}

export interface GaussianStep {
  route: string | null;
  /** 'normal' or 'error' termination; null when the log ends before the step does. */
  termination: 'normal' | 'error' | null;
}

export interface Thermochemistry {
  zeroPointCorrection: number;
  thermalEnthalpyCorrection: number | null;
  thermalFreeEnergyCorrection: number | null;
  electronicPlusZeroPoint: number | null;
  electronicPlusThermalEnthalpy: number | null;
  electronicPlusThermalFreeEnergy: number | null;
}

const THERMO_LINES: [RegExp, keyof Thermochemistry][] = [
  [/^Thermal correction to Enthalpy=\s+(\S+)/, 'thermalEnthalpyCorrection'],
  [/^Thermal correction to Gibbs Free Energy=\s+(\S+)/, 'thermalFreeEnergyCorrection'],
  [/^Sum of electronic and zero-point Energies=\s+(\S+)/, 'electronicPlusZeroPoint'],
  [/^Sum of electronic and thermal Enthalpies=\s+(\S+)/, 'electronicPlusThermalEnthalpy'],
  [/^Sum of electronic and thermal Free Energies=\s+(\S+)/, 'electronicPlusThermalFreeEnergy'],
];

const HARTREE_EV = 27.211386245988;
const SCF_DONE = /SCF Done:\s+E\((\S+)\)\s+=\s+(\S+)\s+A\.U\. after\s+(\d+)\s+cycles/;

/** Fixed-width eigenvalues (5F10.5 after "-- "): split by width, as values may touch. */
function eigenvalues(line: string): number[] {
  const body = line.slice(line.indexOf('--') + 3);
  const values: number[] = [];
  for (let i = 0; i + 10 <= body.length + 1; i += 10) {
    const chunk = body.slice(i, i + 10).trim();
    if (chunk) values.push(Number(chunk));
  }
  return values.filter((v) => Number.isFinite(v));
}

/**
 * Parses a Gaussian log: SCF energies (with convergence), termination and its error link,
 * charge/multiplicity, atom count, final geometry, HOMO/LUMO (α), frequencies with IR
 * intensities (one set, even with freq=hpmodes) and optimisation convergence.
 */
export function parseGaussianLog(text: string): GaussianLog {
  const lines = text.split(/\r?\n/);
  const out: GaussianLog = {
    programVersion: null,
    route: null,
    routes: [],
    mp2Energy: null,
    ccsdEnergy: null,
    ccsdTEnergy: null,
    steps: [],
    excitedStates: [],
    normalTerminations: 0,
    dipoleDebye: null,
    thermochemistry: null,
    charge: null,
    multiplicity: null,
    atomCount: null,
    scfEnergies: [],
    finalScfEnergy: null,
    normalTermination: false,
    errorLines: [],
    errorLink: null,
    homo: null,
    lumo: null,
    gapEv: null,
    finalGeometry: null,
    frequencies: [],
    irIntensities: [],
    optimisation: { lastStep: null, maxSteps: null, completed: false, stepsExceeded: false, stationaryPoint: false },
    scfConvergenceFailure: false,
  };
  let lastOcc: number[] = [];
  let lastVirt: number[] = [];
  let inAlphaBlock = false;
  let previousContent = '';
  let inCoupledCluster = false;
  /** The step a termination line ends: the last one still open, or a new one when no route was seen. */
  const endStep = (termination: 'normal' | 'error') => {
    const open = out.steps.find((step) => step.termination === null);
    if (open) open.termination = termination;
    // Gaussian may print two error lines for one failure ("request processed by link 9999", "via Lnk1e")
    else if (!(termination === 'error' && out.steps[out.steps.length - 1]?.termination === 'error'))
      out.steps.push({ route: null, termination });
  };
  const hpFrequencies: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    let m: RegExpExecArray | null;
    if (out.programVersion === null && (m = /^\s*Gaussian (\d+):\s+(\S+)/.exec(line)))
      out.programVersion = `Gaussian ${m[1]} ${m[2]}`;
    if (out.charge === null && (m = /Charge =\s*(-?\d+)\s+Multiplicity =\s*(\d+)/.exec(line))) {
      out.charge = Number(m[1]);
      out.multiplicity = Number(m[2]);
    }
    if (out.atomCount === null && (m = /NAtoms=\s*(\d+)/.exec(line))) out.atomCount = Number(m[1]);
    if ((m = SCF_DONE.exec(line))) {
      out.scfEnergies.push({
        method: m[1],
        energy: Number(m[2].replace(/D/i, 'E')),
        cycles: Number(m[3]),
        converged: !/Convergence criterion not met/.test(previousContent),
      });
    }
    // link 502 ("… -- run terminated."), or the quadratically convergent SCF (SCF=QC/XQC, link 508) with a bare line
    if (/Convergence failure -- run terminated/.test(t) || t === 'Convergence failure.')
      out.scfConvergenceFailure = true;
    if (/^Normal termination of Gaussian/.test(t)) {
      out.normalTermination = true;
      out.normalTerminations += 1;
      endStep('normal');
    }
    if (/^#/.test(t) && /^-+$/.test(lines[i - 1]?.trim() ?? '')) {
      const parts = [];
      // Gaussian wraps the route at a fixed width, mid-word if need be: the lines join as they are (after the leading space)
      for (let k = i; k < lines.length && !/^-+$/.test(lines[k].trim()); k++) parts.push(lines[k].replace(/^ /, ''));
      out.routes.push(parts.join('').trim());
      out.route ??= out.routes[0];
      out.steps.push({ route: out.routes[out.routes.length - 1], termination: null });
    }
    // link 913's banner: "CCSD(T)" for CCSD(T), "Coupled Cluster theory with single and double substitutions" for plain
    // CCSD (Gaussian 16), then E(CORR) per iteration; CCD's and QCISD's banners differ, so they are not taken
    if (
      /^(CCSD(\(T\))?|Coupled Cluster theory with single and double substitutions)$/.test(t) &&
      /^=+$/.test(lines[i + 1]?.trim() ?? '')
    )
      inCoupledCluster = true;
    if (inCoupledCluster && (m = /E\(CORR\)=\s*(-?\d+\.\d+)/i.exec(t))) out.ccsdEnergy = Number(m[1]);
    if (/^Leave Link\s+913/.test(t)) inCoupledCluster = false;
    if ((m = /^CCSD\(T\)=\s*(-?[\d.]+[DE][-+]\d+)/.exec(t))) out.ccsdTEnergy = Number(m[1].replace('D', 'E'));
    if ((m = /EUMP2 =\s*(-?[\d.]+[DE][-+]\d+)/.exec(t))) out.mp2Energy = Number(m[1].replace('D', 'E'));
    if ((m = /^Excited State\s+(\d+):\s+(\S+)\s+(-?\d+\.\d+) eV\s+(-?\d+\.\d+) nm\s+f=(-?\d+\.\d+)/.exec(t))) {
      out.excitedStates.push({
        state: Number(m[1]),
        symmetry: m[2],
        energyEv: Number(m[3]),
        wavelengthNm: Number(m[4]),
        oscillatorStrength: Number(m[5]),
      });
    }
    if (
      /^Dipole moment \(field-independent basis, Debye\):/.test(t) &&
      (m = /Tot=\s*(-?\d+\.\d+)/.exec(lines[i + 1] ?? ''))
    )
      out.dipoleDebye = Number(m[1]);
    if ((m = /^Zero-point correction=\s+(\S+)/.exec(t))) {
      out.thermochemistry = {
        zeroPointCorrection: Number(m[1]),
        thermalEnthalpyCorrection: null,
        thermalFreeEnergyCorrection: null,
        electronicPlusZeroPoint: null,
        electronicPlusThermalEnthalpy: null,
        electronicPlusThermalFreeEnergy: null,
      };
    }
    if (out.thermochemistry)
      for (const [re, key] of THERMO_LINES) if ((m = re.exec(t))) out.thermochemistry[key] = Number(m[1]);
    if (/^Error termination/.test(t)) {
      out.errorLines.push(t);
      endStep('error');
      if ((m = /(l\d+)\.exe/.exec(t))) out.errorLink = m[1];
    }
    if (/^Alpha\s+occ\. eigenvalues --/.test(t)) {
      if (!inAlphaBlock) {
        lastOcc = [];
        lastVirt = [];
        inAlphaBlock = true;
      }
      lastOcc.push(...eigenvalues(line));
    } else if (/^Alpha virt\. eigenvalues --/.test(t)) {
      lastVirt.push(...eigenvalues(line));
    } else if (inAlphaBlock && !/^Beta/.test(t)) {
      inAlphaBlock = false;
    }
    if (/^(Standard|Input) orientation:/.test(t)) {
      const orientation = t.startsWith('Standard') ? 'Standard' : 'Input';
      const atoms = [];
      for (let j = i + 5; j < lines.length && !/^-+$/.test(lines[j].trim()); j++) {
        const f = lines[j].trim().split(/\s+/).map(Number);
        const z = f[1];
        atoms.push({ z, symbol: symbolOf(z), x: f[f.length - 3], y: f[f.length - 2], zCoord: f[f.length - 1] });
      }
      out.finalGeometry = { orientation, atoms };
    }
    if (/^Frequencies --\s/.test(t))
      out.frequencies.push(...t.slice('Frequencies --'.length).trim().split(/\s+/).map(Number));
    if (/^Frequencies ---\s/.test(t))
      hpFrequencies.push(...t.slice('Frequencies ---'.length).trim().split(/\s+/).map(Number));
    if (/^IR Inten\s+--\s/.test(t))
      out.irIntensities.push(
        ...t
          .replace(/^IR Inten\s+--/, '')
          .trim()
          .split(/\s+/)
          .map(Number),
      );
    if ((m = /Step number\s+(\d+) out of a maximum of\s+(\d+)/.exec(t))) {
      out.optimisation.lastStep = Number(m[1]);
      out.optimisation.maxSteps = Number(m[2]);
    }
    if (/Optimization completed/.test(t)) out.optimisation.completed = true;
    if (/Stationary point found/.test(t)) out.optimisation.stationaryPoint = true;
    if (/Number of steps exceeded/.test(t)) out.optimisation.stepsExceeded = true;
    if (t) previousContent = t;
  }
  if (out.frequencies.length === 0) out.frequencies = hpFrequencies;
  // link 502 is the SCF: an error termination there is an SCF that did not converge
  if (out.errorLink === 'l502' || out.errorLink === 'l508') out.scfConvergenceFailure = true;
  const last = out.scfEnergies[out.scfEnergies.length - 1];
  out.finalScfEnergy = last ? last.energy : null;
  if (lastOcc.length > 0) out.homo = lastOcc[lastOcc.length - 1];
  if (lastVirt.length > 0) out.lumo = lastVirt[0];
  if (out.homo !== null && out.lumo !== null) out.gapEv = (out.lumo - out.homo) * HARTREE_EV;
  if (out.atomCount === null && out.finalGeometry) out.atomCount = out.finalGeometry.atoms.length;
  return out;
}
