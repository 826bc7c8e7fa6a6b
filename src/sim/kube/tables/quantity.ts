/**
 * resource.Quantity's canonical string form (k8s.io/apimachinery/pkg/api/resource),
 * so quota columns read "1Gi" for a stored "1024Mi" just as a real cluster does.
 */

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** value = unscaled × 10^exponent */
interface Parsed {
  unscaled: bigint;
  exponent: number;
  format: Format;
  /** Text Quantity.String() returns verbatim, when ParseQuantity kept the caller's own. */
  ownText?: string;
}

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: Format;
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?([eEinumkKMGTP]*[+-]?\d*)$/;
const MAX_INT64 = (1n << 63n) - 1n;
const NANO_EXPONENT = -9;

function interpretSuffix(suffix: string): Suffix | undefined {
  const decimal = DECIMAL_SUFFIXES[suffix];
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: 'DecimalSI' };
  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined) return { base: 2, exponent: binary, format: 'BinarySI' };
  if (/^[eE][+-]?\d+$/.test(suffix)) return { base: 10, exponent: Number(suffix.slice(1)), format: 'DecimalExponent' };
  return undefined;
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/**
 * ParseQuantity's int64 fast path keeps the input text when it already looks
 * canonical, which also lets forms like "+5", "010" and "1E3" print unchanged.
 */
function keepsOwnText(whole: string, fraction: string, suffix: Suffix): boolean {
  const digits = `${whole.replace(/^0+/, '') || '0'}${fraction}`;
  if (suffix.format === 'BinarySI') {
    if (fraction || 14 - digits.length - Math.trunc((suffix.exponent * 3) / 10) < 0) return false;
    const value = BigInt(digits);
    return value << BigInt(suffix.exponent) <= MAX_INT64 && (value & 7n) !== 0n;
  }
  const scale = suffix.exponent - fraction.length;
  if (digits.length > 18 || scale < NANO_EXPONENT) return false;
  return scale % 3 === 0 && !digits.endsWith('000') && !digits.startsWith('0');
}

/** resource.ParseQuantity; undefined where Go would fail to decode the object. */
function parseQuantity(text: string): Parsed | undefined {
  const match = QUANTITY.exec(text);
  if (!match || text === '') return undefined;
  const [, sign = '', whole = '', fraction = '', suffixText = ''] = match;
  const suffix = interpretSuffix(suffixText);
  if (!suffix) return undefined;

  let unscaled = BigInt(`${whole}${fraction}` || '0');
  let exponent = -fraction.length;
  if (suffix.base === 10) exponent += suffix.exponent;
  else unscaled <<= BigInt(suffix.exponent);

  // Anything finer than a nano-unit rounds up, so a tiny request never becomes zero.
  if (exponent < NANO_EXPONENT && unscaled !== 0n) {
    const divisor = pow10(NANO_EXPONENT - exponent);
    unscaled = (unscaled + divisor - 1n) / divisor;
    exponent = NANO_EXPONENT;
  }

  let format = suffix.format;
  if (format === 'BinarySI') {
    const [integer, remainder] = splitInteger(unscaled, exponent);
    if (integer > MAX_INT64 || (integer === MAX_INT64 && remainder)) {
      unscaled = MAX_INT64;
      exponent = 0;
    } else if (integer === 0n && remainder) {
      // Below one, binary suffixes would only confuse: show it in decimal.
      format = 'DecimalSI';
    }
  }
  return {
    unscaled: sign === '-' ? -unscaled : unscaled,
    exponent,
    format,
    ...(keepsOwnText(whole, fraction, suffix) ? { ownText: text } : {}),
  };
}

/** Integer part of unscaled × 10^exponent (non-negative input) and whether a fraction remains. */
function splitInteger(unscaled: bigint, exponent: number): [bigint, boolean] {
  if (exponent >= 0) return [unscaled * pow10(exponent), false];
  const divisor = pow10(-exponent);
  return [unscaled / divisor, unscaled % divisor !== 0n];
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/** Move factors of `base` out of n; returns the rest and how many were removed. */
function removeFactors(n: bigint, base: bigint): [bigint, number] {
  let times = 0;
  while (n !== 0n && n % base === 0n) {
    n /= base;
    times++;
  }
  return [n, times];
}

function decimalForm({ unscaled, exponent, format }: Parsed): string {
  let [mantissa, times] = removeFactors(unscaled, 10n);
  exponent += times;
  // Lower the exponent to a multiple of three (toward -∞), growing the mantissa.
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  // Go emits no suffix when none fits (e.g. DecimalSI beyond "E"); keep that.
  const suffix =
    format === 'DecimalExponent' ? (exponent === 0 ? '' : `e${exponent}`) : (DECIMAL_BY_EXPONENT.get(exponent) ?? '');
  return `${mantissa}${suffix}`;
}

function canonicalize(q: Parsed): string {
  if (q.ownText !== undefined) return q.ownText;
  if (q.unscaled === 0n) return '0';
  if (q.format !== 'BinarySI') return decimalForm(q);
  const [integer, remainder] = splitInteger(abs(q.unscaled), q.exponent);
  // Small or fractional binary amounts print in decimal rather than round.
  if (integer < 1024n || remainder) return decimalForm({ ...q, format: 'DecimalSI' });
  const [mantissa, times] = removeFactors(integer, 1024n);
  const signed = q.unscaled < 0n ? -mantissa : mantissa;
  return `${signed}${BINARY_BY_EXPONENT.get(times * 10) ?? ''}`;
}

/** Quantity.String() of a stored quantity; an unparseable one is shown as stored. */
export function canonicalQuantity(value: string | number | undefined): string {
  if (value === undefined) return '0';
  const text = String(value).trim();
  const parsed = parseQuantity(text);
  return parsed ? canonicalize(parsed) : text;
}
