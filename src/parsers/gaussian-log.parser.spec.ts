import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '../../test/support/corpus';
import { parseGaussianLog } from './gaussian-log.parser';

const DIR = corpusDir('gaussian');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')).files as Record<
  string,
  { facts: Record<string, any> }
>;
const logs = Object.entries(expected).filter(([, v]) => 'final_scf_energy_hartree' in v.facts);

describe('Gaussian log parser against the corpus', () => {
  it.each(logs)('%s', (name, { facts }) => {
    const log = parseGaussianLog(readFileSync(join(DIR, name), 'utf8'));
    expect(log.programVersion).toBe(facts.program_version ?? null);
    expect(log.routes).toEqual(facts.route_sections ?? []);
    expect(log.normalTerminations).toBe(facts.normal_termination_count ?? 0);
    expect(log.mp2Energy).toBe(facts.final_EUMP2_hartree ?? null);
    expect(log.excitedStates).toHaveLength(facts.n_excited_states_printed ?? 0);
    expect(log.charge).toBe(facts.charge ?? null);
    expect(log.multiplicity).toBe(facts.multiplicity ?? null);
    expect(log.atomCount).toBe(facts.n_atoms ?? null);
    expect(log.scfEnergies).toHaveLength(facts.scf_done_count);
    expect(log.finalScfEnergy).toBe(facts.final_scf_energy_hartree ?? null);
    if (facts.scf_done_count > 0)
      expect(log.scfEnergies[log.scfEnergies.length - 1].converged).toBe(facts.last_scf_converged ?? null);
    expect(log.normalTermination).toBe(facts.ended_normally ?? null);
    expect(log.errorLines).toEqual(facts.error_termination_lines ?? []);
    expect(log.errorLink).toBe(facts.error_link ?? null);
    expect(log.homo).toBe(facts.homo_alpha_hartree ?? null);
    expect(log.lumo).toBe(facts.lumo_alpha_hartree ?? null);
    if (facts.final_geometry) {
      expect(log.finalGeometry?.orientation).toBe(facts.final_geometry.orientation);
      expect(log.finalGeometry?.atoms.map((a) => [a.z, a.x, a.y, a.zCoord])).toEqual(
        facts.final_geometry.atoms_Z_x_y_z_angstrom,
      );
    } else {
      expect(log.finalGeometry).toBeNull();
    }
    expect(log.frequencies).toHaveLength(facts.n_frequencies);
    if (facts['frequencies_cm-1_first3']) expect(log.frequencies.slice(0, 3)).toEqual(facts['frequencies_cm-1_first3']);
    if (facts.n_frequencies > 0) expect(log.irIntensities).toHaveLength(facts.n_frequencies);
    expect(log.optimisation.lastStep).toBe(facts.opt_last_step ?? null);
    expect(log.optimisation.maxSteps).toBe(facts.opt_max_steps ?? null);
    expect(log.optimisation.completed).toBe(facts.optimization_completed_count > 0);
    expect(log.optimisation.stepsExceeded).toBe(facts.steps_exceeded ?? false);
    expect(log.scfConvergenceFailure).toBe(facts.scf_convergence_failure ?? false);
  });
});

describe('Gaussian SCF failures on real public logs (test/fixtures/gaussian, sources in SOURCES.md)', () => {
  it('SCF=(MaxCycle=3,xqc): the quadratically convergent SCF (link 508) ends in a bare "Convergence failure." — an SCF failure', () => {
    const log = parseGaussianLog(
      readFileSync(
        join(__dirname, '..', '..', 'test', 'fixtures', 'gaussian', 'custodian-scf-xqc-l508-convergence-failure.out'),
        'utf8',
      ),
    );
    expect(log.scfConvergenceFailure).toBe(true);
    expect(log.errorLink).toBe('l508');
    expect(log.normalTermination).toBe(false);
    expect(log.programVersion).toBe('Gaussian 16 ES64L-G16RevC.01');
  });
});

describe('Gaussian: route, dipole, thermochemistry, terminations (corpus files, values as printed)', () => {
  const corpus = (name: string) => parseGaussianLog(readFileSync(join(DIR, name), 'utf8'));

  it('cclib_g16_dvb_ir.out: route and the thermochemistry block (Hartree/particle)', () => {
    const log = corpus('cclib_g16_dvb_ir.out');
    expect(log.route).toBe('#p b3lyp/sto-3g guess=read freq=hpmodes geom=allcheck');
    expect(log.thermochemistry).toEqual({
      zeroPointCorrection: 0.177132,
      thermalEnthalpyCorrection: 0.18696,
      thermalFreeEnergyCorrection: 0.143352,
      electronicPlusZeroPoint: -382.131135,
      electronicPlusThermalEnthalpy: -382.121307,
      electronicPlusThermalFreeEnergy: -382.164915,
    });
    expect(log.dipoleDebye).toBe(0);
    expect(log.normalTerminations).toBe(1);
  });

  it('cclib_g16_water_mp2.log: the dipole moment in Debye; no frequency job, no thermochemistry', () => {
    const log = corpus('cclib_g16_water_mp2.log');
    expect(log.route).toBe('#P MP2/STO-3G Density Pop=(Full,NaturalOrbitals)');
    expect(log.dipoleDebye).toBe(1.5994);
    expect(log.thermochemistry).toBeNull();
  });

  it('an error termination counts no normal one', () => {
    expect(corpus('custodian_walltime.out').normalTerminations).toBe(0);
  });
});

describe('Gaussian TD excited states (corpus)', () => {
  it('cclib_g16_CO_TD_delta.log: every state with its energy, wavelength and oscillator strength as printed', () => {
    const log = parseGaussianLog(readFileSync(join(DIR, 'cclib_g16_CO_TD_delta.log'), 'utf8'));
    expect(log.excitedStates[0]).toEqual({
      state: 1,
      symmetry: 'Triplet-?Sym',
      energyEv: 5.7616,
      wavelengthNm: 215.19,
      oscillatorStrength: 0,
    });
    expect(log.excitedStates[3]).toEqual({
      state: 4,
      symmetry: 'Singlet-?Sym',
      energyEv: 8.4709,
      wavelengthNm: 146.36,
      oscillatorStrength: 0.0947,
    });
  });
});

describe('Gaussian: coupled cluster and multi-step jobs on real public logs (test/fixtures/gaussian, sources in SOURCES.md)', () => {
  const fixture = (name: string) =>
    parseGaussianLog(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'gaussian', name), 'utf8'));

  it('cclib-g16-water-ccsd-t.log: MP2, the converged CCSD and the CCSD(T) energies as link 913 prints them', () => {
    const log = fixture('cclib-g16-water-ccsd-t.log');
    expect(log.finalScfEnergy).toBe(-74.9643287914);
    expect(log.mp2Energy).toBe(-75.002282127453); // "EUMP2 =    -0.75002282127453D+02"
    expect(log.ccsdEnergy).toBe(-75.017683639); // the last E(CORR) of the converged iterations; the archive says CCSD=-75.0176836
    expect(log.ccsdTEnergy).toBeCloseTo(-75.017760422, 12); // "CCSD(T)= -0.75017760422D+02"; the archive says CCSD(T)=-75.0177604
    expect(log.steps).toEqual([{ route: '#P CCSD(T)/STO-3G', termination: 'normal' }]);
  });

  it('cclib-g16-water-ccsd.log: a plain CCSD job (banner "Coupled Cluster theory with single and double substitutions") gives its converged CCSD energy and no CCSD(T)', () => {
    const log = fixture('cclib-g16-water-ccsd.log');
    expect(log.route).toBe('#P CCSD/STO-3G');
    expect(log.ccsdEnergy).toBe(-75.017683639); // "Wavefunction amplitudes converged. E(Corr)= -75.017683639"; the archive says CCSD=-75.0176836
    expect(log.ccsdTEnergy).toBeNull();
    expect(log.steps).toEqual([{ route: '#P CCSD/STO-3G', termination: 'normal' }]);
  });

  it('chemsmart-g16-o2-link1-stable-opt-freq.log: three steps (stable=opt, then opt freq and its own freq step), each with its route and normal end', () => {
    const log = fixture('chemsmart-g16-o2-link1-stable-opt-freq.log');
    expect(log.steps).toEqual([
      { route: '# um062x def2svp stable=opt guess=mix', termination: 'normal' },
      { route: '# opt freq um062x def2svp geom=check guess=read', termination: 'normal' },
      { route: '#N Geom=AllCheck Guess=TCheck SCRF=Check GenChk UM062X/def2SVP Freq', termination: 'normal' },
    ]);
    expect(log.normalTerminations).toBe(3);
    expect(log.ccsdEnergy).toBeNull();
    expect(log.thermochemistry?.zeroPointCorrection).toBe(0.00415);
    expect(log.thermochemistry?.electronicPlusThermalFreeEnergy).toBe(-150.13516);
  });

  it('a step that ends in error is recorded once, and a log cut short leaves its last step open (synthetic: no public file shows a failed second step)', () => {
    const text = [
      ' ------',
      ' #p opt b3lyp/sto-3g',
      ' ------',
      ' Normal termination of Gaussian 16 at Mon.',
      ' Link1:  Proceeding to internal job step number  2.',
      ' ------',
      ' #p freq b3lyp/sto-3g geom=check',
      ' ------',
      ' Error termination request processed by link 9999.',
      ' Error termination via Lnk1e in /g16/l9999.exe at Mon.',
      ' ------',
      ' #p sp b3lyp/sto-3g',
      ' ------',
    ].join('\n');
    expect(parseGaussianLog(text).steps).toEqual([
      { route: '#p opt b3lyp/sto-3g', termination: 'normal' },
      { route: '#p freq b3lyp/sto-3g geom=check', termination: 'error' },
      { route: '#p sp b3lyp/sto-3g', termination: null },
    ]);
  });
});
