import { useEffect, useState } from 'react';
import { artifactUrl, type JobDetail } from '../api';
import { Molecule3D } from '../components/Molecule3D';

/** Output files that hold a final geometry as XYZ, by engine (xtb's optimised structure). */
const FINAL_GEOMETRY = ['xtbopt.xyz'];

/** A QC job's input geometry and, once it has one, its final (optimised) geometry, side by side in 3D. */
export function JobStructures({ job }: { job: JobDetail }) {
  const input = (job.spec as { qc?: { xyz?: string } }).qc?.xyz;
  const finalFile = job.artifacts.find((a) => a.kind === 'output' && FINAL_GEOMETRY.includes(a.name));
  const [finalXyz, setFinalXyz] = useState<string | null>(null);
  useEffect(() => {
    if (!finalFile) return;
    let cancelled = false;
    void (async () => {
      try {
        const res = await fetch(await artifactUrl(job.id, finalFile.id));
        const text = res.ok ? await res.text() : null;
        if (!cancelled) setFinalXyz(text);
      } catch {
        // the file stays downloadable below
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [job.id, finalFile?.id]);
  if (!input) return null;
  return (
    <section className="structures" aria-label="Structures">
      <figure>
        <figcaption>Input geometry</figcaption>
        <Molecule3D xyz={input} label="input geometry in 3D" />
      </figure>
      {finalXyz && (
        <figure>
          <figcaption>Final geometry ({finalFile?.name})</figcaption>
          <Molecule3D xyz={finalXyz} label="final geometry in 3D" />
        </figure>
      )}
    </section>
  );
}
