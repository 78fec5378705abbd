// ethereum.*: contract calls at the trigger's block, ABI encode/decode, balance and code.
import {
  decodeAbiParameters,
  encodeAbiParameters,
  encodeFunctionData,
  type AbiFunction,
  type AbiParameter,
} from 'viem';
import {
  readArray,
  readBytes,
  readNullableString,
  readString,
  writeArray,
  writeBigInt,
  writeBytes,
  writeWrappedBool,
} from '../asc/codec.js';
import { TypeId } from '../asc/type-ids.js';
import { det } from '../errors.js';
import {
  abiToEthValue,
  ethValueToAbi,
  inferAbiParam,
  parseDynSolType,
  readEthValue,
  writeEthValue,
} from '../ethereum/values.js';
import type { HostEnv, HostNamespace } from './env.js';

const hex = (b: Uint8Array): `0x${string}` => `0x${Buffer.from(b).toString('hex')}`;

/** Canonical ABI type text with tuples spelled out, as in selectors. */
export function canonicalType(p: AbiParameter): string {
  if (p.type.startsWith('tuple')) {
    const comps = (p as { components: readonly AbiParameter[] }).components;
    return `(${comps.map(canonicalType).join(',')})${p.type.slice(5)}`;
  }
  return p.type;
}

/** graph-node's `signature_compat`: `name(in,...)` plus `:(out,...)` when there are outputs. */
export function functionSignature(f: AbiFunction): string {
  const ins = `${f.name}(${f.inputs.map(canonicalType).join(',')})`;
  return f.outputs.length > 0 ? `${ins}:(${f.outputs.map(canonicalType).join(',')})` : ins;
}

function resolveFunction(
  env: HostEnv,
  contract: string,
  name: string,
  signature: string | null,
): AbiFunction {
  const abi = env.dataSource.abis.get(contract);
  if (!abi)
    throw det(
      `Could not find ABI for contract "${contract}", try adding it to the 'abis' section of the subgraph manifest`,
    );
  const fns = abi.filter((x): x is AbiFunction => x.type === 'function' && x.name === name);
  const f = signature === null ? fns[0] : fns.find((x) => functionSignature(x) === signature);
  if (!f)
    throw det(
      `Unknown function "${contract}::${name}" with signature \`${signature}\` called from WASM runtime`,
    );
  return f;
}

function requireApi9(env: HostEnv, name: string): void {
  if (env.apiVersion < 9) throw det(`${name} is only available for apiVersion >= 0.0.9`);
}

export const ethereumImports: HostNamespace = {
  'ethereum.call': (env) => (ptr: number) => {
    const h = env.heap;
    const p = ptr >>> 0;
    const contract = readString(h, h.u32(p));
    const address = readBytes(h, h.u32(p + 4));
    const fnName = readString(h, h.u32(p + 8));
    const signature = readNullableString(h, h.u32(p + 12));
    const params = readArray(h, h.u32(p + 16)).map((q) => readEthValue(h, q));
    const f = resolveFunction(env, contract, fnName, signature);
    if (params.length !== f.inputs.length)
      throw det(
        `Call to "${contract}::${fnName}" has ${params.length} arguments, the ABI declares ${f.inputs.length}`,
      );
    const args = f.inputs.map((input, i) => ethValueToAbi(input, params[i]!));
    const data = encodeFunctionData({ abi: [f], functionName: f.name, args } as Parameters<
      typeof encodeFunctionData
    >[0]);
    const out = env.calls.call(hex(address), data);
    if (out === null) return 0; // reverted: graph-ts turns this into try_ result / "Call reverted"
    let decoded: readonly unknown[];
    try {
      decoded = decodeAbiParameters(f.outputs, out);
    } catch (e) {
      throw det(`Failed to decode the result of "${contract}::${fnName}": ${(e as Error).message}`);
    }
    const ptrs = f.outputs.map((o, i) => writeEthValue(h, abiToEthValue(o, decoded[i])));
    return writeArray(h, ptrs, TypeId.ArrayEthereumValue);
  },
  'ethereum.getBalance': (env) => (ptr: number) => {
    requireApi9(env, 'ethereum.getBalance');
    return writeBigInt(env.heap, env.calls.balance(hex(readBytes(env.heap, ptr >>> 0))));
  },
  'ethereum.hasCode': (env) => (ptr: number) => {
    requireApi9(env, 'ethereum.hasCode');
    const code = env.calls.code(hex(readBytes(env.heap, ptr >>> 0)));
    return writeWrappedBool(env.heap, code !== '0x' && code.length > 2);
  },
  // One value, encoded like alloy's DynSolValue::abi_encode (a single top-level token).
  'ethereum.encode': (env) => (ptr: number) => {
    const v = readEthValue(env.heap, ptr >>> 0);
    try {
      const param = inferAbiParam(v);
      const encoded = encodeAbiParameters([param], [ethValueToAbi(param, v)]);
      return writeBytes(env.heap, new Uint8Array(Buffer.from(encoded.slice(2), 'hex')));
    } catch {
      return 0;
    }
  },
  'ethereum.decode': (env) => (typesPtr: number, dataPtr: number) => {
    const h = env.heap;
    const types = readString(h, typesPtr >>> 0);
    const data = readBytes(h, dataPtr >>> 0);
    try {
      const param = parseDynSolType(types);
      const [value] = decodeAbiParameters([param], hex(data));
      return writeEthValue(h, abiToEthValue(param, value));
    } catch (e) {
      env.log('error', `ethereum.decode failed for \`${types}\`: ${(e as Error).message}`);
      return 0;
    }
  },
};
