/**
 * The method and basis-set names Gaussian 16 knows, so that a typo (B3LPY) is refused at submission
 * instead of failing on the cluster. Gaussian reads route keywords case-insensitively; so does this.
 *
 * Where the lists come from — the Gaussian 16 manual's keyword pages (gaussian.com/man, "Keywords"):
 * - "HF"; "DFT Methods": the exchange and correlation functionals (any exchange + correlation name
 *   is a functional: BLYP, PBEPBE), the standalone, hybrid and long-range-corrected ones (LC- prefix);
 * - "MP" (MP2…MP5, and the double hybrids B2PLYP…), "CCD"/"CCSD", "QCISD", "BD", "CID"/"CISD",
 *   "CIS", "CASSCF", "SAC-CI", "EOM";
 * - "Semi-Empirical Methods" (AM1, PM3, PM6, PM7…), "Molecular Mechanics Methods" (Amber, Dreiding,
 *   UFF), "CBS Methods", "Gn Methods" (G1…G4MP2), "W1 Methods": these bring their own basis
 *   ("No basis set keyword should be specified" — Semi-Empirical Methods; "Basis Sets" names the same three kinds);
 * - "Basis Sets": the sets stored in the program, the Pople notation (+/++ diffuse, * and ** or
 *   (d), (d,p), (2df,2pd), (d') polarisation), the AUG- and calendar (jun-, may-…) prefixes of the
 *   cc-pVnZ sets, Def2 sets, and Gen, GenECP, ChkBasis for sets read in;
 * - "Model Chemistries" (Capabilities): R, U and RO before a method keyword.
 * Core-valence Dunning sets (cc-pCVnZ, cc-pwCVnZ) and the def2 …D sets are accepted too, as in
 * common use; a site whose Gaussian lacks them gets its error, or reads them with Gen.
 */

/** Methods that take the basis set as part of themselves: a route gives no basis with them. */
const SEMI_EMPIRICAL = ['AM1', 'PM3', 'PM3MM', 'PM6', 'PDDG', 'PM7', 'PM7R6', 'PM7MOPAC'];
const SEMI_EMPIRICAL_OLD = ['CNDO', 'INDO', 'MINDO3', 'MNDO', 'ZINDO', 'Huckel'];
const MOLECULAR_MECHANICS = ['Amber', 'Dreiding', 'UFF'];
const COMPOSITE = words(`
  CBS-4M CBS-QB3 ROCBS-QB3 CBS-APNO G1 G2 G2MP2 G3 G3MP2 G3B3 G3MP2B3 G4 G4MP2 W1U W1BD W1RO
`);

const WAVEFUNCTION = words(`
  HF MP2 MP3 MP4 MP4(DQ) MP4(SDQ) MP4(SDTQ) MP5 CCD CCSD CCSD(T) QCID QCISD QCISD(T) QCISD(TQ) BD
  BD(T) BD(TQ) CID CISD CIS CIS(D) SAC-CI EOMCCSD
`);
const DOUBLE_HYBRIDS = ['B2PLYP', 'B2PLYPD', 'B2PLYPD3', 'mPW2PLYP', 'mPW2PLYPD', 'DSDPBEP86', 'PBE0DH', 'PBEQIDH'];

/** DFT Methods: an exchange name followed by a correlation name is a functional (BLYP, PBEPBE, SVWN5). */
const EXCHANGE = ['S', 'XA', 'B', 'PW91', 'mPW', 'G96', 'PBE', 'O', 'TPSS', 'RevTPSS', 'BRx', 'PKZB', 'wPBEh', 'PBEh'];
const CORRELATION = words(`
  VWN VWN5 LYP PL P86 PW91 B95 PBE TPSS RevTPSS KCIS BRC PKZB VP86 V5LYP
`);
const FUNCTIONALS = words(`
  LSDA VSXC HCTH HCTH93 HCTH147 HCTH407 tHCTH B97D B97D3 M06L SOGGA11 M11L MN12L N12 MN15L B3LYP
  B3P86 B3PW91 B1B95 B1LYP mPW1PW91 mPW1LYP mPW1PBE mPW3PBE B98 B971 B972 PBE1PBE PBEh1PBE O3LYP
  TPSSh BMK M06 M06HF M062X M05 M052X M08HX M11 MN15 MN12SX N12SX SOGGA11X X3LYP tHCTHhyb BHandH
  BHandHLYP APF APFD HSEh1PBE HSE2PBE OHSE1PBE OHSE2PBE CAM-B3LYP wB97 wB97X wB97XD LC-wHPBE
  LC-wPBE HISSbPBE
`);
/** Names from the literature that Gaussian spells otherwise: refused, with Gaussian's name offered. */
const METHOD_ALIASES: Record<string, string> = {
  PBE0: 'PBE1PBE',
  HSE06: 'HSEh1PBE',
  'M06-2X': 'M062X',
  'M05-2X': 'M052X',
  'M06-L': 'M06L',
  'WB97X-D': 'wB97XD',
  'B97-D': 'B97D',
  'B97-D3': 'B97D3',
  'B2PLYP-D3': 'B2PLYPD3',
  'DSD-PBEP86': 'DSDPBEP86',
};

const pureFunctionals = EXCHANGE.flatMap((x) => CORRELATION.map((c) => x + c));
const OWN_BASIS = [...SEMI_EMPIRICAL, ...SEMI_EMPIRICAL_OLD, ...MOLECULAR_MECHANICS, ...COMPOSITE];
/** Every method name, as Gaussian's pages spell it, by its upper-case form. */
const METHODS = byUpperCase([
  ...WAVEFUNCTION,
  ...DOUBLE_HYBRIDS,
  ...FUNCTIONALS,
  ...pureFunctionals,
  ...pureFunctionals.map((f) => `LC-${f}`),
  ...OWN_BASIS,
]);
const OWN_BASIS_UPPER = new Set(OWN_BASIS.map((m) => m.toUpperCase()));
/** R (restricted), U (unrestricted), RO (restricted open-shell) may precede these. */
const NO_PREFIX = new Set([...MOLECULAR_MECHANICS, ...COMPOSITE].map((m) => m.toUpperCase()));
const PREFIXES = ['RO', 'R', 'U'];
const CAS = /^CAS(SCF)?\(\d{1,2},\d{1,2}\)$/;

/** A method keyword Gaussian knows, and whether it brings its own basis; null for an unknown name. */
export function gaussianMethod(name: string): { ownBasis: boolean } | null {
  const upper = name.toUpperCase();
  for (const prefix of ['', ...PREFIXES]) {
    if (!upper.startsWith(prefix)) continue;
    const base = upper.slice(prefix.length);
    if (prefix && NO_PREFIX.has(base)) continue;
    if (METHODS.has(base) || CAS.test(base)) return { ownBasis: OWN_BASIS_UPPER.has(base) };
  }
  return null;
}

/** The known method closest to an unknown name (a prefix kept), or undefined when none is close. */
export function closestMethod(name: string): string | undefined {
  const upper = name.toUpperCase();
  const alias = Object.entries(METHOD_ALIASES).find(([a]) => a === upper);
  if (alias) return alias[1];
  let best: { name: string; distance: number } | undefined;
  for (const prefix of ['', ...PREFIXES]) {
    if (!upper.startsWith(prefix)) continue;
    const found = closest(upper.slice(prefix.length), METHODS);
    if (found && prefix && NO_PREFIX.has(found.name.toUpperCase())) continue;
    if (found && (!best || found.distance < best.distance))
      best = { name: prefix + found.name, distance: found.distance };
  }
  return best?.name;
}

/**
 * Pople sets: STO-3G, 3-21G, 6-21G, 4-31G, 6-31G, 6-311G with + or ++ diffuse functions where the
 * Basis Sets page allows them, and * / ** or (heavy-atom,hydrogen) polarisation: (d), (d,p), (2df,2pd), (d').
 */
const POLARISATION = String.raw`(\*{1,2}|\([1-3]?d'?f?(,[1-3]?p'?d?)?\))?`;
const POPLE = new RegExp(
  String.raw`^(STO-3G\*?|3-21\+{0,2}G\*?|(6-21|4-31)G${POLARISATION}|(6-31|6-311)\+{0,2}G${POLARISATION}|D95V?\+{0,2}${POLARISATION})$`,
  'i',
);
/** Dunning's correlation-consistent sets, with the AUG-, calendar and core-valence variants. */
const DUNNING = /^((AUG|JUN|JUL|MAY|APR|SPAUG|DAUG)-)?CC-P(W?C)?V[DTQ56]Z$/i;
const NAMED_BASES = words(`
  SHC CEP-4G CEP-31G CEP-121G LanL2MB LanL2DZ SDD SDDAll SV SVP TZV TZVP QZVP def2-SV def2-SVP
  def2-SVPP def2-SVPD def2-TZV def2-TZVP def2-TZVPP def2-TZVPD def2-TZVPPD def2-QZV def2-QZVP
  def2-QZVPP def2-QZVPD def2-QZVPPD MidiX EPR-II EPR-III UGBS UGBS1P UGBS2P UGBS3P MTSmall DGDZVP
  DGDZVP2 DGTZVP CBSB7 Gen GenECP ChkBasis
`);
const NAMED = byUpperCase(NAMED_BASES);
/** What a suggestion may offer beside the named sets: the Pople and Dunning sets in everyday use. */
const COMMON_BASES = byUpperCase([
  ...NAMED_BASES,
  ...['STO-3G', '3-21G', '3-21G*', '6-31G', '6-31G*', '6-31G**', '6-311G', '6-311G*', '6-311G**'],
  ...['6-31G(d)', '6-31G(d,p)', '6-31+G(d)', '6-31+G(d,p)', '6-31++G(d,p)', '6-31G(2df,2pd)', "6-31G(d')"],
  ...['6-311G(d)', '6-311G(d,p)', '6-311+G(d,p)', '6-311++G(d,p)', '6-311++G(2d,2p)', '6-311+G(2df,2p)'],
  ...['6-311++G(3df,3pd)', 'D95V', 'D95'],
  ...['D', 'T', 'Q', '5', '6'].flatMap((n) => [`cc-pV${n}Z`, `aug-cc-pV${n}Z`, `cc-pCV${n}Z`, `cc-pwCV${n}Z`]),
  ...['jun-cc-pVTZ', 'may-cc-pVTZ', 'jul-cc-pVTZ', 'jun-cc-pVDZ'],
]);

/** Whether Gaussian knows this basis-set keyword (Def2 sets with or without the hyphen). */
export function isGaussianBasis(name: string): boolean {
  const upper = name.toUpperCase().replace(/^DEF2(?=[A-Z])/, 'DEF2-');
  return NAMED.has(upper) || POPLE.test(name) || DUNNING.test(name);
}

/** The basis set closest to an unknown name, or undefined when none is close. */
export function closestBasis(name: string): string | undefined {
  return closest(name.toUpperCase(), COMMON_BASES)?.name;
}

/** The names in a whitespace-separated list. */
function words(list: string): string[] {
  return list.split(/\s+/).filter(Boolean);
}

function byUpperCase(names: string[]): Map<string, string> {
  return new Map(names.map((n) => [n.toUpperCase(), n]));
}

/** The candidate at the smallest edit distance, if that is small for the name's length (a typo, not another name). */
function closest(upper: string, candidates: Map<string, string>): { name: string; distance: number } | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(upper.length / 3)));
  let best: { name: string; distance: number } | undefined;
  for (const [key, name] of candidates) {
    if (Math.abs(key.length - upper.length) > limit) continue;
    // ties go to the name of the same length (def2-TZPV: def2-TZVP, not def2-TZV)
    const distance = editDistance(upper, key) + (key.length === upper.length ? 0 : 0.5);
    if (distance < limit + 1 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours (LPY ↔ LYP) cost 1. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}
