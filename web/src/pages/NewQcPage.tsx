import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { parseXyz, spinProblem, XyzError, type Molecule } from '../../../src/chemistry/xyz';
import { api } from '../api';
import { useSubmission } from '../submission';
import { Field, FormErrors } from '../components/Field';
import { CustomKeywordsField, GfnField, TaskField, type QcTask } from '../components/QcChoices';
import { MoleculeView } from '../components/MoleculeView';
import { ReuseField } from '../components/ReuseField';
import { ResourcesFields, type Resources } from '../components/ResourcesFields';

const FIELDS = [
  'name',
  'engine',
  'qc.xyz',
  'qc.charge',
  'qc.multiplicity',
  'qc.task',
  'qc.gfn',
  'qc.method',
  'qc.basis',
  'qc.customKeywords',
  'resources.tasks',
  'resources.walltimeMinutes',
  'resources.memoryMb',
  'resources',
  'qc',
];

/** The molecule as typed, or why it is not one yet: the same checks the server makes. */
export function checkMolecule(
  xyz: string,
  charge: number,
  multiplicity: number,
): { molecule?: Molecule; xyz?: string; multiplicity?: string } {
  if (!xyz.trim()) return { xyz: 'paste or upload the molecule in XYZ format' };
  try {
    const molecule = parseXyz(xyz);
    const spin =
      Number.isInteger(charge) && Number.isInteger(multiplicity) ? spinProblem(molecule, charge, multiplicity) : null;
    return { molecule, multiplicity: spin ?? undefined };
  } catch (err) {
    if (err instanceof XyzError) return { xyz: err.message };
    throw err;
  }
}

export function NewQcPage() {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [reuse, setReuse] = useState(true);
  const [engine, setEngine] = useState<'xtb' | 'gaussian'>('xtb');
  const [task, setTask] = useState<QcTask>('opt');
  const [gfn, setGfn] = useState(2);
  const [method, setMethod] = useState('B3LYP');
  const [basis, setBasis] = useState('6-31G(d)');
  const [customKeywords, setCustomKeywords] = useState(false);
  const [charge, setCharge] = useState(0);
  const [multiplicity, setMultiplicity] = useState(1);
  const [xyz, setXyz] = useState('');
  const [touched, setTouched] = useState(false);
  const [resources, setResources] = useState<Resources>({ tasks: 1, walltimeMinutes: 60, memoryMb: 2000 });
  const { busy, errors: serverErrors, run } = useSubmission(FIELDS, 'submission failed');

  const check = useMemo(() => checkMolecule(xyz, charge, multiplicity), [xyz, charge, multiplicity]);
  const xyzError = (touched && check.xyz) || serverErrors['qc.xyz'];
  const multiplicityError = check.multiplicity || serverErrors['qc.multiplicity'];

  async function loadFile(file: File | undefined) {
    if (!file) return;
    setXyz(await file.text());
    setTouched(true);
    if (!name) setName(file.name.replace(/\.xyz$/i, ''));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (check.xyz || check.multiplicity) return; // the errors are on screen; nothing is sent
    const gaussian = {
      method,
      ...(basis.trim() ? { basis: basis.trim() } : {}), // none for PM6, CBS-QB3, G4…
      ...(customKeywords ? { customKeywords } : {}),
    };
    const qc =
      engine === 'xtb' ? { xyz, charge, multiplicity, task, gfn } : { xyz, charge, multiplicity, task, ...gaussian };
    void run(async () => {
      const res = await api<{ id: string }>('POST', '/jobs', {
        json: { type: 'qc', engine, ...(name ? { name } : {}), qc, resources, reuse },
      });
      navigate(`/jobs/${res.id}`);
    });
  }

  return (
    <section>
      <h1>New quantum-chemistry job</h1>
      <form className="job-form" onSubmit={submit} noValidate>
        <div className="columns">
          <div>
            <Field label="Job name" error={serverErrors.name}>
              {(p) => (
                <input
                  {...p}
                  value={name}
                  maxLength={120}
                  onChange={(e) => setName(e.target.value)}
                  placeholder="e.g. ethanol opt"
                />
              )}
            </Field>
            <Field
              label="Molecule (XYZ)"
              error={xyzError || undefined}
              hint={
                check.molecule
                  ? `${check.molecule.atoms.length} atoms, ${check.molecule.nuclearCharge - charge} electrons`
                  : 'Atom count, a comment line, then one "symbol x y z" line per atom (Å).'
              }
            >
              {(p) => (
                <textarea
                  {...p}
                  className="xyz"
                  rows={12}
                  spellCheck={false}
                  value={xyz}
                  onChange={(e) => setXyz(e.target.value)}
                  onBlur={() => setTouched(true)}
                />
              )}
            </Field>
            <Field label="…or upload an .xyz file">
              {(p) => (
                <input
                  {...p}
                  type="file"
                  accept=".xyz,text/plain"
                  onChange={(e) => void loadFile(e.target.files?.[0])}
                />
              )}
            </Field>
          </div>
          <div>
            <div className="preview">
              {check.molecule ? (
                <MoleculeView atoms={check.molecule.atoms} />
              ) : (
                <p className="hint">The molecule appears here as you type.</p>
              )}
            </div>
            <div className="row">
              <Field label="Charge" error={serverErrors['qc.charge']}>
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    step={1}
                    value={charge}
                    onChange={(e) => setCharge(Number(e.target.value))}
                  />
                )}
              </Field>
              <Field label="Multiplicity" error={multiplicityError}>
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    min={1}
                    step={1}
                    value={multiplicity}
                    onChange={(e) => setMultiplicity(Number(e.target.value))}
                  />
                )}
              </Field>
            </div>
            <div className="row">
              <Field label="Engine" error={serverErrors.engine}>
                {(p) => (
                  <select {...p} value={engine} onChange={(e) => setEngine(e.target.value as 'xtb' | 'gaussian')}>
                    <option value="xtb">xtb</option>
                    <option value="gaussian">Gaussian 16</option>
                  </select>
                )}
              </Field>
              <TaskField value={task} onChange={setTask} error={serverErrors['qc.task']} />
            </div>
            {engine === 'xtb' ? (
              <GfnField value={gfn} onChange={setGfn} error={serverErrors['qc.gfn']} />
            ) : (
              <>
                <div className="row">
                  <Field label="Method" error={serverErrors['qc.method']}>
                    {(p) => <input {...p} value={method} onChange={(e) => setMethod(e.target.value)} />}
                  </Field>
                  <Field
                    label="Basis set"
                    error={serverErrors['qc.basis']}
                    hint="Empty for methods with their own (semi-empirical, CBS, Gn)."
                  >
                    {(p) => <input {...p} value={basis} onChange={(e) => setBasis(e.target.value)} />}
                  </Field>
                </div>
                <CustomKeywordsField
                  value={customKeywords}
                  onChange={setCustomKeywords}
                  error={serverErrors['qc.customKeywords']}
                />
              </>
            )}
            <ResourcesFields value={resources} onChange={setResources} errors={serverErrors} />
            <ReuseField value={reuse} onChange={setReuse} />
          </div>
        </div>
        <FormErrors
          messages={[serverErrors[''], serverErrors.qc, serverErrors.resources].filter((m): m is string => Boolean(m))}
        />
        <button type="submit" disabled={busy}>
          Submit job
        </button>
      </form>
    </section>
  );
}
