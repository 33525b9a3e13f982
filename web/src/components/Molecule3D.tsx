import { useEffect, useRef, useState } from 'react';
import { parseXyz, XyzError } from '../../../src/chemistry/xyz';
import { MoleculeView } from './MoleculeView';

function webglAvailable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

/**
 * A molecule in 3D (3Dmol.js: rotate with the mouse, zoom with the wheel), sticks and small
 * spheres; 3Dmol is loaded only when a page shows a molecule. Where WebGL is missing (a browser
 * without it) the 2D projection stands in.
 */
export function Molecule3D({ xyz, label }: { xyz: string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [flat, setFlat] = useState(false);
  useEffect(() => {
    let cancelled = false;
    let viewer: { clear(): void } | undefined;
    if (!webglAvailable()) {
      setFlat(true);
      return;
    }
    void import('3dmol')
      .then(($3Dmol) => {
        if (cancelled || !box.current) return;
        const v = $3Dmol.createViewer(box.current, { backgroundColor: 'white' });
        v.addModel(xyz, 'xyz');
        v.setStyle({}, { stick: { radius: 0.14 }, sphere: { scale: 0.25 } });
        v.zoomTo();
        v.render();
        viewer = v;
      })
      .catch(() => setFlat(true));
    return () => {
      cancelled = true;
      viewer?.clear();
    };
  }, [xyz]);
  if (flat) {
    try {
      return <MoleculeView atoms={parseXyz(xyz).atoms} />;
    } catch (err) {
      return <p className="empty">{err instanceof XyzError ? err.message : 'no structure to show'}</p>;
    }
  }
  return <div ref={box} className="viewer3d" role="img" aria-label={label} data-viewer="3dmol" />;
}
