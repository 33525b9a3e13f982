import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api';
import { useSession } from '../session';
import { useSubmission } from '../submission';
import { Field, FormErrors } from '../components/Field';
import { ReuseField } from '../components/ReuseField';
import { ResourcesFields, type Resources } from '../components/ResourcesFields';

const FIELDS = [
  'name',
  'md.template',
  'md.params.atomsPerSide',
  'md.params.temperature',
  'md.params.steps',
  'md.params.thermoEvery',
  'md.params',
  'md.script',
  'md',
  'files',
  'resources.tasks',
  'resources.walltimeMinutes',
  'resources.memoryMb',
  'resources',
  'spec',
];

export function NewMdPage() {
  const navigate = useNavigate();
  const mayUpload = useSession().user?.permissions.includes('scripts') ?? false;
  const [mode, setMode] = useState<'template' | 'script'>('template');
  const [name, setName] = useState('');
  const [reuse, setReuse] = useState(true);
  const [atomsPerSide, setAtomsPerSide] = useState(6);
  const [temperature, setTemperature] = useState(3.0);
  const [steps, setSteps] = useState(5000);
  const [script, setScript] = useState<File | null>(null);
  const [dataFiles, setDataFiles] = useState<File[]>([]);
  const [resources, setResources] = useState<Resources>({ tasks: 1, walltimeMinutes: 60, memoryMb: 2000 });
  const { busy, errors, setErrors, run } = useSubmission(FIELDS, 'submission failed');

  function submit(e: FormEvent) {
    e.preventDefault();
    if (mode === 'script' && !script) return setErrors({ 'md.script': 'choose the LAMMPS input script' });
    const base = { type: 'md', engine: 'lammps', ...(name ? { name } : {}), resources };
    void run(async () => {
      let res: { id: string };
      if (mode === 'template') {
        res = await api('POST', '/jobs', {
          json: { ...base, reuse, md: { template: 'lj-melt', params: { atomsPerSide, temperature, steps } } },
        });
      } else {
        const form = new FormData();
        form.append('spec', JSON.stringify({ ...base, md: { script: script!.name } }));
        for (const f of [script!, ...dataFiles]) form.append('files', f, f.name);
        res = await api('POST', '/jobs', { form });
      }
      navigate(`/jobs/${res.id}`);
    });
  }

  return (
    <section>
      <h1>New molecular-dynamics job (LAMMPS)</h1>
      <form className="job-form" onSubmit={submit} noValidate>
        <Field label="Job name" error={errors.name}>
          {(p) => (
            <input
              {...p}
              value={name}
              maxLength={120}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. LJ melt at T*=3"
            />
          )}
        </Field>
        <fieldset>
          <legend>Input</legend>
          <label className="choice">
            <input type="radio" name="mode" checked={mode === 'template'} onChange={() => setMode('template')} />{' '}
            Lennard-Jones melt (template)
          </label>
          <label className="choice">
            <input
              type="radio"
              name="mode"
              checked={mode === 'script'}
              disabled={!mayUpload}
              onChange={() => setMode('script')}
            />{' '}
            My own LAMMPS input script
          </label>
          {!mayUpload && (
            <p className="hint">Uploading your own scripts needs the “scripts” permission: ask an administrator.</p>
          )}
        </fieldset>
        {mode === 'template' ? (
          <div className="row" key="template">
            <Field label="Unit cells per side" error={errors['md.params.atomsPerSide']} hint="4 atoms per cell (fcc)">
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={1}
                  max={60}
                  value={atomsPerSide}
                  onChange={(e) => setAtomsPerSide(Number(e.target.value))}
                />
              )}
            </Field>
            <Field label="Temperature (T*)" error={errors['md.params.temperature']}>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={0.01}
                  step={0.1}
                  value={temperature}
                  onChange={(e) => setTemperature(Number(e.target.value))}
                />
              )}
            </Field>
            <Field label="Steps" error={errors['md.params.steps']}>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={1}
                  step={100}
                  value={steps}
                  onChange={(e) => setSteps(Number(e.target.value))}
                />
              )}
            </Field>
          </div>
        ) : (
          <div className="row" key="script">
            <Field label="Input script" error={errors['md.script']}>
              {(p) => <input {...p} type="file" onChange={(e) => setScript(e.target.files?.[0] ?? null)} />}
            </Field>
            <Field
              label="Data and include files"
              error={errors.files}
              hint="Up to 19 files the script reads (read_data, include…)."
            >
              {(p) => <input {...p} type="file" multiple onChange={(e) => setDataFiles([...(e.target.files ?? [])])} />}
            </Field>
          </div>
        )}
        <ResourcesFields value={resources} onChange={setResources} errors={errors} />
        <ReuseField value={reuse} onChange={setReuse} />
        <FormErrors
          messages={[errors[''], errors.md, errors['md.params'], errors.resources, errors.spec].filter(
            (m): m is string => Boolean(m),
          )}
        />
        <button type="submit" disabled={busy}>
          Submit job
        </button>
      </form>
    </section>
  );
}
