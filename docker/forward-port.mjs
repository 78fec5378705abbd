// node forward-port.mjs <listen host:port> <target host:port>
// Exposes the devnet's anvil (which `npm run devnet` binds to 127.0.0.1 only) on the
// container network. Drop it once the devnet CLI accepts a --host flag.
import { createConnection, createServer } from 'node:net';

const [listen, target] = process.argv.slice(2).map((hp) => {
  const i = hp.lastIndexOf(':');
  return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
});
if (!listen?.port || !target?.port) {
  console.error('usage: node forward-port.mjs <listen host:port> <target host:port>');
  process.exit(2);
}

createServer((client) => {
  const upstream = createConnection(target);
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
}).listen(listen.port, listen.host, () =>
  console.log(`forwarding ${listen.host}:${listen.port} -> ${target.host}:${target.port}`),
);
