import { closestBasis, closestMethod, editDistance, gaussianMethod, isGaussianBasis } from './gaussian-keywords';

describe('Gaussian 16 method names', () => {
  it.each([
    'HF',
    'B3LYP',
    'b3lyp',
    'PBE1PBE',
    'M062X',
    'wB97XD',
    'CAM-B3LYP',
    'B97D3',
    'TPSSh',
    'BLYP',
    'PBEPBE',
    'SVWN5',
    'LC-BLYP',
    'HSEh1PBE',
    'MN15',
    'B2PLYPD3',
    'MP2',
    'MP4(SDQ)',
    'CCSD',
    'CCSD(T)',
    'QCISD(T)',
    'CISD',
    'CIS(D)',
    'EOMCCSD',
    'CASSCF(6,6)',
    'CAS(4,4)',
  ])('%s is known and takes a basis', (name) => {
    expect(gaussianMethod(name)).toEqual({ ownBasis: false });
  });

  it.each(['UB3LYP', 'RB3LYP', 'ROB3LYP', 'UHF', 'ROHF', 'UMP2', 'RQCISD', 'UCCSD(T)', 'UM062X', 'uwb97xd'])(
    '%s: R, U and RO prefixes',
    (name) => expect(gaussianMethod(name)).toEqual({ ownBasis: false }),
  );

  it.each([
    'AM1',
    'PM3',
    'PM6',
    'PM7',
    'ZINDO',
    'UPM6',
    'CBS-QB3',
    'ROCBS-QB3',
    'CBS-APNO',
    'G3',
    'G4',
    'G4MP2',
    'W1BD',
    'UFF',
    'Amber',
  ])('%s brings its own basis', (name) => expect(gaussianMethod(name)).toEqual({ ownBasis: true }));

  it.each(['B3LPY', 'PBE0', 'M06-2X', 'wB97X-D', 'UG4', 'RUFF', 'XB3LYP', 'CCSD(Q)', 'CAS(6)', 'HF3c', ''])(
    '%s is not a Gaussian method',
    (name) => expect(gaussianMethod(name)).toBeNull(),
  );

  it.each([
    ['B3LPY', 'B3LYP'],
    ['b3lpy', 'B3LYP'],
    ['UB3LPY', 'UB3LYP'],
    ['ROB3LPY', 'ROB3LYP'],
    ['PBE0', 'PBE1PBE'],
    ['pbe0', 'PBE1PBE'],
    ['HSE06', 'HSEh1PBE'],
    ['M06-2X', 'M062X'],
    ['M06X2', 'M062X'],
    ['wB97X-D', 'wB97XD'],
    ['CCSDT', 'CCSD'],
    ['CBSQB3', 'CBS-QB3'],
  ])('%s: the closest known method is %s', (typo, suggestion) => {
    expect(closestMethod(typo)).toBe(suggestion);
  });

  it('offers nothing for a name far from every method, nor a prefixed composite (UG4)', () => {
    expect(closestMethod('Frobnicate')).toBeUndefined();
    expect(closestMethod('DFT')).toBeUndefined();
    expect(closestMethod('UG4')).not.toBe('UG4');
  });
});

describe('Gaussian 16 basis-set names', () => {
  it.each([
    'STO-3G',
    '3-21G',
    '3-21G*',
    '3-21+G',
    '6-31G',
    '6-31G(d)',
    '6-31g(D)',
    '6-31G*',
    '6-31G**',
    '6-31G(d,p)',
    '6-31+G(d)',
    '6-31++G(d,p)',
    '6-31+G**',
    '6-311G',
    '6-311G(d,p)',
    '6-311+G(2df,2pd)',
    '6-311++G(3df,3pd)',
    "6-31G(d')",
    "6-31G(d',p')",
    "6-31+G(d'f)",
    'D95V',
    'D95(d,p)',
    'cc-pVDZ',
    'cc-pVTZ',
    'CC-PVQZ',
    'cc-pV5Z',
    'cc-pV6Z',
    'aug-cc-pVTZ',
    'AUG-cc-pVDZ',
    'jun-cc-pVTZ',
    'may-cc-pVQZ',
    'cc-pCVTZ',
    'cc-pwCVTZ',
    'aug-cc-pwCVQZ',
    'def2-SVP',
    'def2SVP',
    'Def2TZVP',
    'def2-TZVP',
    'def2-TZVPP',
    'def2-QZVP',
    'def2-QZVPP',
    'def2-SVPD',
    'def2-TZVPD',
    'LANL2DZ',
    'LanL2MB',
    'SDD',
    'SDDAll',
    'Gen',
    'GenECP',
    'genecp',
    'ChkBasis',
    'MidiX',
    'EPR-III',
    'CBSB7',
    'DGDZVP',
    'UGBS',
    'TZVP',
    'QZVP',
    'CEP-121G',
  ])('%s is known', (name) => expect(isGaussianBasis(name)).toBe(true));

  it.each([
    '6-31G(d',
    '6-31G(4d)',
    '6-31G(d,p,f)',
    '6-31+++G',
    '6-311G(d)(p)',
    '3-21G**',
    'STO-3G+',
    '6-32G',
    'cc-pVXZ',
    'cc-pV7Z',
    'aug-cc-pvdz-pp',
    'def2-TZPV',
    'def3-TZVP',
    'def2',
    'LANL3DZ',
    'sto3g',
    '',
  ])('%s is not a Gaussian basis set', (name) => expect(isGaussianBasis(name)).toBe(false));

  it.each([
    ['6-31G(d', '6-31G(d)'],
    ['6-31G(d.p)', '6-31G(d,p)'],
    ['def2-TZPV', 'def2-TZVP'],
    ['def2TZVPP ', 'def2-TZVPP'],
    ['cc-pVTX', 'cc-pVTZ'],
    ['LANL2ZD', 'LanL2DZ'],
    ['6-311G++(d,p)', '6-311++G(d,p)'],
  ])('%s: the closest known basis set is %s', (typo, suggestion) => {
    expect(closestBasis(typo)).toBe(suggestion);
  });

  it('offers nothing for a name far from every basis set', () => {
    expect(closestBasis('my-own-basis-2024')).toBeUndefined();
  });
});

describe('editDistance', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('B3LPY', 'B3LYP')).toBe(1);
    expect(editDistance('ABC', 'ABC')).toBe(0);
    expect(editDistance('', 'AB')).toBe(2);
    expect(editDistance('KITTEN', 'SITTING')).toBe(3);
  });
});
