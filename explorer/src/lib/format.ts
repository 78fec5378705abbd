// Display formatting. Amounts arrive as BigInt strings in 18-decimal base units
// and must not pass through floating point before they are shortened.

const UNIT = 10n ** 18n;

/** "50", "12.5", "0.000001" — whole tokens with up to `digits` decimals, thousands separated. */
export function formatTokens(base: string | bigint | null | undefined, digits = 4): string {
  if (base === null || base === undefined || base === '') return '—';
  const v = BigInt(base);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const whole = abs / UNIT;
  let frac = (abs % UNIT).toString().padStart(18, '0').slice(0, digits).replace(/0+$/, '');
  if (frac === '' && abs % UNIT !== 0n && whole === 0n) frac = '0'.repeat(digits - 1) + '1'; // never show a non-zero as 0
  const w = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${w}${frac ? `.${frac}` : ''}`;
}

/** Share of `part` in `total` as a number in 0..1, computed on BigInts. */
export function share(part: string | bigint, total: string | bigint): number {
  const t = BigInt(total);
  if (t === 0n) return 0;
  return Number((BigInt(part) * 1_000_000n) / t) / 1_000_000;
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function formatBps(bps: number | string): string {
  return formatPercent(Number(bps) / 10000, Number(bps) % 100 === 0 ? 0 : 2);
}

/** Unix seconds → "2026-11-24 02:58:07 UTC" (UTC: one time for every reader of an audit trail). */
export function formatTime(sec: string | number | null | undefined): string {
  if (sec === null || sec === undefined || sec === '') return '—';
  const d = new Date(Number(sec) * 1000);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatDate(sec: string | number | null | undefined): string {
  if (sec === null || sec === undefined || sec === '') return '—';
  return new Date(Number(sec) * 1000).toISOString().slice(0, 10);
}

/** Seconds → "1y 12d", "3d 4h", "5h 2m", "42s". */
export function formatDuration(seconds: number | string): string {
  let s = Math.abs(Math.round(Number(seconds)));
  const y = Math.floor(s / 31_536_000);
  s -= y * 31_536_000;
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3_600);
  s -= h * 3_600;
  const m = Math.floor(s / 60);
  const parts: string[] = [];
  if (y) parts.push(`${y}y`);
  if (d) parts.push(`${d}d`);
  if (h && !y) parts.push(`${h}h`);
  if (m && !y && !d) parts.push(`${m}m`);
  if (parts.length === 0) parts.push(`${s}s`);
  return parts.slice(0, 2).join(' ');
}

/** "0x1234…abcd" for addresses and hashes; the full value goes in a title/aria-label. */
export function shortHex(hex: string | null | undefined, keep = 6): string {
  if (!hex) return '—';
  return hex.length <= 2 + keep * 2 ? hex : `${hex.slice(0, 2 + keep)}…${hex.slice(-4)}`;
}

/** SEAT_ALLOCATION → "Seat allocation". */
export function humanize(constant: string | null | undefined): string {
  if (!constant) return '—';
  const s = constant.toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Parameter values: token amounts for seatPrice, bps for quorum, durations for the windows. */
export function formatParam(param: string | null | undefined, value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  switch (param) {
    case 'seatPrice':
      return `${formatTokens(value)} GGU`;
    case 'quorumBps':
      return `${value} bps (${formatBps(value)})`;
    case 'leaseTerm':
    case 'votingPeriod':
    case 'acceptWindow':
    case 'renewalWindow':
      return `${formatDuration(value)} (${value} s)`;
    default:
      return String(value);
  }
}
