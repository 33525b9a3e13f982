/** Element symbols in order of atomic number (index + 1 = Z). */
const SYMBOLS = (
  'H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr ' +
  'Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu ' +
  'Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr ' +
  'Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og'
).split(' ');

const BY_SYMBOL = new Map(SYMBOLS.map((s, i) => [s.toLowerCase(), { symbol: s, z: i + 1 }]));

/** The canonical symbol and atomic number of an element symbol in any case, or undefined. */
export function element(symbol: string): { symbol: string; z: number } | undefined {
  return BY_SYMBOL.get(symbol.toLowerCase());
}

/** The symbol of atomic number z, or "X" for dummy atoms and unknown numbers. */
export function symbolOf(z: number): string {
  return SYMBOLS[z - 1] ?? 'X';
}
