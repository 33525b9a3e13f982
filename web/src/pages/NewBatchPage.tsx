import { ReuseField } from '../components/ReuseField';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { element } from '../../../src/chemistry/elements';
import { parseXyz, XyzError } from '../../../src/chemistry/xyz';
import { api, ApiError } from '../api';
import { Field, FormErrors } from '../components/Field';
import { GfnField, TaskField, type QcTask } from '../components/QcChoices';

interface Entry {
  file: string;
  xyz: string;
  multiplicity: number;
  error?: string;
}

/** Lowest-spin multiplicity for the molecule's electron count: 1 when even, 2 when odd. */
function lowestMultiplicity(xyz: string, charge: number): number {
  const electrons = parseXyz(xyz).atoms.reduce((n, a) => n + (element(a.symbol)?.z ?? 0), 0) - charge;
  return electrons % 2 === 0 ? 1 : 2;
}

export function NewBatchPage() {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [reuse, setReuse] = useState(true);
  const [task, setTask] = useState<QcTask>('opt');
  const [gfn, setGfn] = useState(2);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  async function pick(files: FileList | null) {
    const list = [...(files ?? [])]
      .filter((f) => /\.xyz$/i.test(f.name))
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    setEntries(
      await Promise.all(
        list.map(async (f) => {
          const xyz = await f.text();
          try {
            return { file: f.name, xyz, multiplicity: lowestMultiplicity(xyz, 0) };
          } catch (err) {
            return { file: f.name, xyz, multiplicity: 1, error: err instanceof XyzError ? err.message : String(err) };
          }
        }),
      ),
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (entries.length === 0) return setErrors(['choose one or more .xyz files (or a folder of them)']);
    if (entries.some((x) => x.error)) return setErrors(['fix or remove the files marked below first']);
    setBusy(true);
    setErrors([]);
    const jobs = entries.map((x) => ({
      type: 'qc',
      engine: 'xtb',
      name: x.file.replace(/\.xyz$/i, '').slice(0, 120),
      qc: { xyz: x.xyz, charge: 0, multiplicity: x.multiplicity, task, gfn },
    }));
    try {
      const res = await api<{ batchId: string }>('POST', '/jobs/bulk', {
        json: { ...(name ? { name } : {}), reuse, jobs },
      });
      navigate(`/batches/${res.batchId}`);
    } catch (err) {
      // "jobs.3.qc.xyz: …" → the file it is about
      setErrors(
        err instanceof ApiError
          ? err.messages.map((m) =>
              m.replace(/^jobs\.(\d+)\./, (_, i) => `${entries[Number(i)]?.file ?? `job ${i}`}: `),
            )
          : ['submission failed'],
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <h1>Submit a batch of xtb jobs</h1>
      <form className="job-form" onSubmit={submit} noValidate>
        <Field label="Batch name">
          {(p) => (
            <input
              {...p}
              value={name}
              maxLength={120}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. conformer screen"
            />
          )}
        </Field>
        <Field
          label="XYZ files (one molecule each; pick several, or a folder)"
          hint="Neutral molecules in their lowest spin state; up to 1,000 per batch."
        >
          {(p) => <input {...p} type="file" multiple accept=".xyz" onChange={(e) => void pick(e.target.files)} />}
        </Field>
        <div className="row">
          <TaskField value={task} onChange={setTask} />
          <GfnField value={gfn} onChange={setGfn} />
        </div>
        {entries.length > 0 && (
          <table className="files">
            <caption>{entries.length} molecule(s)</caption>
            <tbody>
              {entries.map((x) => (
                <tr key={x.file} className={x.error ? 'invalid' : undefined}>
                  <td>{x.file}</td>
                  <td>{x.error ? <span className="field-error">{x.error}</span> : `multiplicity ${x.multiplicity}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ReuseField value={reuse} onChange={setReuse} />
        <FormErrors messages={errors} />
        <button type="submit" disabled={busy}>
          Submit batch
        </button>
      </form>
    </section>
  );
}
