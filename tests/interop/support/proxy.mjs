// A TCP proxy in front of the server. It records the Upload-Offset of every PATCH it forwards and the offset each
// response reports, and can cut connections in the middle of a PATCH body, as a mobile network does.
import net from 'node:net';

export async function startProxy(targetPort, { dropAfterBytes = 0, maxDrops = 0 } = {}) {
  const log = { patches: [], responses: [], drops: 0 };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    let forwarded = 0;
    let cut = false;
    const cutBoth = () => {
      cut = true;
      log.drops += 1;
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (buf) => {
      if (cut) return;
      const text = buf.toString('latin1');
      for (const m of text.matchAll(/^PATCH [^\r\n]*\r\n(?:[^\r\n]+\r\n)*?upload-offset: *(\d+)/gim)) log.patches.push(Number(m[1]));
      forwarded += buf.length;
      if (dropAfterBytes && log.drops < maxDrops && forwarded > dropAfterBytes) {
        // Only PATCH bodies make a connection this long. Let half of this buffer through, then cut mid-body.
        upstream.write(buf.subarray(0, Math.floor(buf.length / 2)), cutBoth);
        return;
      }
      upstream.write(buf);
    });
    upstream.on('data', (buf) => {
      for (const m of buf.toString('latin1').matchAll(/^upload-offset: *(\d+)/gim)) log.responses.push(Number(m[1]));
      if (!cut) client.write(buf);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.address().port, log, close: () => new Promise((r) => server.close(r)) };
}
