/**
 * The UDP socket nginx's syslog access log arrives on, on loopback only (nothing outside the pod
 * can send it lines). UDP because nginx never waits for it: a datagram lost is a request not
 * counted, never a viewer kept waiting. The receive buffer is made large so a burst waits in the
 * kernel while the agent is busy flushing (the kernel caps it at net.core.rmem_max).
 */
import { createSocket, type Socket } from 'node:dgram';

export const RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

export function startSyslogReceiver(port: number, onDatagram: (text: string) => void): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES });
  socket.on('message', (message) => onDatagram(message.toString('utf8')));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}
