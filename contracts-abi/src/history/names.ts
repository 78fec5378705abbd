/** Names for the generated world; deterministic, read by people browsing the explorer. */
import { keccak256, stringToHex, type Address, type Hex } from 'viem';
import { E18, DAY, HOUR, type AreaParams } from '../protocol.js';

/** An address derived from the seed and a path: stable across runs, distinct per seed. */
export function deriveAddress(seed: number, ...path: (string | number)[]): Address {
  return `0x${keccak256(stringToHex(`ggn-history/${seed}/${path.join('/')}`)).slice(26)}` as Address;
}

export function meterId(seed: number, areaId: number, index: number): Hex {
  return keccak256(stringToHex(`ggn-meter/${seed}/${areaId}/${index}`));
}

interface AreaPreset {
  name: string;
  code: string;
  params: AreaParams;
}

const d = (days: number) => BigInt(days * DAY);

/** Three areas with different terms, so parameters visibly matter; more areas cycle through them. */
const PRESETS: AreaPreset[] = [
  {
    name: 'Northern Valley Microgrid',
    code: 'NVM',
    params: {
      allocations: [50n * E18, 50n * E18, 50n * E18, 50n * E18],
      foundationAllocation: 50n * E18,
      leaseTerm: d(120),
      votingPeriod: d(5),
      quorumBps: 5000,
      acceptWindow: d(10),
      renewalWindow: d(30),
      seatPrice: 1000n * E18,
    },
  },
  {
    name: 'Coastal Islands Microgrid',
    code: 'CIM',
    params: {
      allocations: [80n * E18, 60n * E18, 60n * E18, 40n * E18],
      foundationAllocation: 60n * E18,
      leaseTerm: d(180),
      votingPeriod: d(7),
      quorumBps: 4000,
      acceptWindow: d(14),
      renewalWindow: d(45),
      seatPrice: 2500n * E18,
    },
  },
  {
    name: 'Highland Plateau Microgrid',
    code: 'HPM',
    params: {
      allocations: [30n * E18, 30n * E18, 30n * E18, 90n * E18],
      foundationAllocation: 40n * E18,
      leaseTerm: d(90),
      votingPeriod: BigInt(3 * DAY + 12 * HOUR),
      quorumBps: 6000,
      acceptWindow: d(7),
      renewalWindow: d(21),
      seatPrice: 500n * E18,
    },
  },
];

export function areaPreset(index: number): AreaPreset {
  const p = PRESETS[index % PRESETS.length];
  if (index < PRESETS.length) return p;
  const n = index + 1;
  return { name: `${p.name} ${n}`, code: `${p.code}${n}`, params: p.params };
}

const GROUP_NAMES: string[][] = [
  [
    'Sunfield Solar Co-op',
    'Ridge Wind Partners',
    'Riverbend Hydro',
    'Greenleaf Biogas',
    'Harbor Tidal Power',
  ],
  ['Grid Line Transmission', 'Crosslink Power Lines', 'Summit HV Carriers', 'Meridian Interconnect'],
  ['Local Distribution Utility', 'Neighborhood Wires Co', 'Metro Metering Services', 'Village Grid Operator'],
  [
    'Citizens Energy Trust',
    'Fair Power NGO',
    'Community Climate Fund',
    'Consumers Voice Association',
    'Green Homes Trust',
  ],
];

export function groupName(role: number, index: number, areaCode: string): string {
  const names = GROUP_NAMES[role];
  const base = names[index % names.length];
  const round = Math.floor(index / names.length);
  return `${base}${round ? ` ${round + 1}` : ''} (${areaCode})`;
}

export const GENERAL_TOPICS = [
  'Publish the quarterly VPP dispatch report',
  'Adopt a peak-hour demand response programme',
  'Fund smart meter upgrades for low-income households',
  'Set the local energy market settlement interval to 15 minutes',
  'Commission an independent audit of the treasury',
  'Open a public consultation on battery storage siting',
  'Approve the annual maintenance plan for feeders',
  'Join the regional flexibility market pilot',
];

export const VOTE_REASONS = [
  '',
  'Good for consumers',
  'Too costly this year',
  'Aligned with the grid plan',
  'Needs more data',
  '',
];
