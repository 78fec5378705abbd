// Host conformance module: each export exercises host imports through graph-ts
// exactly as a mapping would. The TypeScript tests call these exports with
// host-written arguments and compare the results with values computed
// independently in TypeScript.
import {
  Address,
  BigDecimal,
  BigInt,
  ByteArray,
  Bytes,
  crypto,
  dataSource,
  Entity,
  ethereum,
  json,
  JSONValue,
  JSONValueKind,
  log,
  store,
  Value,
  yaml,
  YAMLValue,
  YAMLValueKind,
} from '@graphprotocol/graph-ts';

// ---- BigDecimal
export function decDiv(a: string, b: string): string {
  return BigDecimal.fromString(a).div(BigDecimal.fromString(b)).toString();
}
export function decPlus(a: string, b: string): string {
  return BigDecimal.fromString(a).plus(BigDecimal.fromString(b)).toString();
}
export function decMinus(a: string, b: string): string {
  return BigDecimal.fromString(a).minus(BigDecimal.fromString(b)).toString();
}
export function decTimes(a: string, b: string): string {
  return BigDecimal.fromString(a).times(BigDecimal.fromString(b)).toString();
}
export function decEquals(a: string, b: string): bool {
  return BigDecimal.fromString(a).equals(BigDecimal.fromString(b));
}
export function decFromString(a: string): BigDecimal {
  return BigDecimal.fromString(a);
}
export function bigIntDivDecimal(a: string, b: string): string {
  return BigInt.fromString(a).divDecimal(BigDecimal.fromString(b)).toString();
}

// ---- BigInt
export function intOp(op: string, a: string, b: string): string {
  let x = BigInt.fromString(a);
  let y = BigInt.fromString(b);
  if (op == 'plus') return x.plus(y).toString();
  if (op == 'minus') return x.minus(y).toString();
  if (op == 'times') return x.times(y).toString();
  if (op == 'div') return x.div(y).toString();
  if (op == 'mod') return x.mod(y).toString();
  if (op == 'pow') return x.pow(<u8>y.toI32()).toString();
  if (op == 'shl') return x.leftShift(<u8>y.toI32()).toString();
  if (op == 'shr') return x.rightShift(<u8>y.toI32()).toString();
  if (op == 'or') return x.bitOr(y).toString();
  if (op == 'and') return x.bitAnd(y).toString();
  if (op == 'hex') return x.toHexString();
  return 'unknown op';
}
/** The BigInt's raw little-endian bytes, as the host wrote them. */
export function intBytes(a: string): Bytes {
  return changetype<Bytes>(BigInt.fromString(a));
}
/** A BigInt built in AssemblyScript (4 non-minimal bytes) read back by the host. */
export function intFromI32(n: i32): BigInt {
  return BigInt.fromI32(n);
}

// ---- strings and conversions
export function stringWithNul(): string {
  return 'a\0b\0';
}
export function loneSurrogate(): string {
  return String.fromCharCode(0xd800) + 'x';
}
export function logLoneSurrogate(): void {
  log.info(String.fromCharCode(0xdc00), []);
}
export function echo(s: string): string {
  return s;
}
export function bytesToString(b: Bytes): string {
  return b.toString();
}
export function bytesToHex(b: Bytes): string {
  return b.toHexString();
}
export function bytesToBase58(b: Bytes): string {
  return b.toBase58();
}
export function h160(s: string): Address {
  return Address.fromString(s);
}
export function keccak(b: Bytes): ByteArray {
  return crypto.keccak256(b);
}

// ---- ethereum.encode / decode
export function encodeSample(addr: Address, amounts: Array<string>, flag: bool, label: string): Bytes {
  let values = new Array<ethereum.Value>();
  for (let i = 0; i < amounts.length; i++)
    values.push(ethereum.Value.fromUnsignedBigInt(BigInt.fromString(amounts[i])));
  let inner = new ethereum.Tuple();
  inner.push(ethereum.Value.fromBoolean(flag));
  inner.push(ethereum.Value.fromString(label));
  let outer = new ethereum.Tuple();
  outer.push(ethereum.Value.fromAddress(addr));
  outer.push(ethereum.Value.fromArray(values));
  outer.push(ethereum.Value.fromTuple(inner));
  outer.push(ethereum.Value.fromSignedBigInt(BigInt.fromI32(-5)));
  return ethereum.encode(ethereum.Value.fromTuple(outer))!;
}
export function decodeValue(types: string, data: Bytes): ethereum.Value | null {
  return ethereum.decode(types, data);
}
/** Round trip through the host: decode, then encode again. */
export function decodeEncode(types: string, data: Bytes): Bytes | null {
  let v = ethereum.decode(types, data);
  if (v == null) return null;
  return ethereum.encode(v);
}

// ---- JSON
function describeJson(v: JSONValue): string {
  if (v.kind == JSONValueKind.NULL) return 'null';
  if (v.kind == JSONValueKind.BOOL) return v.toBool() ? 'true' : 'false';
  if (v.kind == JSONValueKind.NUMBER) return 'n:' + changetype<string>(v.data as u32);
  if (v.kind == JSONValueKind.STRING) return 's:' + v.toString();
  if (v.kind == JSONValueKind.ARRAY) {
    let items = v.toArray();
    let parts = new Array<string>();
    for (let i = 0; i < items.length; i++) parts.push(describeJson(items[i]));
    return '[' + parts.join(',') + ']';
  }
  let obj = v.toObject();
  let parts = new Array<string>();
  for (let i = 0; i < obj.entries.length; i++) {
    let e = obj.entries[i];
    parts.push(e.key + '=' + describeJson(e.value));
  }
  return '{' + parts.join(',') + '}';
}
export function jsonDescribe(b: Bytes): string {
  return describeJson(json.fromBytes(b));
}
export function jsonTry(b: Bytes): string {
  let r = json.try_fromBytes(b);
  return r.isOk ? 'ok:' + describeJson(r.value) : 'error';
}
export function jsonBigInt(s: string): string {
  return json.toBigInt(s).toString();
}
export function jsonI64(s: string): i64 {
  return json.toI64(s);
}
export function jsonU64(s: string): u64 {
  return json.toU64(s);
}
export function jsonF64(s: string): f64 {
  return json.toF64(s);
}

// ---- store
/** Update `Thing[id]`: sets `count`, removes `note` (null), keeps everything else. */
export function storeUpdate(id: string, count: i32): void {
  let e = new Entity();
  e.set('count', Value.fromI32(count));
  e.set('note', Value.fromNull());
  store.set('Thing', id, e);
}
/** Load, modify and save: pushes onto a host-written entries array (AS __realloc on host memory). */
export function storeLoadModifySave(id: string, label: string): void {
  let e = store.get('Thing', id);
  if (e == null) e = new Entity();
  e.set('label', Value.fromString(label));
  e.set('tags', Value.fromStringArray(['x', label]));
  e.set('amount', Value.fromBigInt(BigInt.fromString('-42')));
  e.set('ratio', Value.fromBigDecimal(BigDecimal.fromString('2.50')));
  store.set('Thing', id, e);
}
/**
 * Load, change a BigInt and a Bytes value in place (both are Uint8Arrays), save: the host
 * must read the changed bytes, not reuse the values it wrote on load (asc/written.ts).
 */
export function storeLoadMutateSave(id: string): void {
  let e = store.get('Thing', id)!;
  let amount = e.getBigInt('amount');
  amount[0] = amount[0] + 1;
  let data = e.getBytes('data');
  data[0] = 0xee;
  store.set('Thing', id, e);
}
export function storeSetUndefinedField(id: string): void {
  let e = new Entity();
  e.set('count', Value.fromI32(1));
  e.set('zeta', Value.fromI32(1));
  e.set('alpha', Value.fromString('a'));
  store.set('Thing', id, e);
}
export function storeSetMissingRequired(id: string): void {
  let e = new Entity();
  e.set('note', Value.fromString('no count'));
  store.set('Thing', id, e);
}
export function storeSetWrongType(id: string): void {
  let e = new Entity();
  e.set('count', Value.fromString('seven'));
  store.set('Thing', id, e);
}
export function storeRemove(id: string): void {
  store.remove('Thing', id);
}
export function storeGetCount(id: string): i32 {
  let e = store.get('Thing', id);
  if (e == null) return -1;
  return e.getI32('count');
}
export function storeGetInBlockExists(id: string): bool {
  return store.get_in_block('Thing', id) != null;
}
export function storeLoadRelatedCount(id: string): i32 {
  return store.loadRelated('Owner', id, 'things').length;
}

// ---- abort and log
export function failAssert(): void {
  assert(false, 'boom');
}
export function failCritical(): void {
  log.critical('bad {}', ['thing']);
}
export function divideByZero(): string {
  return BigInt.fromI32(7).div(BigInt.fromI32(0)).toString();
}

// ---- data source
export function dsAddress(): Address {
  return dataSource.address();
}
export function dsNetwork(): string {
  return dataSource.network();
}
export function dsContextString(key: string): string {
  return dataSource.context().getString(key);
}

// ---- ethereum.call, getBalance, hasCode
class Demo extends ethereum.SmartContract {
  static bind(address: Address): Demo {
    return new Demo('Demo', address);
  }
}
/** `pair(address,uint256[]):(uint256,string,(bool,int8))` summarised as text. */
export function callPair(target: Address, who: Address): string {
  let amounts = [BigInt.fromI32(1), BigInt.fromI32(2)];
  let r = Demo.bind(target).tryCall('pair', 'pair(address,uint256[]):(uint256,string,(bool,int8))', [
    ethereum.Value.fromAddress(who),
    ethereum.Value.fromUnsignedBigIntArray(amounts),
  ]);
  if (r.reverted) return 'reverted';
  let v = r.value;
  let t = v[2].toTuple();
  return (
    v[0].toBigInt().toString() +
    '|' +
    v[1].toString() +
    '|' +
    (t[0].toBoolean() ? 'true' : 'false') +
    '|' +
    t[1].toBigInt().toString()
  );
}
export function callMustSucceed(target: Address): void {
  Demo.bind(target).call('count', 'count():(uint256)', []);
}
export function balance(a: Address): BigInt {
  return ethereum.getBalance(a);
}
export function hasCode(a: Address): bool {
  return ethereum.hasCode(a).inner;
}

// ---- yaml
function describeYaml(v: YAMLValue): string {
  if (v.kind == YAMLValueKind.NULL) return 'null';
  if (v.kind == YAMLValueKind.BOOL) return v.toBool() ? 'true' : 'false';
  if (v.kind == YAMLValueKind.NUMBER) return 'n:' + v.toNumber();
  if (v.kind == YAMLValueKind.STRING) return 's:' + v.toString();
  if (v.kind == YAMLValueKind.ARRAY) {
    let items = v.toArray();
    let parts = new Array<string>();
    for (let i = 0; i < items.length; i++) parts.push(describeYaml(items[i]));
    return '[' + parts.join(',') + ']';
  }
  if (v.kind == YAMLValueKind.TAGGED) {
    let t = v.toTagged();
    return t.tag + ' ' + describeYaml(t.value);
  }
  let obj = v.toObject();
  let parts = new Array<string>();
  for (let i = 0; i < obj.entries.length; i++)
    parts.push(describeYaml(obj.entries[i].key) + '=' + describeYaml(obj.entries[i].value));
  return '{' + parts.join(',') + '}';
}
export function yamlDescribe(b: Bytes): string {
  return describeYaml(yaml.fromBytes(b));
}

// ---- Bytes and Int8 ids
export function blobSet(id: Bytes, n: i64): void {
  let e = new Entity();
  e.set('n', Value.fromI64(n));
  store.set('Blob', id.toHexString(), e);
}
export function blobGet(id: Bytes): i64 {
  let e = store.get('Blob', id.toHexString());
  if (e == null) return -1;
  return e.get('n')!.toI64();
}
