// `npm start`: the whole stack on the embedded default, until Ctrl-C.
import { parseArgs } from 'node:util';
import { startStack, type Stack } from './stack.js';

const HELP = `Usage: npm start -- [options]

Runs the GGN stack: a devnet with the demo history (or an existing RPC), the
embedded indexer following the chain head, and the GraphQL API + explorer.

Options (environment variable in brackets):
  --port N          HTTP port of the API and explorer (default 4000) [GGN_PORT]
  --host H          interface to bind (default 127.0.0.1) [GGN_HOST]
  --db FILE         SQLite store file, or :memory: (default .data/<network>.sqlite) [GGN_DB]
  --rpc URL         index an existing RPC instead of starting a devnet; needs
                    deployments/<network>.json [GGN_RPC_URL]
  --network NAME    deployment / network name (default devnet) [GGN_NETWORK]
  --anvil-port N    port of the devnet's anvil (default 8545; 0 = any free port) [GGN_ANVIL_PORT]
  --seed N          seed of the demo history (default: the committed deployment's) [GGN_SEED]
  --rebuild         rebuild the subgraph and the explorer even if their builds look current
  -h, --help        this text

A second start on the same --db resumes where the last one stopped.`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    db: { type: 'string' },
    rpc: { type: 'string' },
    network: { type: 'string' },
    'anvil-port': { type: 'string' },
    seed: { type: 'string' },
    rebuild: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (values.help) {
  console.log(HELP);
  process.exit(0);
}

function int(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const env = process.env;
const port = int('port', values.port ?? env.GGN_PORT) ?? 4000;
const anvilPort = int('anvil-port', values['anvil-port'] ?? env.GGN_ANVIL_PORT) ?? 8545;
const seed = int('seed', values.seed ?? env.GGN_SEED);
const stamp = () => new Date().toISOString().slice(11, 19);
const log = (line: string) => console.log(`[${stamp()}] ${line}`);
const tty = process.stdout.isTTY;
let lastLine = 0;
let lastBlock: number | null = null;

let stack: Stack | undefined;
let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (tty) process.stdout.write('\n');
  log('stopping…');
  await stack?.stop();
  log('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  stack = await startStack({
    port,
    host: values.host ?? env.GGN_HOST,
    dbPath: values.db ?? env.GGN_DB,
    rpcUrl: values.rpc ?? env.GGN_RPC_URL,
    network: values.network ?? env.GGN_NETWORK,
    anvilPort,
    seed,
    rebuild: values.rebuild,
    log,
    onHistoryProgress: (p) => {
      if (Date.now() - lastLine < 2000) return;
      lastLine = Date.now();
      log(`history: ${JSON.stringify(p)}`);
    },
    onIndexProgress: (p) => {
      // Caught up and following: print only when a new block arrives.
      if (p.caughtUp && p.block === lastBlock) return;
      lastBlock = p.block;
      const eta = p.etaSeconds ? ` · ETA ${Math.ceil(p.etaSeconds)} s` : '';
      const text =
        p.caughtUp && p.events === 0
          ? `block ${p.block ?? '-'} of ${p.head}: nothing new to index`
          : `indexed block ${p.block ?? '-'} of ${p.head} · ${p.events} events · ${Math.round(p.eventsPerSecond)} events/s${eta}`;
      if (tty) process.stdout.write(`\r${text}\x1b[K`);
      else if (Date.now() - lastLine > 5000 || p.caughtUp) {
        lastLine = Date.now();
        log(text);
      }
    },
  });
  if (tty) process.stdout.write('\n');
  log(`chain RPC      ${stack.rpcUrl}`);
  log(`store          ${stack.dbPath}`);
  log(`explorer       ${stack.url}/`);
  log(`GraphQL API    ${stack.graphqlUrl}`);
  log(`GraphiQL       ${stack.url}/graphiql`);
  log(`health         ${stack.url}/health`);
  log('indexer caught up with the chain head and is following it. Ctrl-C stops everything.');
} catch (e) {
  console.error(`\nnpm start failed: ${(e as Error).message}`);
  await shutdown(1);
}
