/**
 * The ports a network namespace listens on, from /proc/PID/net/{tcp,tcp6,udp,udp6}
 * (proc(5)): TCP sockets in state 0A (LISTEN) and UDP sockets in state 07
 * with no remote end, by their local port.
 */
const TCP_LISTEN = '0A';
const UDP_UNCONNECTED = '07';

export function listeningPorts(text: string, protocol: 'tcp' | 'udp'): number[] {
  const ports: number[] = [];
  for (const line of text.split('\n').slice(1)) {
    // sl local_address rem_address st …: "0: 00000000:0050 00000000:0000 0A …"
    const f = line.trim().split(/\s+/);
    if (f.length < 4) continue;
    const local = f[1]!.split(':')[1];
    const remotePort = f[2]!.split(':')[1];
    const state = f[3]!;
    const listening = protocol === 'tcp' ? state === TCP_LISTEN : state === UDP_UNCONNECTED && /^0+$/.test(remotePort ?? '');
    if (!listening || local === undefined || !/^[0-9A-F]{4}$/i.test(local)) continue;
    const port = parseInt(local, 16);
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}
